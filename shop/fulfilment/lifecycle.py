"""The one gate for an order's and its lines' status: a change the pipeline doesn't
allow is refused; an allowed one is recorded through Oscar's EventHandler (status
change, cascade to lines, the shipping event it stands for, a note) and the shopper
is told by e-mail. Dispatch, cancel and refunds are built on it."""

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import statuses
from .notifications import order_notify

EventHandler = get_class("order.processing", "EventHandler")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingEventType = get_model("order", "ShippingEventType")
PaymentEventType = get_model("order", "PaymentEventType")


class TransitionRefused(Exception):
    """The change is not allowed now; the message says why, for the person asking."""


def refunded_quantity(line) -> int:
    refunded = PaymentEventType.objects.filter(name=statuses.PAYMENT_REFUNDED).first()
    return line.payment_event_quantity(refunded) if refunded else 0


def _shipping_quantities(order, to: str) -> list[tuple]:
    """The lines (and how many of each) the shipping event for `to` covers: the
    lines moving with the order, less what was refunded before it left."""
    line_status = statuses.CASCADE.get(to)
    covered = []
    for line in order.lines.all():
        if line_status not in line.available_statuses():
            continue
        if to == statuses.DELIVERED:
            dispatched = ShippingEventType.objects.get(name=statuses.EVENT_DISPATCHED)
            quantity = line.shipping_event_quantity(dispatched)
        else:
            quantity = line.quantity - refunded_quantity(line)
        if quantity > 0:
            covered.append((line, quantity))
    return covered


def locked(order):
    """`order` re-read under a row lock: concurrent changes to it queue."""
    return Order.objects.select_for_update().get(pk=order.pk)


def order_transition(
    *,
    order,
    to: str,
    by=None,
    note: str = "",
    reference: str = "",
    notify: bool = True,
    email_context: dict | None = None,
):
    """Move `order` to status `to`. Returns the shipping event recorded (or None).

    Raises TransitionRefused when the pipeline does not allow it from the order's
    current status (read under a lock, so two merchandisers can't both win).
    """
    with transaction.atomic():
        current = locked(order)
        if to not in statuses.ORDER_PIPELINE.get(current.status, ()):
            raise TransitionRefused(
                _("Order %(number)s is %(status)s: it can't become %(to)s.")
                % {
                    "number": current.number,
                    "status": statuses.label(current.status),
                    "to": statuses.label(to),
                }
            )
        handler = EventHandler(user=by)
        event = None
        if to in statuses.SHIPPING_EVENT_FOR:
            covered = _shipping_quantities(current, to)
            event = handler.handle_shipping_event(
                current,
                ShippingEventType.objects.get(name=statuses.SHIPPING_EVENT_FOR[to]),
                [line for line, _quantity in covered],
                [quantity for _line, quantity in covered],
                reference=reference,
            )
        message = _("Status changed from %(old)s to %(new)s.") % {
            "old": current.status,
            "new": to,
        }
        handler.handle_order_status_change(
            current, to, note_msg=f"{message} {note}".strip()
        )
        order.status = current.status
        if notify and to in statuses.EMAIL_FOR:
            order_notify(
                order=current,
                code=statuses.EMAIL_FOR[to],
                context={"event": event, "note": note, **(email_context or {})},
            )
        return event


def line_transition(*, line, to: str) -> None:
    """Move one line to `to`; refused unless the line pipeline allows it."""
    with transaction.atomic():
        current = Line.objects.select_for_update().get(pk=line.pk)
        if to not in statuses.LINE_PIPELINE.get(current.status, ()):
            raise TransitionRefused(
                _("“%(title)s” is %(status)s: it can't become %(to)s.")
                % {
                    "title": current.title,
                    "status": statuses.label(current.status),
                    "to": statuses.label(to),
                }
            )
        current.set_status(to)
        line.status = current.status


def order_received_at(order):
    """When the shopper had the goods: the Delivered shipping event (the shopper
    confirmed receipt, the merchandiser marked it, or auto-complete assumed it), else
    when the order became Completed; None while it is on its way."""
    delivered = (
        order.shipping_events.filter(event_type__name=statuses.EVENT_DELIVERED)
        .order_by("date_created")
        .values_list("date_created", flat=True)
        .first()
    )
    if delivered:
        return delivered
    return (
        order.status_changes.filter(new_status=statuses.COMPLETED)
        .order_by("date_created")
        .values_list("date_created", flat=True)
        .first()
    )


def confirm_receipt(*, order, user):
    """The shopper says the parcel arrived (确认收货): a Shipped order is Delivered
    (its shipping event dates the return window) and Completed; a Delivered one is
    Completed. No e-mail: the shopper did it. Refused for someone else's order or
    one that is not on its way."""
    if not user or not user.is_authenticated or order.user_id != user.pk:
        raise TransitionRefused(_("Only the shopper who placed an order confirms it."))
    with transaction.atomic():
        current = locked(order)
        if current.status not in (statuses.SHIPPED, statuses.DELIVERED):
            raise TransitionRefused(
                _("Order %(number)s is %(status)s: there is no parcel to confirm.")
                % {"number": current.number, "status": statuses.label(current.status)}
            )
        note = _("The shopper confirmed receipt.")
        if current.status == statuses.SHIPPED:
            order_transition(
                order=current, to=statuses.DELIVERED, by=user, note=note, notify=False
            )
        order_transition(
            order=current, to=statuses.COMPLETED, by=user, note=note, notify=False
        )
        order.status = current.status
