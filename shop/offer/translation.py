"""Offer names and descriptions, as shoppers see them, in every language."""

from modeltranslation.translator import TranslationOptions, register
from oscar.core.loading import get_model

ConditionalOffer = get_model("offer", "ConditionalOffer")


@register(ConditionalOffer)
class ConditionalOfferTranslation(TranslationOptions):
    fields = ("name", "description")
