"""Catalogue text in every language (django-modeltranslation adds a column per
language beside Oscar's own; the models stay Oscar's)."""

from modeltranslation.translator import TranslationOptions, register
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductAttribute = get_model("catalogue", "ProductAttribute")
Option = get_model("catalogue", "Option")


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ProductAttribute)
class ProductAttributeTranslation(TranslationOptions):
    fields = ("name",)


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("name",)
