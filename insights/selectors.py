"""Campaign figures for reports, read from the daily roll-up (insights.rollup)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import SEARCH, DailyStat

FIGURES = (
    "views",
    "sessions",
    "impressions",
    "clicks",
    "adds",
    "orders",
    "units",
    "revenue",
    "refunded",
)
MONEY = ("revenue", "refunded")
CENT = Decimal("0.01")
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @classmethod
    def last(cls, days) -> "Period":
        days = int(days) if str(days) in map(str, PERIODS) else DEFAULT_PERIOD
        until = timezone.localdate()
        return cls(since=until - timedelta(days=days - 1), until=until)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


def _stats(period: Period):
    return DailyStat.objects.filter(day__gte=period.since, day__lte=period.until)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _with_rates(row: dict) -> dict:
    for name in FIGURES:
        row[name] = row.get(name) or 0
    for name in MONEY:
        row[name] = _money(row[name])
    row["net"] = row["revenue"] - row["refunded"]
    sessions = row["sessions"]
    row["conversion"] = (
        f"{row['orders'] / sessions:.1%}" if sessions and row["orders"] else "—"
    )
    return row


def _sums(orders: str = "page_orders"):
    """Figures summed over DailyStat rows; `orders` names the distinct-orders figure
    for the level summed (a page's rows or a block's), never the per-row `orders`,
    which counts an order once per block and product it bought from."""
    return {name: Sum(name) for name in FIGURES} | {"orders": Sum(orders)}


def campaign_pages(*, period: Period) -> list[dict]:
    """One row per page with figures in the period, best net revenue first; the
    site search's sales as one more row."""
    rows = list(
        _stats(period).exclude(page_id=None).values("page_id").annotate(**_sums())
    )
    titles = dict(
        Page.objects.filter(pk__in=[row["page_id"] for row in rows]).values_list(
            "pk", "title"
        )
    )
    for row in rows:
        row["title"] = titles.get(row["page_id"], _("(deleted page)"))
    search = _stats(period).filter(channel=SEARCH).aggregate(**_sums())
    if any(search.values()):
        rows.append({"page_id": None, "title": _("Site search"), **search})
    return sorted(
        (_with_rates(row) for row in rows), key=lambda row: row["net"], reverse=True
    )


def _block_labels(page) -> dict[str, str]:
    body = getattr(page.specific, "body", None) or []
    labels = {}
    for number, block in enumerate(body, start=1):
        heading = block.value.get("heading") if hasattr(block.value, "get") else ""
        label = f"{number}. {block.block.label}"
        labels[block.id] = f"{label}: {heading}" if heading else label
    return labels


def campaign_page_report(*, page, period: Period) -> dict:
    """A page's totals, its days, its blocks and its traffic sources."""
    stats = _stats(period).filter(page_id=page.pk)
    totals = _with_rates(stats.aggregate(**_sums()))
    by_day = {
        row["day"]: _with_rates(row) for row in stats.values("day").annotate(**_sums())
    }
    days = [
        by_day.get(day) or _with_rates({"day": day})
        for day in (period.since + timedelta(days=n) for n in range(period.days))
    ]
    labels = _block_labels(page)
    blocks = [
        _with_rates(row | {"label": labels.get(row["block_id"], _("(removed block)"))})
        for row in stats.exclude(block_id="")
        .values("block_id")
        .annotate(**_sums("block_orders"))
        .order_by("block_id")
    ]
    blocks.sort(key=lambda row: row["net"], reverse=True)
    sources = [
        _with_rates(row | {"source": row["traffic_source"] or _("Direct")})
        for row in stats.values("traffic_source").annotate(**_sums())
    ]
    sources.sort(key=lambda row: row["net"], reverse=True)
    return {"totals": totals, "days": days, "blocks": blocks, "sources": sources}


def product_sales_by_page(*, product_id: int) -> list[dict]:
    """What drove a product's sales: revenue and orders per page (and search)."""
    rows = list(
        DailyStat.objects.filter(product_id=product_id)
        .exclude(orders=0, refunded=0)
        .values("page_id", "channel")
        .annotate(
            orders=Sum("orders"), revenue=Sum("revenue"), refunded=Sum("refunded")
        )
    )
    titles = dict(
        Page.objects.filter(
            pk__in=[row["page_id"] for row in rows if row["page_id"]]
        ).values_list("pk", "title")
    )
    for row in rows:
        row["title"] = (
            _("Site search")
            if row["channel"] == SEARCH
            else titles.get(row["page_id"], _("(deleted page)"))
        )
        for name in MONEY:
            row[name] = _money(row[name])
        row["net"] = row["revenue"] - row["refunded"]
    return sorted(rows, key=lambda row: row["net"], reverse=True)
