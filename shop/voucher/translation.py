"""Voucher names in every language."""

from modeltranslation.translator import TranslationOptions, register
from oscar.core.loading import get_model

Voucher = get_model("voucher", "Voucher")


@register(Voucher)
class VoucherTranslation(TranslationOptions):
    fields = ("name",)
