"""Stock that never oversells: reservations while a shopper pays, checked and taken
under row locks in a fixed order, so concurrent checkouts queue instead of racing."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")
StockReservation = get_model("partner", "StockReservation")


@dataclass(frozen=True)
class Shortage:
    product_title: str
    wanted: int
    available: int


class InsufficientStock(Exception):
    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        super().__init__(
            "; ".join(
                f"{s.product_title}: {s.available} left, {s.wanted} wanted"
                for s in shortages
            )
        )


def _wanted(basket) -> dict[int, int]:
    wanted: dict[int, int] = defaultdict(int)
    for line in basket.all_lines():
        record = line.stockrecord
        if record is not None and line.product.get_product_class().track_stock:
            wanted[record.pk] += line.quantity
    return wanted


def _lock_and_check(basket, wanted: dict[int, int], now) -> dict[int, StockRecord]:
    """Lock the stock records (by primary key, so two baskets never deadlock) and
    check each can supply what this basket wants, net of other baskets' holds."""
    records = {
        record.pk: record
        for record in StockRecord.objects.select_for_update()
        .filter(pk__in=wanted)
        .select_related("product")
        .order_by("pk")
    }
    held = dict(
        StockReservation.objects.filter(stockrecord__in=wanted, expires_at__gt=now)
        .exclude(basket=basket)
        .values_list("stockrecord")
        .annotate(total=Sum("quantity"))
    )
    shortages = []
    for pk, quantity in wanted.items():
        record = records[pk]
        available = (record.num_in_stock or 0) - (record.num_allocated or 0)
        available -= held.get(pk, 0)
        if quantity > available:
            shortages.append(
                Shortage(record.product.get_title(), quantity, max(available, 0))
            )
    if shortages:
        raise InsufficientStock(shortages)
    return records


def stock_reserve_basket(*, basket, minutes: int | None = None) -> None:
    """Hold the basket's units for `minutes` (STOCK_RESERVATION_MINUTES by default),
    replacing any earlier hold. Raises InsufficientStock and holds nothing if any
    line can't be supplied."""
    minutes = minutes or settings.STOCK_RESERVATION_MINUTES
    now = timezone.now()
    wanted = _wanted(basket)
    with transaction.atomic():
        _lock_and_check(basket, wanted, now)
        StockReservation.objects.filter(basket=basket).delete()
        StockReservation.objects.bulk_create(
            StockReservation(
                stockrecord_id=pk,
                basket=basket,
                quantity=quantity,
                expires_at=now + timedelta(minutes=minutes),
            )
            for pk, quantity in wanted.items()
        )


def stock_confirm_for_order(*, basket) -> None:
    """Inside the order's transaction: lock the basket's stock records and re-check
    them, so the allocation Oscar then records cannot oversell. The basket's own
    hold counts for it, whether or not it has expired meanwhile."""
    _lock_and_check(basket, _wanted(basket), timezone.now())


def stock_release_basket(*, basket) -> int:
    deleted, _ = StockReservation.objects.filter(basket=basket).delete()
    return deleted


def stock_release_expired(*, now=None) -> int:
    deleted, _ = StockReservation.objects.filter(
        expires_at__lte=now or timezone.now()
    ).delete()
    return deleted


def stock_available(*, stockrecord, exclude_basket=None) -> int:
    """Units another shopper could reserve now."""
    held = StockReservation.objects.filter(
        stockrecord=stockrecord, expires_at__gt=timezone.now()
    )
    if exclude_basket is not None:
        held = held.exclude(basket=exclude_basket)
    total_held = held.aggregate(total=Sum("quantity"))["total"] or 0
    return (
        (stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0) - total_held
    )
