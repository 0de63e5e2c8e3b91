"""Stock that never oversells: reservations while a shopper pays, checked and taken
under row locks in a fixed order, so concurrent checkouts queue instead of racing.

Units ring-fenced for flash sessions (shop/flashsales/) are not free for regular
buying; a basket's own flash units come out of that fence (their pool is checked,
under the flash items' locks, by shop/flashsales/checkout.py first)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

from shop.cache_invalidation import stockrecords_changed
from shop.flashsales.checkout import flash_units_by_record
from shop.flashsales.selectors import fences

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


def _held(stockrecord_ids, *, excluding, now) -> dict[int, int]:
    """Units held per stock record by unexpired reservations of other baskets."""
    holds = StockReservation.objects.filter(
        stockrecord__in=stockrecord_ids, expires_at__gt=now
    )
    if excluding is not None:
        holds = holds.exclude(basket=excluding)
    return dict(holds.values_list("stockrecord").annotate(total=Sum("quantity")))


def _free(record, held: dict[int, int]) -> int:
    """Units of `record` nobody has bought or holds."""
    return (
        (record.num_in_stock or 0)
        - (record.num_allocated or 0)
        - held.get(record.pk, 0)
    )


def _lock_and_check(basket, wanted: dict[int, int], now) -> dict[int, StockRecord]:
    """Lock the stock records (by primary key, so two baskets never deadlock) and
    check each can supply what this basket wants, net of other baskets' holds.
    Only the stock rows: a bare FOR UPDATE would also lock the joined product rows,
    which the dashboard and other checkouts take in another order (a deadlock)."""
    records = {
        record.pk: record
        for record in StockRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted)
        .select_related("product")
        .order_by("pk")
    }
    held = _held(wanted, excluding=basket, now=now)
    fenced = fences(wanted, excluding_basket=basket, now=now)
    own_flash = flash_units_by_record(basket, now=now)
    shortages = []
    for pk, quantity in wanted.items():
        record = records[pk]
        fence = fenced.get(pk)
        # Regular units come from outside the fence; the basket's flash units
        # from inside it.
        available = _free(record, held) - (fence.units if fence else 0)
        available += min(own_flash.get(pk, 0), fence.units if fence else 0)
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
        _release(StockReservation.objects.filter(basket=basket), also=wanted)
        StockReservation.objects.bulk_create(
            StockReservation(
                stockrecord_id=pk,
                basket=basket,
                quantity=quantity,
                expires_at=now + timedelta(minutes=minutes),
            )
            for pk, quantity in wanted.items()
        )
    # Held units show as unavailable on every tile (the partner strategy).
    stockrecords_changed(wanted)


def stock_confirm_for_order(*, basket) -> None:
    """Inside the order's transaction: lock the basket's stock records and re-check
    them, so the allocation Oscar then records cannot oversell. The basket's own
    hold counts for it, whether or not it has expired meanwhile."""
    _lock_and_check(basket, _wanted(basket), timezone.now())


def _release(holds, *, also=()) -> int:
    """Delete `holds`; pages showing those stock records' availability (and that of
    `also`, records about to be held) are stale (a queryset delete: no signals)."""
    records = set(holds.values_list("stockrecord_id", flat=True)) | set(also)
    deleted, _ = holds.delete()
    stockrecords_changed(records)
    return deleted


def stock_release_basket(*, basket) -> int:
    return _release(StockReservation.objects.filter(basket=basket))


def stock_release_expired(*, now=None) -> int:
    return _release(
        StockReservation.objects.filter(expires_at__lte=now or timezone.now())
    )


def stock_available(*, stockrecord, exclude_basket=None) -> int:
    """Units another shopper could reserve now at the regular price."""
    now = timezone.now()
    held = _held([stockrecord.pk], excluding=exclude_basket, now=now)
    fence = fences([stockrecord.pk], excluding_basket=exclude_basket, now=now).get(
        stockrecord.pk
    )
    return _free(stockrecord, held) - (fence.units if fence else 0)


def stock_open_alert_ids(*, stockrecord_ids) -> set[int]:
    StockAlert = get_model("partner", "StockAlert")
    return set(
        StockAlert.objects.filter(
            stockrecord__in=stockrecord_ids, status=StockAlert.OPEN
        ).values_list("pk", flat=True)
    )


def stock_alerts_raise(*, stockrecord_ids) -> set[int]:
    """Make sure each record below its threshold has an open Oscar low-stock alert
    (Oscar opens them on saves; allocation may not save). Returns the open ids."""
    StockAlert = get_model("partner", "StockAlert")
    for record in StockRecord.objects.filter(pk__in=stockrecord_ids):
        if record.is_below_threshold:
            StockAlert.objects.get_or_create(
                stockrecord=record,
                status=StockAlert.OPEN,
                defaults={"threshold": record.low_stock_threshold},
            )
    return stock_open_alert_ids(stockrecord_ids=stockrecord_ids)


def stock_alert_notify(*, alert_id: int) -> bool:
    """E-mail the merchandisers about one low-stock alert, once."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.mail import send_mail

    StockAlert = get_model("partner", "StockAlert")
    alert = (
        StockAlert.objects.select_related("stockrecord__product")
        .filter(pk=alert_id, status=StockAlert.OPEN)
        .first()
    )
    if alert is None or not cache.add(
        f"stock-alert-notified:{alert_id}", "1", 86400 * 30
    ):
        return False
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(groups__name=settings.MERCHANDISER_GROUP, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        | set(settings.STOCK_ALERT_EMAILS)
    )
    if not recipients:
        return False
    record = alert.stockrecord
    title = record.product.get_title()
    send_mail(
        subject=f"Low stock: {title} ({record.net_stock_level} left)",
        message=(
            f"{record.product.get_title()} (SKU {record.partner_sku}) is down to "
            f"{record.net_stock_level}, below its threshold of {alert.threshold}.\n"
            "Restock it in the dashboard: /dashboard/catalogue/stock-alerts/"
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return True
