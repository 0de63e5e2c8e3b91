"""Orders nobody confirmed: N days after dispatch (settings.ORDER_AUTO_COMPLETE_DAYS)
a Shipped order is taken as delivered and Completed, a Delivered one Completed, and
the shopper is told when their after-sales window closes. Run by Celery beat; safe to
run twice (an order already moved is not selected again, and the transition re-reads
it under a lock, so a shopper confirming at the same moment wins cleanly)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from . import statuses
from .lifecycle import TransitionRefused, locked, order_transition
from .notifications import order_notify
from .returns_window import return_window_ends

Order = get_model("order", "Order")

logger = logging.getLogger(__name__)


def orders_due_for_completion(*, now=None):
    """Shipped or Delivered orders dispatched at least N days before `now`."""
    days = settings.ORDER_AUTO_COMPLETE_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Order.objects.filter(
        status__in=(statuses.SHIPPED, statuses.DELIVERED),
        shipping_events__event_type__name=statuses.EVENT_DISPATCHED,
        shipping_events__date_created__lte=cutoff,
    ).distinct()


def order_auto_complete(*, order) -> bool:
    """Complete one order if it still waits; False when it moved meanwhile."""
    days = settings.ORDER_AUTO_COMPLETE_DAYS
    note = ngettext(
        "Completed automatically %(days)s day after dispatch.",
        "Completed automatically %(days)s days after dispatch.",
        days,
    ) % {"days": days}
    with transaction.atomic():
        current = locked(order)
        try:
            if current.status == statuses.SHIPPED:
                order_transition(
                    order=current, to=statuses.DELIVERED, note=note, notify=False
                )
            order_transition(
                order=current, to=statuses.COMPLETED, note=note, notify=False
            )
        except TransitionRefused:
            return False
        order_notify(
            order=current,
            code=statuses.EMAIL_AUTO_COMPLETED,
            context={
                "days": settings.ORDER_AUTO_COMPLETE_DAYS,
                "return_window_ends": return_window_ends(current),
            },
        )
        return True


def orders_auto_complete(*, now=None) -> int:
    """Complete every order due; returns how many were completed by this run."""
    completed = 0
    for order in orders_due_for_completion(now=now).iterator():
        if order_auto_complete(order=order):
            completed += 1
    if completed:
        logger.info("Auto-completed %s orders", completed)
    return completed
