"""Cancelling an order before it leaves: what is left of it is refunded through
the payment gateway, its allocated stock is released and the vouchers it used are
given back. Once dispatched it can't be cancelled (its lines can be refunded)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from shop.checkout.refunds import order_refund

from . import statuses, stock
from .lifecycle import TransitionRefused, locked, order_transition, refunded_quantity
from .vouchers import order_vouchers_release


def order_refundable(order) -> Decimal:
    """What the shopper paid and has not had back, over all payment sources."""
    return sum(
        (
            source.amount_debited - source.amount_refunded
            for source in order.sources.all()
        ),
        Decimal(0),
    )


def order_cancel(*, order, by=None, reason: str = "") -> Decimal:
    """Cancel `order`; returns the amount refunded. Raises TransitionRefused when it
    has been dispatched or is cancelled already (nothing changes then)."""
    with transaction.atomic():
        current = locked(order)
        if current.status in statuses.DISPATCHED_STATUSES:
            raise TransitionRefused(
                _(
                    "Order %(number)s has been dispatched, so it can't be cancelled. "
                    "Refund its lines instead once they come back."
                )
                % {"number": current.number}
            )
        remaining = [
            (line, line.quantity - refunded_quantity(line))
            for line in current.lines.select_related("stockrecord", "product")
        ]
        remaining = [(line, quantity) for line, quantity in remaining if quantity > 0]
        amount = order_refundable(current)
        order_transition(
            order=current,
            to=statuses.CANCELLED,
            by=by,
            note=reason,
            email_context={"refund_amount": amount, "reason": reason},
        )
        for line, quantity in remaining:
            stock.release_allocation(line, quantity)
        order_vouchers_release(order=current)
        # The gateway last: anything above that fails leaves the money untouched.
        if amount > 0:
            order_refund(order=current, amount=amount, line_quantities=remaining)
        order.status = current.status
        return amount
