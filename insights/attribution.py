"""Attribution: the tile that put a line in the basket (page, revision, StreamField
block) or a search result, recorded on the basket line and copied to the order line
when the order is placed (by the shopper's return or by the payment webhook)."""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from .events import events_push, visit_event
from .models import PAGE, SEARCH, BasketLineSource, Event, OrderLineSource
from .tracking import Visit, visit_of

# Field names the tile forms post (templatetags/insights_tags.py writes them).
FIELD_SOURCE = "attribution_source"
FIELD_PAGE = "attribution_page"
FIELD_REVISION = "attribution_revision"
FIELD_BLOCK = "attribution_block"

_BLOCK_ID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
_TOUCH_FIELDS = ("source", "page_id", "revision_id", "block_id", "at")


@dataclass(frozen=True)
class Touch:
    source: str
    page_id: int | None = None
    revision_id: int | None = None
    block_id: str = ""
    at: datetime | None = None


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _top_level_block_ids(content: dict) -> set[str]:
    body = content.get("body") or []
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return set()
    return {block.get("id") for block in body if isinstance(block, dict)}


def touch_from_post(data, *, now: datetime | None = None) -> Touch | None:
    """The touch a tile form posted, or None when it posted none or anything that
    doesn't check out (the page's revision must have that block): forged or stale
    fields are ignored, never an error."""
    now = now or timezone.now()
    source = data.get(FIELD_SOURCE, PAGE if data.get(FIELD_PAGE) else "")
    if source == SEARCH:
        return Touch(source=SEARCH, at=now)
    if source != PAGE:
        return None
    page_id = _positive_int(data.get(FIELD_PAGE))
    revision_id = _positive_int(data.get(FIELD_REVISION))
    block_id = str(data.get(FIELD_BLOCK, ""))
    if not (page_id and revision_id and _BLOCK_ID.match(block_id)):
        return None
    content = (
        Revision.page_revisions.filter(pk=revision_id, object_id=str(page_id))
        .values_list("content", flat=True)
        .first()
    )
    if content is None or block_id not in _top_level_block_ids(content):
        return None
    if not Page.objects.filter(pk=page_id).exists():
        return None
    return Touch(
        source=PAGE, page_id=page_id, revision_id=revision_id, block_id=block_id, at=now
    )


def _as_fields(prefix: str, touch: Touch | None) -> dict:
    if touch is None:
        return {
            f"{prefix}_source": "",
            f"{prefix}_page_id": None,
            f"{prefix}_revision_id": None,
            f"{prefix}_block_id": "",
            f"{prefix}_at": None,
        }
    return {f"{prefix}_{name}": getattr(touch, name) for name in _TOUCH_FIELDS}


def _touch_of(row, prefix: str) -> Touch | None:
    if not getattr(row, f"{prefix}_source"):
        return None
    return Touch(**{name: getattr(row, f"{prefix}_{name}") for name in _TOUCH_FIELDS})


def basket_line_touch(*, line, touch: Touch, visit: Visit) -> None:
    """Record `touch` as the line's last touch (and first, if it had none)."""
    fields = {
        **_as_fields("last", touch),
        "session_id": visit.session_id,
        "traffic_source": visit.traffic_source,
    }
    if not BasketLineSource.objects.filter(line=line).update(**fields):
        BasketLineSource.objects.create(
            line=line, **_as_fields("first", touch), **fields
        )


def basket_add_record(*, request, line, quantity: int) -> None:
    """After a shopper's add-to-basket: the tile's touch on the line, and the event
    (nothing for an opted-out visitor)."""
    visit = visit_of(request)
    if visit is None:
        return
    touch = touch_from_post(request.POST)
    if touch is not None:
        basket_line_touch(line=line, touch=touch, visit=visit)
    event = visit_event(
        visit,
        Event.ADD,
        product_id=line.product_id,
        quantity=quantity,
        **_event_place(touch),
    )
    transaction.on_commit(lambda: events_push([event]))


def _event_place(touch: Touch | None) -> dict:
    if touch is None:
        return {}
    return {
        "channel": touch.source,
        "page_id": touch.page_id,
        "block_id": touch.block_id,
    }


def checkout_start_record(*, request, basket) -> None:
    visit = visit_of(request)
    if visit is None:
        return
    sources = {
        row.line_id: _touch_of(row, "last")
        for row in BasketLineSource.objects.filter(line__basket=basket)
    }
    events = [
        visit_event(
            visit,
            Event.CHECKOUT,
            product_id=line.product_id,
            quantity=line.quantity,
            **_event_place(sources.get(line.pk)),
        )
        for line in basket.all_lines()
    ]
    transaction.on_commit(lambda: events_push(events))


def order_attribution_copy(*, order, basket, now: datetime | None = None) -> int:
    """Copy the basket lines' touches to the order's lines (Oscar creates one order
    line per basket line, in the same order). A last touch older than
    ATTRIBUTION_WINDOW_DAYS is dropped: that sale counts as direct. Returns how many
    order lines were attributed."""
    sources = {
        row.line_id: row for row in BasketLineSource.objects.filter(line__basket=basket)
    }
    if not sources:
        return 0
    since = (now or timezone.now()) - timedelta(days=settings.ATTRIBUTION_WINDOW_DAYS)
    basket_lines = basket.all_lines()
    order_lines = list(order.lines.order_by("pk"))
    rows = []
    for basket_line, order_line in zip(basket_lines, order_lines, strict=False):
        row = sources.get(basket_line.pk)
        if row is None or basket_line.product_id != order_line.product_id:
            continue
        last = _touch_of(row, "last")
        rows.append(
            OrderLineSource(
                line=order_line,
                **_as_fields("first", _touch_of(row, "first")),
                **_as_fields("last", last if last and last.at >= since else None),
                session_id=row.session_id,
                traffic_source=row.traffic_source,
            )
        )
    OrderLineSource.objects.bulk_create(rows, ignore_conflicts=True)
    events = [
        _line_event(Event.ORDER, row, row.line.line_price_incl_tax) for row in rows
    ]
    transaction.on_commit(lambda: events_push(events))
    return len(rows)


def _line_event(kind: str, row: OrderLineSource, amount) -> dict:
    last = _touch_of(row, "last")
    return {
        "kind": kind,
        "session_id": row.session_id,
        "utm_source": row.traffic_source if last else "",
        "order_id": row.line.order_id,
        "product_id": row.line.product_id,
        "quantity": row.line.quantity if kind == Event.ORDER else 0,
        "amount": str(amount),
        **_event_place(last),
    }


def refund_record(*, order, amount: Decimal, line_quantities=()) -> None:
    """A refund's events: its amount shared over the refunded lines (all lines when
    none are named) in proportion to what they cost, for the attributed ones."""
    if line_quantities:
        shares = {
            line.pk: line.unit_price_incl_tax * quantity
            for line, quantity in line_quantities
        }
    else:
        shares = {line.pk: line.line_price_incl_tax for line in order.lines.all()}
    whole = sum(shares.values())
    if not whole:
        return
    rows = OrderLineSource.objects.filter(line_id__in=shares).select_related("line")
    events = [
        _line_event(
            Event.REFUND,
            row,
            (amount * shares[row.line_id] / whole).quantize(Decimal("0.01")),
        )
        for row in rows
    ]
    transaction.on_commit(lambda: events_push(events))
