"""The shopper's orders as the "Me" pages show them: tabs with counts, one
order's timeline and tracking, confirm receipt, buy again, who may review.

Status names are Oscar's (`OSCAR_ORDER_STATUS_PIPELINE`, `OSCAR_LINE_STATUS_PIPELINE`);
the lifecycle work names them (paid → processing → shipped → delivered →
completed; cancelled; refunded; after-sales on lines). Which status falls under
which tab is the one mapping below, `ORDER_TABS` / `AFTER_SALES_*`: point it at
the lifecycle's names, nothing else here names a status.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from oscar.core.loading import get_class, get_model

from shop.payments import CANCELED, SUCCEEDED

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Basket = get_model("basket", "Basket")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
InvalidOrderStatus = get_class("order.exceptions", "InvalidOrderStatus")

# The tabs every such mall has, in its order. "Awaiting payment" lists checkouts
# whose payment was started and not finished: here an order exists only once paid.
AWAITING_PAYMENT = "awaiting_payment"
TABS = (AWAITING_PAYMENT, "to_ship", "shipped", "completed", "after_sales")
ORDER_TABS: dict[str, tuple[str, ...]] = {
    "to_ship": ("Paid", "Processing"),
    "shipped": ("Shipped", "Delivered"),
    "completed": ("Completed",),
}
# After-sales: a refunded order, or one with a line in after-sales (售后).
AFTER_SALES_ORDER_STATUSES = ("Refunded",)
AFTER_SALES_LINE_STATUSES = (
    "Return requested",
    "Return approved",
    "Return rejected",
    "Returned",
    "Refunded",
)
TAB_LABELS = {
    AWAITING_PAYMENT: _("Awaiting payment"),
    "to_ship": _("To ship"),
    "shipped": _("Shipped"),
    "completed": _("Completed"),
    "after_sales": _("After-sales"),
}
# Confirm receipt: from which statuses, and where to.
ON_ITS_WAY = ("Shipped", "Delivered")
RECEIVED = "Completed"
# Orders whose products a shopper may review: the goods arrived.
REVIEWABLE = ("Delivered", "Completed")
# How a dispatch shows in Oscar's shipping events (ShippingEventType.code).
DISPATCH_EVENT_CODES = ("dispatched",)
# Payment states of a checkout the shopper can still pay (the gateway's words).
UNFINISHED_PAYMENT = (CANCELED, SUCCEEDED, "refunded")


# Status names as shoppers read them (the lifecycle's own labels replace these).
STATUS_LABELS = {
    "Paid": pgettext_lazy("order status", "Paid"),
    "Processing": pgettext_lazy("order status", "Processing"),
    "Shipped": pgettext_lazy("order status", "Shipped"),
    "Delivered": pgettext_lazy("order status", "Delivered"),
    "Completed": pgettext_lazy("order status", "Completed"),
    "Cancelled": pgettext_lazy("order status", "Cancelled"),
    "Refunded": pgettext_lazy("order status", "Refunded"),
    "Return requested": pgettext_lazy("order status", "Return requested"),
    "Return approved": pgettext_lazy("order status", "Return approved"),
    "Return rejected": pgettext_lazy("order status", "Return rejected"),
    "Returned": pgettext_lazy("order status", "Returned"),
}


def status_label(status: str) -> str:
    """A status as the reader's language names it (an unknown one as stored)."""
    return STATUS_LABELS.get(status, status) if status else _("Placed")


class ReceiptNotAllowed(Exception):
    """The order can't be confirmed as received (not the shopper's, or not on its
    way)."""


def _after_sales() -> Q:
    in_after_sales = Line.objects.filter(
        order=OuterRef("pk"), status__in=AFTER_SALES_LINE_STATUSES
    )
    return Q(status__in=AFTER_SALES_ORDER_STATUSES) | Q(Exists(in_after_sales))


def _tab_filter(tab: str) -> Q:
    if tab == "after_sales":
        return _after_sales()
    return Q(status__in=ORDER_TABS[tab])


