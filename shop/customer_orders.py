"""The shopper's orders as the "Me" pages show them: tabs, a timeline, receipt.

Status names are Oscar's order statuses (`OSCAR_ORDER_STATUS_PIPELINE`). Which
status falls under which tab is this one dict, `TABS`: adjust it here when the
pipeline's names change. Moves between statuses go through `_move()`, the one
place that changes an order's status from these pages.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_class, get_model

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingEvent = get_model("order", "ShippingEvent")
InvalidOrderStatus = get_class("order.exceptions", "InvalidOrderStatus")

# Tab → the order statuses it lists, in the order a mall shows them.
TABS: dict[str, list[str]] = {
    "awaiting_payment": ["Awaiting payment", "Pending"],
    "to_ship": ["Paid", "Processing"],
    "shipped": ["Shipped", "Delivered"],
    "completed": ["Completed"],
    "after_sales": ["Return requested", "Partly refunded", "Refunded"],
}
TAB_LABELS = {
    "awaiting_payment": _("Awaiting payment"),
    "to_ship": _("To ship"),
    "shipped": _("Shipped"),
    "completed": _("Completed"),
    "after_sales": _("After-sales"),
}
# What "confirm receipt" moves an order to.
RECEIVED = "Completed"
# Orders whose lines a shopper may review (delivered, or received and completed).
REVIEWABLE = ["Delivered", "Completed"]
# How a dispatch shows in Oscar's shipping events (ShippingEventType.code).
DISPATCH_EVENT_CODES = ["dispatched"]


class ReceiptNotAllowed(Exception):
    """The order can't be confirmed as received in its current status."""


def tab_statuses(tab: str) -> list[str]:
    return TABS[tab]


def order_tab_counts(*, user) -> dict[str, int]:
    """How many of the shopper's orders each tab lists, in one query."""
    counts = Order.objects.filter(user=user).aggregate(
        **{
            tab: Count("pk", filter=Q(status__in=statuses))
            for tab, statuses in TABS.items()
        }
    )
    return {tab: counts[tab] or 0 for tab in TABS}


def orders_for_tab(*, user, tab: str | None) -> QuerySet:
    """The shopper's orders, newest first, those of `tab` only when given."""
    orders = Order.objects.filter(user=user)
    if tab:
        orders = orders.filter(status__in=TABS[tab])
    return orders.order_by("-date_placed").prefetch_related(
        "lines__product__images", "lines__product__parent__images"
    )


def can_confirm_receipt(order) -> bool:
    return RECEIVED in order.available_statuses()


def _move(order, status: str) -> None:
    """The one status change these pages make; the lifecycle service's
    transition belongs here once it exists (it records and notifies)."""
    order.set_status(status)


def order_confirm_receipt(*, order) -> None:
    """The shopper says the parcel arrived: the order is complete."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == RECEIVED:
            return
        try:
            _move(order, RECEIVED)
        except InvalidOrderStatus as refused:
            raise ReceiptNotAllowed(str(refused)) from refused


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    title: str
    detail: str = ""


def order_timeline(order) -> list[TimelineEntry]:
    """What happened to the order, newest first: placed, payments, shipping
    events (with their notes: carrier and tracking number) and status changes."""
    entries = [TimelineEntry(order.date_placed, str(_("Order placed")))]
    for event in order.payment_events.select_related("event_type"):
        entries.append(TimelineEntry(event.date_created, event.event_type.name))
    for event in order.shipping_events.select_related("event_type"):
        entries.append(
            TimelineEntry(event.date_created, event.event_type.name, event.notes)
        )
    for change in order.status_changes.all():
        entries.append(TimelineEntry(change.date_created, change.new_status))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def order_tracking(order):
    """The latest dispatch shipping event (its notes carry carrier and tracking
    number, its `tracking_url` a link when the event has one), or None."""
    return (
        order.shipping_events.filter(event_type__code__in=DISPATCH_EVENT_CODES)
        .order_by("-date_created")
        .first()
    )


def user_may_review(*, user, product) -> bool:
    """Only a shopper whose order with this product (or one of its variants) was
    delivered or completed."""
    if not user.is_authenticated:
        return False
    products = Q(product=product) | Q(product__parent=product)
    return Line.objects.filter(
        products, order__user=user, order__status__in=REVIEWABLE
    ).exists()


@dataclass(frozen=True)
class BuyAgain:
    """What "buy again" put in the basket, and why the other lines were left out."""

    added: int
    refused: list[str]
    over_limit: str = ""


def order_buy_again(*, order, basket, strategy) -> BuyAgain:
    """Put the order's still-available lines back in `basket` (with their options),
    naming each line left out and why, the way Oscar's reorder decides it."""
    lines, refused = [], []
    for line in order.lines.select_related("product"):
        available, reason = line.is_available_to_reorder(basket, strategy)
        if available:
            lines.append(line)
        else:
            refused.append(f"{line.title}: {reason}")
    allowed, reason = basket.is_quantity_allowed(sum(line.quantity for line in lines))
    if not allowed:
        return BuyAgain(added=0, refused=refused, over_limit=reason)
    for line in lines:
        options = [
            {"option": attribute.option, "value": attribute.value}
            for attribute in line.attributes.select_related("option")
            if attribute.option
        ]
        basket.add_product(line.product, line.quantity, options)
    return BuyAgain(added=len(lines), refused=refused)
