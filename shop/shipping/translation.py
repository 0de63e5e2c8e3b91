"""Shipping method names and descriptions in every language."""

from modeltranslation.translator import TranslationOptions, register
from oscar.core.loading import get_model

OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")


@register([OrderAndItemCharges, WeightBased])
class ShippingMethodTranslation(TranslationOptions):
    fields = ("name", "description")
