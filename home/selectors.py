"""Reads that join Wagtail content to live Oscar commerce data."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

IN_STOCK, LOW_STOCK, SOLD_OUT = "in_stock", "low_stock", "sold_out"


@dataclass(frozen=True)
class ProductTile:
    """What a product tile shows, as Oscar's strategy prices it right now."""

    product: Product
    currency: str | None
    price: Decimal | None
    availability: str
    num_available: int | None
    is_available_to_buy: bool

    @property
    def is_parent(self) -> bool:
        return self.product.is_parent

    @property
    def is_sold_out(self) -> bool:
        return self.availability == SOLD_OUT


def _stock_state(purchase_info) -> tuple[str, int | None]:
    availability = purchase_info.availability
    if not availability.is_available_to_buy:
        return SOLD_OUT, 0
    record = purchase_info.stockrecord
    if record is None or record.net_stock_level is None:
        return IN_STOCK, None
    return (
        LOW_STOCK if record.is_below_threshold else IN_STOCK
    ), record.net_stock_level


def product_tiles(
    *, product_ids: Iterable[int], request=None
) -> dict[int, ProductTile]:
    """Tiles for the public products among `product_ids`, keyed by id, in a fixed
    number of queries however many ids are asked for."""
    ids = {pk for pk in product_ids if pk is not None}
    if not ids:
        return {}
    strategy = getattr(request, "strategy", None) or Selector().strategy(
        request=request
    )
    products = (
        Product.objects.base_queryset()
        .filter(pk__in=ids, is_public=True)
        .prefetch_related("children__stockrecords")
    )
    tiles = {}
    for product in products:
        if product.is_parent:
            info = strategy.fetch_for_parent(product)
        else:
            info = strategy.fetch_for_product(product)
        availability, num_available = _stock_state(info)
        price = info.price
        tiles[product.pk] = ProductTile(
            product=product,
            currency=price.currency if price.exists else None,
            price=(price.incl_tax if price.is_tax_known else price.excl_tax)
            if price.exists
            else None,
            availability=availability,
            num_available=num_available,
            is_available_to_buy=info.availability.is_available_to_buy,
        )
    return tiles
