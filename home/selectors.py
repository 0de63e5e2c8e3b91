"""Reads that join Wagtail content to live Oscar commerce data."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Min, QuerySet
from django.utils.translation import gettext as _
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model

from shop import cache_dependencies
from shop.catalogue.selectors import in_category
from shop.offer_prices import offer_unit_prices, site_offers_at
from shop.partner.prices import purchase_info, shopper_price

Product = get_model("catalogue", "Product")

IN_STOCK, LOW_STOCK, SOLD_OUT = "in_stock", "low_stock", "sold_out"

NEWEST, PRICE_ASC, PRICE_DESC, BEST_SELLING = (
    "newest",
    "price-asc",
    "price-desc",
    "best",
)
RULE_ORDERINGS = {
    NEWEST: ("-date_created", "-pk"),
    PRICE_ASC: ("min_price", "pk"),
    PRICE_DESC: ("-min_price", "pk"),
    # Oscar's analytics app counts purchases per product.
    BEST_SELLING: (F("stats__num_purchases").desc(nulls_last=True), "-pk"),
}


@dataclass(frozen=True)
class Variant:
    product: Product
    label: str
    is_available_to_buy: bool


@dataclass(frozen=True)
class ProductTile:
    """What a product tile shows, as Oscar prices it at render time."""

    product: Product
    currency: str | None
    price: Decimal | None
    offer_price: Decimal | None
    availability: str
    num_available: int | None
    is_available_to_buy: bool
    variants: list[Variant] = field(default_factory=list)

    @property
    def is_parent(self) -> bool:
        return self.product.is_parent

    @property
    def is_public(self) -> bool:
        return self.product.is_public

    @property
    def is_sold_out(self) -> bool:
        return self.availability == SOLD_OUT


def _stock_state(purchase_info) -> tuple[str, int | None]:
    if not purchase_info.availability.is_available_to_buy:
        return SOLD_OUT, 0
    record = purchase_info.stockrecord
    if record is None or record.net_stock_level is None:
        return IN_STOCK, None
    state = LOW_STOCK if record.is_below_threshold else IN_STOCK
    return state, record.net_stock_level


def open_site_offers() -> list:
    """The site offers open now, noted (before they are read) as something a cached
    page body depends on."""
    cache_dependencies.record_site_offers()
    return site_offers_at()


def product_tiles(
    *, product_ids: Iterable[int], request=None, offers: list | None = None
) -> dict[int, ProductTile]:
    """Tiles for `product_ids`, keyed by id, in a fixed number of queries however
    many ids are asked for. Deleted products are absent; non-public ones come back
    sold out so a page can still show (or hide) them. `offers` defaults to the site
    offers open now."""
    ids = {pk for pk in product_ids if pk is not None}
    if not ids:
        return {}
    cache_dependencies.record_products(ids)
    strategy = getattr(request, "strategy", None) or Selector().strategy(
        request=request
    )
    products = (
        Product.objects.base_queryset()
        .filter(pk__in=ids)
        .exclude(structure=Product.CHILD)
        .prefetch_related(
            "children__stockrecords", "children__attribute_values__attribute"
        )
    )
    infos = {
        product.pk: (product, purchase_info(product, strategy)) for product in products
    }

    prices = {
        pk: price
        for pk, (_, info) in infos.items()
        if (price := shopper_price(info)[1]) is not None
    }
    offers = open_site_offers() if offers is None else offers
    offer_prices = offer_unit_prices(prices=prices, offers=offers) if offers else {}

    tiles = {}
    for pk, (product, info) in infos.items():
        availability, num_available = _stock_state(info)
        buyable = info.availability.is_available_to_buy and product.is_public
        if not product.is_public:
            availability, num_available = SOLD_OUT, 0
        currency, price = shopper_price(info)
        tiles[pk] = ProductTile(
            product=product,
            currency=currency,
            price=price,
            offer_price=offer_prices.get(pk),
            availability=availability,
            num_available=num_available,
            is_available_to_buy=buyable,
            variants=_variants(product, strategy) if product.is_parent else [],
        )
    return tiles


def _variants(product, strategy) -> list[Variant]:
    """The public children, each labelled by the attributes that tell them apart
    (a tee's size, not the colour all sizes share)."""
    children = [child for child in product.children.all() if child.is_public]
    values = {
        child.pk: {
            v.attribute.code: str(v.value_as_text) for v in child.attribute_values.all()
        }
        for child in children
    }
    codes = {code for attrs in values.values() for code in attrs}
    varying = sorted(
        code
        for code in codes
        if len({attrs.get(code) for attrs in values.values()}) > 1
    )
    variants = []
    for child in children:
        label = ", ".join(values[child.pk][c] for c in varying if c in values[child.pk])
        info = strategy.fetch_for_product(child)
        variants.append(
            Variant(
                product=child,
                label=label or child.get_title(),
                is_available_to_buy=info.availability.is_available_to_buy,
            )
        )
    return variants


def rule_products(
    *, category=None, range_=None, sort: str = NEWEST, limit: int = 8
) -> list[int]:
    """Ids of browsable products in a category (with its subcategories) or a range."""
    if category is not None:
        cache_dependencies.record_category(category)
    if range_ is not None:
        cache_dependencies.record_range(range_)
    if sort == BEST_SELLING:
        cache_dependencies.record_sales_ranking()
    products: QuerySet = Product.objects.browsable()
    if category is not None:
        products = in_category(products, category)
    if range_ is not None:
        products = products.filter(pk__in=range_.all_products().values("pk"))
    if sort in (PRICE_ASC, PRICE_DESC):
        products = products.annotate(min_price=Min("stockrecords__price"))
    ordering = RULE_ORDERINGS.get(sort, RULE_ORDERINGS[NEWEST])
    return list(products.order_by(*ordering).values_list("pk", flat=True)[:limit])


def _raw_product_ids(body) -> list[int]:
    """Product ids an editor placed by hand, read from the stored stream so products
    that were deleted since are still counted."""
    ids = []
    for block in body.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "product_grid" and value.get("source") != "rule":
            for item in value.get("products") or []:
                ids.append(item.get("value") if isinstance(item, dict) else item)
        elif block.get("type") == "product_spotlight":
            ids.append(value.get("product"))
    return [pk for pk in ids if isinstance(pk, int)]


def product_issues(*, page) -> list[str]:
    """Plain-language warnings about products on `page` that shoppers cannot buy."""
    body = getattr(page, "body", None)
    if not body:
        return []
    ids = list(dict.fromkeys(_raw_product_ids(body)))
    tiles = product_tiles(product_ids=ids, offers=[])
    issues = []
    for pk in ids:
        tile = tiles.get(pk)
        if tile is None:
            issues.append(
                _("A product (#%(pk)s) was deleted; it no longer shows.") % {"pk": pk}
            )
        elif not tile.is_public:
            issues.append(
                _("“%(title)s” is not public.") % {"title": tile.product.get_title()}
            )
        elif tile.is_sold_out:
            issues.append(
                _("“%(title)s” is sold out.") % {"title": tile.product.get_title()}
            )
    return issues


def pages_featuring(*, product) -> list:
    """Wagtail pages whose content points at `product` (Wagtail's reference index)."""
    from wagtail.models import Page, ReferenceIndex

    return [
        source.specific
        for source, _references in ReferenceIndex.get_grouped_references_to(product)
        if isinstance(source, Page)
    ]
