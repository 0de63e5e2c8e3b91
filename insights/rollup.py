"""Daily figures from raw events: rebuilt whole for a day, so running it again (or
after late events arrive) gives the same totals, never doubled ones."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .events import events_drain
from .models import DailyStat, Event

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
DIMENSIONS = ("page_id", "block_id", "product_id", "channel")


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _source(row: dict) -> str:
    return row.pop("utm_source") or row.pop("referrer_host") or ""


def _distinct_orders(events) -> dict[tuple, Counter]:
    """Each order once per page (`page_orders`) and once per block (`block_orders`)
    a day, on that page's or block's product-less row of the traffic source its
    first line came through: so a page's totals, days and sources add up to its
    orders, however many of its blocks or products one order bought from."""
    counted: dict[tuple, Counter] = {}
    seen = set()
    lines = (
        events.filter(kind=Event.ORDER)
        .exclude(order_id=None)
        .order_by("pk")
        .values(
            "order_id", "page_id", "block_id", "channel", "utm_source", "referrer_host"
        )
    )
    for line in lines:
        source = _source(line)
        place = (line["order_id"], line["page_id"], line["channel"])
        levels = [("page_orders", "")]
        if line["block_id"]:
            levels.append(("block_orders", line["block_id"]))
        for field, block_id in levels:
            if (field, block_id, *place) in seen:
                continue
            seen.add((field, block_id, *place))
            key = (line["page_id"], block_id, None, line["channel"], source)
            counted.setdefault(key, Counter())[field] += 1
    return counted


def rollup_day(*, day: date) -> int:
    """Replace `day`'s DailyStat rows (the site's time zone) with totals from its
    events; returns how many rows it wrote."""
    start, end = _bounds(day)
    events = Event.objects.filter(at__gte=start, at__lt=end)
    grouped = events.values(*DIMENSIONS, "utm_source", "referrer_host").annotate(
        views=Count("pk", filter=Q(kind=Event.VIEW)),
        sessions=Count("session_id", filter=Q(kind=Event.VIEW), distinct=True),
        impressions=Count("pk", filter=Q(kind=Event.IMPRESSION)),
        clicks=Count("pk", filter=Q(kind=Event.CLICK)),
        adds=Coalesce(Sum("quantity", filter=Q(kind=Event.ADD)), 0),
        checkouts=Count("session_id", filter=Q(kind=Event.CHECKOUT), distinct=True),
        orders=Count("order_id", filter=Q(kind=Event.ORDER), distinct=True),
        units=Coalesce(Sum("quantity", filter=Q(kind=Event.ORDER)), 0),
        revenue=Coalesce(Sum("amount", filter=Q(kind=Event.ORDER)), ZERO),
        refunded=Coalesce(Sum("amount", filter=Q(kind=Event.REFUND)), ZERO),
    )
    merged: dict[tuple, DailyStat] = {}

    def stat_of(key: tuple) -> DailyStat:
        if key not in merged:
            page_id, block_id, product_id, channel, source = key
            merged[key] = DailyStat(
                day=day,
                page_id=page_id,
                block_id=block_id,
                product_id=product_id,
                channel=channel,
                traffic_source=source,
            )
        return merged[key]

    for row in grouped:
        source = _source(row)
        stat = stat_of(
            (row["page_id"], row["block_id"], row["product_id"], row["channel"], source)
        )
        for field in (
            "views",
            "sessions",
            "impressions",
            "clicks",
            "adds",
            "checkouts",
            "orders",
            "units",
            "revenue",
            "refunded",
        ):
            setattr(stat, field, getattr(stat, field) + row[field])
    for key, counts in _distinct_orders(events).items():
        stat = stat_of(key)
        for field, count in counts.items():
            setattr(stat, field, count)
    with transaction.atomic():
        DailyStat.objects.filter(day=day).delete()
        DailyStat.objects.bulk_create(merged.values())
    return len(merged)


def events_delete_before(*, cutoff: datetime) -> int:
    deleted, _ = Event.objects.filter(at__lt=cutoff).delete()
    return deleted


def rollup_refresh_today() -> int:
    """Queued events in, and today's figures rebuilt (what a report shows now)."""
    events_drain()
    return rollup_day(day=timezone.localdate())
