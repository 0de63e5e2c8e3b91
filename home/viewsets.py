"""The product chooser: how editors pick Oscar products inside Wagtail."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class ProductFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search title, UPC or SKU"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Search")}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if query:
            objects = objects.filter(
                Q(title__icontains=query)
                | Q(upc__iexact=query)
                | Q(stockrecords__partner_sku__iexact=query)
            ).distinct()
        if category := self.cleaned_data.get("category"):
            objects = objects.filter(
                categories__in=category.get_descendants_and_self()
            ).distinct()
        return objects


class ProductChooseMixin:
    filter_form_class = ProductFilterForm

    def get_object_list(self):
        # Variants are chosen through their parent; editors pick what shoppers browse.
        return (
            Product.objects.exclude(structure=Product.CHILD)
            .select_related("product_class")
            .prefetch_related("stockrecords")
            .order_by("-date_updated", "-pk")
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column("upc", label=_("UPC")),
            Column("stock", label=_("Stock"), accessor=_stock_label),
            BooleanColumn("is_public", label=_("Public")),
        ]


def _stock_label(product) -> str:
    records = list(product.stockrecords.all())
    if product.is_parent:
        return _("variants")
    if not records:
        return _("no stock record")
    record = records[0]
    return f"{record.price} {record.price_currency} · {record.net_stock_level}"


class ProductChooseView(ProductChooseMixin, ChooseView):
    pass


class ProductChooseResultsView(ProductChooseMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = Product
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit product")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    per_page = 20


product_chooser_viewset = ProductChooserViewSet("product_chooser")
