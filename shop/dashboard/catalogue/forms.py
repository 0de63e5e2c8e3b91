"""Oscar's catalogue dashboard forms with titles, descriptions and names in Chinese
and English side by side (shop/dashboard/translated_forms.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F403  Oscar's fork convention
from oscar.core.loading import get_model
from oscar.core.utils import slugify
from treebeard.forms import movenodeform_factory

from shop.dashboard.translated_forms import TranslatedFieldsMixin, translated_fields

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductAttribute = get_model("catalogue", "ProductAttribute")
Option = get_model("catalogue", "Option")


class ProductForm(TranslatedFieldsMixin, oscar_forms.ProductForm):
    class Meta(oscar_forms.ProductForm.Meta):
        fields = translated_fields(Product, oscar_forms.ProductForm.Meta.fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title_zh_hans", "title_en"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def delete_non_child_fields(self):
        # A variant takes its description from its parent, in every language.
        super().delete_non_child_fields()
        for name in ("description_zh_hans", "description_en"):
            self.fields.pop(name, None)


_CATEGORY_FIELDS = [
    "name",
    "slug",
    "description",
    "image",
    "is_public",
    "exclude_from_menu",
    "meta_title",
    "meta_description",
]


class CategoryForm(
    TranslatedFieldsMixin,
    oscar_forms.SEOFormMixin,
    movenodeform_factory(
        Category,
        fields=translated_fields(Category, _CATEGORY_FIELDS),
        exclude=["ancestors_are_public"],
        widgets={"meta_description": forms.Textarea(attrs={"class": "no-widget-init"})},
    ),
):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave blank to generate from category name")


class ProductAttributesForm(TranslatedFieldsMixin, oscar_forms.ProductAttributesForm):
    class Meta(oscar_forms.ProductAttributesForm.Meta):
        fields = translated_fields(
            ProductAttribute, oscar_forms.ProductAttributesForm.Meta.fields
        )

    def clean_code(self):
        # Oscar makes a blank code from the name: whichever language was given.
        code = self.cleaned_data.get("code")
        name = self.cleaned_data.get("name_en") or self.cleaned_data.get("name_zh_hans")
        return code or slugify(name or "")


class OptionForm(TranslatedFieldsMixin, oscar_forms.OptionForm):
    class Meta(oscar_forms.OptionForm.Meta):
        fields = translated_fields(Option, oscar_forms.OptionForm.Meta.fields)
