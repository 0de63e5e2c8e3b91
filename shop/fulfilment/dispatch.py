"""Dispatch: an order leaves with a carrier and a tracking number. One order or
many at once (the dashboard's list, a CSV of tracking numbers): a batch is checked
whole first and dispatched in one transaction, so it all goes or none of it does."""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from . import statuses
from .lifecycle import TransitionRefused, order_transition
from .models import Carrier, Shipment

EventHandler = get_class("order.processing", "EventHandler")

TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9-]{4,64}$")


@dataclass(frozen=True)
class Dispatch:
    order: object
    carrier: Carrier
    tracking_number: str


def tracking_number_clean(value: str) -> str:
    """The tracking number as stored, or TransitionRefused saying what is wrong."""
    number = (value or "").strip().replace(" ", "")
    if not TRACKING_NUMBER.match(number):
        raise TransitionRefused(
            _(
                "“%(number)s” is not a tracking number: 4 to 64 letters, digits or "
                "dashes."
            )
            % {"number": value or ""}
        )
    return number


def dispatch_check(dispatch: Dispatch) -> None:
    """Raise TransitionRefused when `dispatch` can't happen (nothing is written)."""
    order = dispatch.order
    if statuses.SHIPPED not in statuses.ORDER_PIPELINE.get(order.status, ()):
        raise TransitionRefused(
            _("Order %(number)s is %(status)s: it can't be dispatched.")
            % {"number": order.number, "status": statuses.label(order.status)}
        )
    if not dispatch.carrier.is_active:
        raise TransitionRefused(
            _("%(carrier)s is not offered.") % {"carrier": dispatch.carrier}
        )
    tracking_number_clean(dispatch.tracking_number)


def order_dispatch(*, order, carrier: Carrier, tracking_number: str, by=None):
    """Dispatch `order`: Oscar's Dispatched shipping event with the carrier and
    tracking number, the allocation consumed (the units have left the stock), the
    order and its lines Shipped, and the shopper e-mailed the tracking link."""
    number = tracking_number_clean(tracking_number)
    dispatch_check(Dispatch(order, carrier, number))
    with transaction.atomic():
        event = order_transition(
            order=order,
            to=statuses.SHIPPED,
            by=by,
            reference=f"{carrier.name} {number}",
            email_context={
                "carrier": carrier,
                "tracking_number": number,
                "tracking_url": carrier.tracking_url(number),
            },
        )
        quantities = list(event.line_quantities.select_related("line__stockrecord"))
        EventHandler(user=by).consume_stock_allocations(
            order,
            [quantity.line for quantity in quantities],
            [quantity.quantity for quantity in quantities],
        )
        return Shipment.objects.create(
            order=order, event=event, carrier=carrier, tracking_number=number
        )


def orders_dispatch(*, dispatches: list[Dispatch], by=None) -> list[Shipment]:
    """Dispatch several orders, all or none. Raises TransitionRefused (nothing
    dispatched) for the first that can't go."""
    for dispatch in dispatches:
        dispatch_check(dispatch)
    with transaction.atomic():
        return [
            order_dispatch(
                order=d.order,
                carrier=d.carrier,
                tracking_number=d.tracking_number,
                by=by,
            )
            for d in dispatches
        ]
