"""Product tiles: what a tile, a listing row or a product page shows of a product,
priced by the partner strategy (shop/partner/strategy.py), the one price path."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from oscar.core.loading import get_class, get_model

import pagecache
from shop import cache_dependencies
from shop.partner.prices import purchase_info

Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")

IN_STOCK, LOW_STOCK, SOLD_OUT = "in_stock", "low_stock", "sold_out"


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
    # When units other shoppers hold lapse and availability changes by itself.
    holds_lapse_at: datetime | None = None

    @property
    def is_parent(self) -> bool:
        return self.product.is_parent

    @property
    def is_public(self) -> bool:
        parent = self.product.parent
        return self.product.is_public and (parent is None or parent.is_public)

    @property
    def rating(self) -> float | None:
        """Average review stars; a variant shows its parent's (reviews are on the
        product a shopper bought, and the product page is the parent's)."""
        product = self.product
        if product.rating is None and product.parent_id:
            return product.parent.rating
        return product.rating

    @property
    def unit_price(self) -> Decimal | None:
        """What the basket charges for one unit."""
        return self.offer_price if self.offer_price is not None else self.price

    @property
    def is_sold_out(self) -> bool:
        return self.availability == SOLD_OUT


def _stock_state(purchase_info) -> tuple[str, int | None]:
    if not purchase_info.availability.is_available_to_buy:
        return SOLD_OUT, 0
    record = purchase_info.stockrecord
    # Units nobody has bought or holds at the pay step (the strategy's count).
    free = getattr(purchase_info.availability, "num_available", None)
    if record is None or free is None:
        return IN_STOCK, None
    threshold = record.low_stock_threshold
    state = LOW_STOCK if threshold is not None and free < threshold else IN_STOCK
    return state, free


def product_tiles(
    *, product_ids: Iterable[int], request=None, offers: list | None = None
) -> dict[int, ProductTile]:
    """Tiles for `product_ids`, keyed by id, in a fixed number of queries however
    many ids are asked for, priced by the partner strategy (offers included, as the
    basket charges one unit). Deleted products are absent; non-public ones come back
    sold out so a page can still show (or hide) them. `offers` defaults to the offers
    Oscar applies for this shopper now (a preview passes those of another moment)."""
    ids = {pk for pk in product_ids if pk is not None}
    if not ids:
        return {}
    # A cached page showing these tiles depends on them (nothing outside one).
    cache_dependencies.record_products(ids)
    cache_dependencies.record_site_offers()
    strategy = Selector().strategy(user=getattr(request, "user", None))
    products = list(
        Product.objects.base_queryset()
        .filter(pk__in=ids)
        .select_related("parent")
        .prefetch_related(
            "children__stockrecords", "children__attribute_values__attribute"
        )
    )
    strategy.prefetch_holds(
        record.pk
        for product in products
        for owner in (product, *product.children.all())
        for record in owner.stockrecords.all()
    )
    prices = strategy.fetch_unit_prices(products, offers=offers)

    tiles = {}
    for product in products:
        info = purchase_info(product, strategy)
        unit = prices[product.pk]
        availability, num_available = _stock_state(info)
        public = product.is_public and (
            product.parent is None or product.parent.is_public
        )
        if not public:
            availability, num_available = SOLD_OUT, 0
        tiles[product.pk] = ProductTile(
            product=product,
            currency=unit.currency,
            price=unit.base,
            offer_price=unit.price if unit.is_discounted else None,
            availability=availability,
            num_available=num_available,
            is_available_to_buy=info.availability.is_available_to_buy and public,
            variants=_variants(product, strategy) if product.is_parent else [],
            holds_lapse_at=strategy.holds_lapse_at,
        )
    pagecache.record_until(strategy.holds_lapse_at)
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
