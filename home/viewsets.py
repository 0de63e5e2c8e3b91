"""Choosers that let editors pick Oscar objects inside Wagtail's page editor."""

from django import forms
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from shop.catalogue.selectors import in_category

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Range = get_model("offer", "Range")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")


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
            objects = in_category(objects, category)
        return objects


def _thumbnail(product) -> str:
    image = product.primary_image()
    thumbnail = get_thumbnailer().generate_thumbnail(
        image.original, size="60x60", crop="center"
    )
    return format_html(
        '<img src="{}" alt="" width="40" height="40" loading="lazy">', thumbnail.url
    )


def _price_and_stock(product) -> str:
    if product.is_parent:
        return _("%(count)s variants") % {"count": product.children.count()}
    records = list(product.stockrecords.all())
    if not records:
        return _("no stock record")
    record = records[0]
    return _("%(price)s %(currency)s · %(stock)s in stock") % {
        "price": record.price,
        "currency": record.price_currency,
        "stock": record.net_stock_level,
    }


class ProductChooseMixin:
    filter_form_class = ProductFilterForm

    def get_object_list(self):
        # Variants are chosen through their parent: editors pick what shoppers browse.
        return (
            Product.objects.exclude(structure=Product.CHILD)
            .select_related("product_class")
            .prefetch_related("stockrecords", "images")
            .order_by("-date_updated", "-pk")
        )

    @property
    def columns(self):
        return [
            Column("thumbnail", label="", accessor=_thumbnail, width="60px"),
            self.title_column,
            Column("upc", label=_("UPC")),
            Column("stock", label=_("Price · stock"), accessor=_price_and_stock),
            BooleanColumn("is_public", label=_("Public")),
        ]


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


class NameFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    search_field = "name"

    def filter(self, objects):
        if query := self.cleaned_data.get("q", "").strip():
            objects = objects.filter(**{f"{self.search_field}__icontains": query})
        return objects


class CodeFilterForm(NameFilterForm):
    def filter(self, objects):
        if query := self.cleaned_data.get("q", "").strip():
            objects = objects.filter(Q(name__icontains=query) | Q(code__iexact=query))
        return objects


def searchable_chooser(model, filter_form, *, icon, one, another, ordering):
    """A ChooserViewSet over a plain Oscar model, searchable through `filter_form`."""
    mixin = type(
        "FilterMixin", (), {"filter_form_class": filter_form, "ordering": ordering}
    )
    return type(
        f"{model.__name__}ChooserViewSet",
        (ChooserViewSet,),
        {
            "model": model,
            "icon": icon,
            "choose_one_text": one,
            "choose_another_text": another,
            "choose_view_class": type("ChooseView", (mixin, ChooseView), {}),
            "choose_results_view_class": type(
                "ChooseResultsView", (mixin, ChooseResultsView), {}
            ),
            "per_page": 20,
        },
    )


product_chooser_viewset = ProductChooserViewSet("product_chooser")
category_chooser_viewset = searchable_chooser(
    Category,
    NameFilterForm,
    icon="folder-open-inverse",
    ordering="path",
    one=_("Choose a category"),
    another=_("Choose another category"),
)("category_chooser")
range_chooser_viewset = searchable_chooser(
    Range,
    NameFilterForm,
    icon="list-ul",
    ordering="name",
    one=_("Choose a product range"),
    another=_("Choose another range"),
)("range_chooser")
offer_chooser_viewset = searchable_chooser(
    ConditionalOffer,
    NameFilterForm,
    icon="pick",
    ordering="-pk",
    one=_("Choose an offer"),
    another=_("Choose another offer"),
)("offer_chooser")
voucher_chooser_viewset = searchable_chooser(
    Voucher,
    CodeFilterForm,
    icon="form",
    ordering="-pk",
    one=_("Choose a voucher"),
    another=_("Choose another voucher"),
)("voucher_chooser")

ALL_CHOOSERS = [
    product_chooser_viewset,
    category_chooser_viewset,
    range_chooser_viewset,
    offer_chooser_viewset,
    voucher_chooser_viewset,
]
