"""Oscar's voucher form with the voucher's name in Chinese and English."""

from oscar.apps.dashboard.vouchers import forms as oscar_forms
from oscar.apps.dashboard.vouchers.forms import *  # noqa: F403  Oscar's fork convention
from oscar.core.loading import get_model

from shop.dashboard.translated_forms import TranslatedFieldsMixin, translated_fields

Voucher = get_model("voucher", "Voucher")


class VoucherForm(TranslatedFieldsMixin, oscar_forms.VoucherForm):
    class Meta(oscar_forms.VoucherForm.Meta):
        fields = translated_fields(Voucher, oscar_forms.VoucherForm.Meta.fields)
