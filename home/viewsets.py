"""Choosers that let editors pick Oscar objects inside Wagtail's page editor."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from shop.catalogue.selectors import in_category
from shop.coupons.models import Coupon
from shop.promotions.health import offer_status, voucher_status, window_text

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Range = get_model("offer", "Range")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
FlashSale = get_model("flashsales", "FlashSale")


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


def _pages_using(obj) -> str:
    """Titles of the pages pointing at `obj` (Wagtail's reference index: blocks and
    the campaign's linked offer), plus the campaign that owns an offer."""
    from wagtail.models import Page, ReferenceIndex

    referring = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(type(obj)),
        to_object_id=str(obj.pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values_list("object_id", flat=True)
    page_ids = {int(pk) for pk in referring}  # stored as text: any model's key
    titles = (
        list(
            Page.objects.filter(pk__in=page_ids)
            .order_by("title")
            .values_list("title", flat=True)
        )
        if page_ids
        else []
    )
    owner = getattr(obj, "owning_campaign", None)
    if owner is not None and owner.page.title not in titles:
        titles.append(_("%(title)s (owns it)") % {"title": owner.page.title})
    return ", ".join(titles) or "—"


def _offer_status(offer) -> str:
    return offer_status(offer).label


def _voucher_status(voucher) -> str:
    return voucher_status(voucher).label


def _window(obj) -> str:
    return window_text(obj.start_datetime, obj.end_datetime)


class OfferColumns:
    """Offers as editors need to judge them: running or not, when, how used."""

    @property
    def columns(self):
        return [
            self.title_column,
            Column("status", label=_("Status"), accessor=_offer_status),
            Column("window", label=_("Runs"), accessor=_window),
            Column("num_applications", label=_("Times used")),
            Column("pages", label=_("Pages using it"), accessor=_pages_using),
        ]

    def get_object_list(self):
        return super().get_object_list().select_related("owning_campaign__page")


class VoucherColumns:
    """Vouchers with their code, status, window, usage rule and use so far."""

    @property
    def columns(self):
        return [
            self.title_column,
            Column("code", label=_("Code")),
            Column("status", label=_("Status"), accessor=_voucher_status),
            Column("window", label=_("Valid"), accessor=_window),
            Column("usage", label=_("Usage"), accessor="get_usage_display"),
            Column("num_orders", label=_("Times used")),
            Column("pages", label=_("Pages using it"), accessor=_pages_using),
        ]

    def get_object_list(self):
        return super().get_object_list().prefetch_related("offers")


class CouponColumns:
    """Coupons with their claim window and how many are claimed."""

    @property
    def columns(self):
        return [
            self.title_column,
            Column(
                "window",
                label=_("Claimable"),
                accessor=lambda c: window_text(c.claim_start, c.claim_end),
            ),
            Column(
                "claimed",
                label=_("Claimed"),
                accessor=lambda c: f"{c.num_claimed} / {c.total_quantity}",
            ),
            Column("pages", label=_("Pages using it"), accessor=_pages_using),
        ]


class FlashSaleColumns:
    """Flash sales with whether they are approved and when their next session is."""

    @property
    def columns(self):
        return [
            self.title_column,
            Column("status", label=_("Status"), accessor=_flash_sale_status),
            Column("next", label=_("Next session"), accessor=_flash_sale_next),
        ]


def _flash_sale_status(sale) -> str:
    return (
        pgettext("flash sale", "Approved")
        if sale.is_approved
        else _("Awaiting approval")
    )


def _flash_sale_next(sale) -> str:
    from django.utils import timezone

    session = sale.sessions.filter(ends_at__gt=timezone.now()).first()
    return str(session) if session else "—"


def searchable_chooser(
    model, filter_form, *, icon, one, another, ordering, columns=object
):
    """A ChooserViewSet over a plain Oscar model, searchable through `filter_form`,
    its list showing `columns` (a mixin) when given."""
    mixin = type(
        "FilterMixin",
        (columns,),
        {"filter_form_class": filter_form, "ordering": ordering},
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
    columns=OfferColumns,
    one=_("Choose an offer"),
    another=_("Choose another offer"),
)("offer_chooser")
voucher_chooser_viewset = searchable_chooser(
    Voucher,
    CodeFilterForm,
    icon="form",
    ordering="-pk",
    columns=VoucherColumns,
    one=_("Choose a voucher"),
    another=_("Choose another voucher"),
)("voucher_chooser")

coupon_chooser_viewset = searchable_chooser(
    Coupon,
    NameFilterForm,
    icon="tag",
    ordering="-pk",
    columns=CouponColumns,
    one=_("Choose a coupon"),
    another=_("Choose another coupon"),
)("coupon_chooser")
flash_sale_chooser_viewset = searchable_chooser(
    FlashSale,
    NameFilterForm,
    icon="time",
    ordering="-pk",
    columns=FlashSaleColumns,
    one=_("Choose a flash sale"),
    another=_("Choose another flash sale"),
)("flash_sale_chooser")

ALL_CHOOSERS = [
    product_chooser_viewset,
    category_chooser_viewset,
    range_chooser_viewset,
    offer_chooser_viewset,
    voucher_chooser_viewset,
    coupon_chooser_viewset,
    flash_sale_chooser_viewset,
]
