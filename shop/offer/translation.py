"""Offer names and descriptions, and range names (Oscar writes them into an offer's
terms: "Buy 1 or more items from <range>"), as shoppers see them, in every language."""

from modeltranslation.translator import TranslationOptions, register
from oscar.core.loading import get_model

ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")


@register(ConditionalOffer)
class ConditionalOfferTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Range)
class RangeTranslation(TranslationOptions):
    fields = ("name",)