def checkouts_awaiting_payment(*, user) -> QuerySet:
    """The shopper's checkouts at the pay step: a payment started, no order, the
    basket not yet ordered. Newest first."""
    return (
        CheckoutPayment.objects.filter(user=user, order=None)
        .exclude(status__in=UNFINISHED_PAYMENT)
        .filter(basket__status__in=(Basket.OPEN, Basket.FROZEN))
        .select_related("basket")
        .order_by("-created_at")
    )


def order_tab_counts(*, user) -> dict[str, int]:
    """How many entries each tab lists: one query for the order tabs, one for
    checkouts awaiting payment."""
    counts = Order.objects.filter(user=user).aggregate(
        **{
            tab: Count("pk", filter=_tab_filter(tab))
            for tab in TABS
            if tab != AWAITING_PAYMENT
        }
    )
    counts[AWAITING_PAYMENT] = checkouts_awaiting_payment(user=user).count()
    return {tab: counts[tab] or 0 for tab in TABS}


def orders_for_tab(*, user, tab: str | None) -> QuerySet:
    """The shopper's orders, newest first, those of `tab` only when given (none
    for "awaiting payment": those are checkouts)."""
    orders = Order.objects.filter(user=user)
    if tab == AWAITING_PAYMENT:
        orders = orders.none()
    elif tab:
        orders = orders.filter(_tab_filter(tab))
    return orders.order_by("-date_placed").prefetch_related(
        "lines__product__images", "lines__product__parent__images"
    )


def can_confirm_receipt(order) -> bool:
    return order.status in ON_ITS_WAY and RECEIVED in order.available_statuses()


def order_confirm_receipt(*, order, user) -> None:
    """The shopper says the parcel arrived (确认收货): the order is complete.
    Confirming twice changes nothing. Through Oscar's `set_status`, which checks
    the pipeline and records the status change; the lifecycle's transition
    service, once on main, takes this over (it also dates the delivery)."""
    if not user.is_authenticated or order.user_id != user.pk:
        raise ReceiptNotAllowed(_("Only the shopper who placed an order confirms it."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == RECEIVED:
            return
        if order.status not in ON_ITS_WAY:
            raise ReceiptNotAllowed(_("This order is not on its way."))
        try:
            order.set_status(RECEIVED)
        except InvalidOrderStatus as refused:
            raise ReceiptNotAllowed(str(refused)) from refused


@dataclass(frozen=True)
class TimelineEntry:
    """One step of the order's story (field names as the lifecycle's timeline)."""

    date: datetime
    label: str
    detail: str = ""
    tracking_url: str = ""


@dataclass(frozen=True)
class Tracking:
    """The latest dispatch: when, what the merchandiser noted (carrier and number)
    and a link to follow the parcel when there is one."""

    date: datetime
    detail: str
    url: str


_URL = re.compile(r"https?://\S+")


def _link_in(notes: str) -> str:
    found = _URL.search(notes or "")
    return found.group(0) if found else ""


def _without_link(notes: str) -> str:
    """The note as shown beside its link button: carrier and number."""
    return _URL.sub("", notes or "").strip()


def order_timeline(order) -> list[TimelineEntry]:
    """What happened to the order, newest first: placed, payments, shipping
    events (with their notes: carrier and tracking number) and status changes."""
    entries = [TimelineEntry(order.date_placed, str(_("Order placed")))]
    for event in order.payment_events.select_related("event_type"):
        entries.append(TimelineEntry(event.date_created, event.event_type.name))
    for event in order.shipping_events.select_related("event_type"):
        entries.append(
            TimelineEntry(
                event.date_created,
                event.event_type.name,
                _without_link(event.notes),
                _link_in(event.notes),
            )
        )
    for change in order.status_changes.all():
        entries.append(
            TimelineEntry(change.date_created, status_label(change.new_status))
        )
    return sorted(entries, key=lambda entry: entry.date, reverse=True)


def order_tracking(order) -> Tracking | None:
    """The latest dispatch shipping event as tracking, or None before dispatch."""
    event = (
        order.shipping_events.filter(event_type__code__in=DISPATCH_EVENT_CODES)
        .order_by("-date_created")
        .first()
    )
    if event is None:
        return None
    return Tracking(
        event.date_created, _without_link(event.notes), _link_in(event.notes)
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
