"""Telling the shopper what happened to their order: Oscar's communication event
types and dispatcher, in the language they bought in. The site's e-mail backend
queues each message for Celery once the transaction commits."""

import logging

from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_class

from .languages import order_language

Dispatcher = get_class("communication.utils", "Dispatcher")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")

logger = logging.getLogger(__name__)


def order_status_path(order) -> str:
    """Where the shopper follows the order: their account, or the guest page."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def order_notify(*, order, code: str, context: dict | None = None) -> None:
    """Send the shopper the e-mail for event type `code` about `order`."""
    with translation.override(order_language(order)):
        messages = Dispatcher().get_messages(
            code,
            {
                "order": order,
                "lines": order.lines.all(),
                "status_path": order_status_path(order),
                **(context or {}),
            },
        )
        OrderDispatcher(logger=logger).dispatch_order_messages(order, messages, code)
