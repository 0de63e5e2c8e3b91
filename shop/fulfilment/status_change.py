"""A status picked from a list (Oscar's dashboard status form, its bulk status
change): each status goes through the operation that carries its effects."""

from django.utils.translation import gettext_lazy as _

from . import statuses
from .cancel import order_cancel
from .lifecycle import TransitionRefused, order_transition

# Statuses reached only through their own form (they need more than a status).
OWN_FORM = {
    statuses.SHIPPED: _("Dispatch the order with a carrier and tracking number."),
    statuses.REFUNDED: _("Refund the order's lines."),
}


def order_status_change(*, order, to: str, by=None) -> None:
    """Move `order` to `to` the way that status needs; TransitionRefused if not."""
    if to in OWN_FORM:
        raise TransitionRefused(str(OWN_FORM[to]))
    if to == statuses.CANCELLED:
        order_cancel(order=order, by=by)
    else:
        order_transition(order=order, to=to, by=by)


def order_status_check(*, order, to: str) -> None:
    """Raise TransitionRefused when order_status_change(order, to) would be refused
    by the pipeline or needs its own form (nothing is written)."""
    if to in OWN_FORM:
        raise TransitionRefused(str(OWN_FORM[to]))
    if to not in statuses.ORDER_PIPELINE.get(order.status, ()):
        raise TransitionRefused(
            _("Order %(number)s is %(status)s: it can't become %(to)s.")
            % {
                "number": order.number,
                "status": statuses.label(order.status),
                "to": statuses.label(to) if to else "-",
            }
        )
