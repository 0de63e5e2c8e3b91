"""What the dashboard and the shopper read about an order's money and parcels."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from oscar.core.loading import get_model

from . import statuses
from .aftersales import line_requestable_quantity
from .lifecycle import refunded_quantity
from .models import AfterSalesRequest
from .returns_window import return_window_open

Order = get_model("order", "Order")
Transaction = get_model("payment", "Transaction")

REFUND = "Refund"


@dataclass(frozen=True)
class Movement:
    """One payment transaction as the shopper sees it: refunds are negative."""

    date: object
    source: str
    amount: Decimal
    is_refund: bool
    reference: str
    status: str


def order_money_movements(order) -> list[Movement]:
    transactions = Transaction.objects.filter(source__order=order).select_related(
        "source__source_type"
    )
    return [
        Movement(
            date=txn.date_created,
            source=str(txn.source.source_type),
            amount=-txn.amount if txn.txn_type == REFUND else txn.amount,
            is_refund=txn.txn_type == REFUND,
            reference=txn.reference,
            status=txn.status,
        )
        for txn in transactions.order_by("date_created", "pk")
    ]


def order_refund_state(order) -> str:
    """ "none", "partly" or "fully": how much of what was paid went back."""
    paid = sum((s.amount_debited for s in order.sources.all()), Decimal(0))
    refunded = sum((s.amount_refunded for s in order.sources.all()), Decimal(0))
    if not refunded:
        return "none"
    return "fully" if refunded >= paid else "partly"


def order_shipments(order):
    return order.shipments.select_related("carrier")


def line_refundable_quantities(order) -> dict[int, int]:
    """For each line: how many units can still be refunded (0 when its status
    can't be refunded)."""
    return {
        line.pk: (
            line.quantity - refunded_quantity(line)
            if statuses.REFUNDED in statuses.LINE_PIPELINE.get(line.status, ())
            else 0
        )
        for line in order.lines.all()
    }


# The shopper's order tabs ("Me" pages). Awaiting payment is the checkout's (an
# intent not yet paid has no order); every other tab is an order status.
TAB_STATUSES = {
    "to_ship": (statuses.PAID, statuses.PROCESSING),
    "shipped": (statuses.SHIPPED, statuses.DELIVERED),
    "completed": (statuses.COMPLETED,),
}
TABS = (*TAB_STATUSES, "after_sales")


def customer_orders_in_tab(*, user, tab: str):
    """`user`'s orders in `tab` (to_ship, shipped, completed, after_sales), newest
    first. KeyError for another tab name."""
    orders = Order.objects.filter(user=user)
    if tab == "after_sales":
        orders = orders.filter(after_sales_requests__isnull=False).distinct()
    else:
        orders = orders.filter(status__in=TAB_STATUSES[tab])
    return orders.order_by("-date_placed")


def customer_order_tab_counts(*, user) -> dict[str, int]:
    """How many orders each tab shows; after_sales counts open requests' orders."""
    counts = Order.objects.filter(user=user).aggregate(
        **{
            tab: Count("pk", filter=Q(status__in=wanted))
            for tab, wanted in TAB_STATUSES.items()
        }
    )
    counts["after_sales"] = (
        AfterSalesRequest.objects.filter(user=user, status__in=AfterSalesRequest.OPEN)
        .values("order")
        .distinct()
        .count()
    )
    return counts


@dataclass(frozen=True)
class TimelineEntry:
    date: object
    status: str  # the order status reached (stored value)
    label: str  # as the reader's language names it
    detail: str = ""
    tracking_url: str = ""


def order_timeline(order) -> list[TimelineEntry]:
    """The order's story for the shopper, oldest first: placed, each status it
    reached (dispatch with its carrier and tracking link)."""
    shipments = {s.event_id: s for s in order.shipments.select_related("carrier")}
    dispatches = [
        shipments[e.pk]
        for e in order.shipping_events.filter(
            event_type__name=statuses.EVENT_DISPATCHED
        ).order_by("date_created")
        if e.pk in shipments
    ]
    entries = [
        TimelineEntry(order.date_placed, statuses.PAID, statuses.label(statuses.PAID))
    ]
    for change in order.status_changes.order_by("date_created", "pk"):
        detail, url = "", ""
        if change.new_status == statuses.SHIPPED and dispatches:
            shipment = dispatches.pop(0)
            detail, url = str(shipment), shipment.tracking_url
        entries.append(
            TimelineEntry(
                change.date_created,
                change.new_status,
                statuses.label(change.new_status),
                detail,
                url,
            )
        )
    return entries


def order_tracking(order):
    """The latest shipment (carrier, tracking_number, tracking_url) or None."""
    return order_shipments(order).first()


def line_after_sales(line) -> dict:
    """What the order page offers beside a line: `url` to ask for after-sales (when
    it can be asked now) or to follow the line's latest request, and `request`."""
    latest = (
        line.after_sales_lines.select_related("request")
        .order_by("-request__date_created", "-pk")
        .first()
    )
    request = latest.request if latest else None
    if request and request.is_open:
        url = reverse("aftersales:detail", kwargs={"pk": request.pk})
    elif line_requestable_quantity(line) and return_window_open(line.order):
        url = aftersales_entry_url(line)
    elif request:
        url = reverse("aftersales:detail", kwargs={"pk": request.pk})
    else:
        url = ""
    return {"url": url, "request": request}


def aftersales_entry_url(line) -> str:
    """Where a shopper asks for after-sales on `line` (the form, that line ticked)."""
    path = reverse("aftersales:create", kwargs={"order_number": line.order.number})
    return f"{path}?line={line.pk}"


def customer_aftersales_requests(*, user):
    return AfterSalesRequest.objects.filter(user=user).select_related("order")
