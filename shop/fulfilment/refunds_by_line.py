"""Refunds by line: the merchandiser picks lines, how many of each, a reason, and
whether the units go back into stock. The money goes back through the payment
service as one refund, recorded as Oscar's Refunded payment event with a quantity
per line; a line refunded whole becomes Refunded, an order refunded whole becomes
Cancelled (before dispatch) or Refunded; the shopper is e-mailed."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_class, get_model

from shop.checkout.refunds import order_refund

from . import statuses, stock
from .lifecycle import (
    TransitionRefused,
    line_transition,
    locked,
    order_transition,
    refunded_quantity,
)
from .notifications import order_notify

EventHandler = get_class("order.processing", "EventHandler")
PaymentEventType = get_model("order", "PaymentEventType")
ShippingEventType = get_model("order", "ShippingEventType")

REASONS = {
    "out_of_stock": gettext_lazy("Out of stock"),
    "damaged": gettext_lazy("Damaged or faulty"),
    "wrong_item": gettext_lazy("Wrong item sent"),
    "not_received": gettext_lazy("Not received"),
    "changed_mind": gettext_lazy("Shopper changed their mind"),
    "other": gettext_lazy("Other"),
}


@dataclass(frozen=True)
class LineRefund:
    line: object
    quantity: int


def _check(order, refunds: list[LineRefund]) -> None:
    if not refunds:
        raise TransitionRefused(_("Choose at least one line to refund."))
    seen = set()
    for refund in refunds:
        line = refund.line
        if line.order_id != order.pk or line.pk in seen:
            raise TransitionRefused(_("Choose lines of this order, each once."))
        seen.add(line.pk)
        left = line.quantity - refunded_quantity(line)
        if not 1 <= refund.quantity <= left:
            raise TransitionRefused(
                _("“%(title)s”: refund between 1 and %(left)s (not yet refunded).")
                % {"title": line.title, "left": left}
                if left
                else _("“%(title)s” has been refunded already.") % {"title": line.title}
            )
        if statuses.REFUNDED not in statuses.LINE_PIPELINE.get(line.status, ()):
            raise TransitionRefused(
                _("“%(title)s” is %(status)s: it can't be refunded.")
                % {"title": line.title, "status": statuses.label(line.status)}
            )


def order_refund_lines(
    *, order, refunds: list[LineRefund], reason: str, restock: bool, by=None
) -> Decimal:
    """Refund `refunds` of `order`; returns the amount refunded.

    Raises TransitionRefused (nothing refunded) for a quantity over what is left,
    a line of another order, or a line that can't be refunded; the payment
    service's RefundError when the gateway refuses.
    """
    reason_text = str(REASONS.get(reason, reason)).strip()
    if not reason_text:
        raise TransitionRefused(_("Say why the lines are refunded."))
    with transaction.atomic():
        current = locked(order)
        lines = {
            line.pk: line
            for line in current.lines.select_related("stockrecord", "product")
        }
        refunds = [
            LineRefund(lines.get(r.line.pk, r.line), r.quantity) for r in refunds
        ]
        _check(current, refunds)
        handler = EventHandler(user=by)
        refunded_type = PaymentEventType.objects.get(name=statuses.PAYMENT_REFUNDED)
        amount = handler.calculate_payment_event_subtotal(
            refunded_type,
            [r.line for r in refunds],
            [r.quantity for r in refunds],
        )
        dispatched = current.status in statuses.DISPATCHED_STATUSES
        for r in refunds:
            if dispatched and restock:
                stock.restock(r.line, r.quantity)
            elif not dispatched and restock:
                stock.release_allocation(r.line, r.quantity)
            elif not dispatched:
                stock.write_off_allocation(r.line, r.quantity)
            if r.quantity + refunded_quantity(r.line) == r.line.quantity:
                line_transition(line=r.line, to=statuses.REFUNDED)
        if dispatched and restock:
            handler.handle_shipping_event(
                current,
                ShippingEventType.objects.get(name=statuses.EVENT_RETURNED),
                [r.line for r in refunds],
                [r.quantity for r in refunds],
                reference=reason_text,
            )
        summary = ", ".join(f"{r.quantity} × {r.line.title}" for r in refunds)
        handler.create_note(
            current,
            _("Refunded %(lines)s: %(amount)s. Reason: %(reason)s. %(stock)s")
            % {
                "lines": summary,
                "amount": amount,
                "reason": reason_text,
                "stock": _("Restocked.") if restock else _("Not restocked."),
            },
        )
        _whole_order_refunded(current, refunds, dispatched, by)
        order_notify(
            order=current,
            code=statuses.EMAIL_REFUNDED,
            context={"refunds": refunds, "amount": amount, "reason": reason_text},
        )
        # The gateway last: anything above that fails leaves the money untouched.
        if amount > 0:
            order_refund(
                order=current,
                amount=amount,
                line_quantities=[(r.line, r.quantity) for r in refunds],
            )
        order.status = current.status
        return amount


def _whole_order_refunded(order, refunds, dispatched: bool, by) -> None:
    """When no unit of the order is left unrefunded, the order's status says so."""
    now = {r.line.pk: r.quantity for r in refunds}
    for line in order.lines.all():
        if line.quantity - refunded_quantity(line) - now.get(line.pk, 0) > 0:
            return
    to = statuses.REFUNDED if dispatched else statuses.CANCELLED
    if to in statuses.ORDER_PIPELINE.get(order.status, ()):
        order_transition(order=order, to=to, by=by, notify=False)
