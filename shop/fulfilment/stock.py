"""What refunds and cancellations do to stock, through Oscar's StockRecord
methods: units that never left are released from (or written off) the order's
allocation; units that come back after dispatch go back into stock."""

from django.db.models import F
from oscar.core.loading import get_model

from shop.cache_invalidation import stockrecords_changed

StockRecord = get_model("partner", "StockRecord")


def _tracked(line) -> bool:
    return bool(
        line.stockrecord_id
        and line.product
        and line.product.get_product_class().track_stock
    )


def release_allocation(line, quantity: int) -> None:
    """Units not yet dispatched become free to sell again."""
    if _tracked(line):
        line.stockrecord.cancel_allocation(quantity)


def write_off_allocation(line, quantity: int) -> None:
    """Units not yet dispatched that won't be sold (damaged): they leave the stock."""
    if _tracked(line):
        line.stockrecord.consume_allocation(quantity)


def restock(line, quantity: int) -> None:
    """Units returned after dispatch go back into stock."""
    if _tracked(line):
        StockRecord.objects.filter(pk=line.stockrecord_id).update(
            num_in_stock=F("num_in_stock") + quantity
        )
        # A queryset update sends no signals: tell the page cache ourselves.
        stockrecords_changed([line.stockrecord_id])
