"""How long after delivery a shopper may ask for after-sales (售后):
settings.RETURN_WINDOW_DAYS (7 by default, the 7-day returns the FAQ promises)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .lifecycle import order_received_at


def return_window_ends(order):
    """When after-sales closes for `order`; None while it has not arrived."""
    received = order_received_at(order)
    if received is None:
        return None
    return received + timedelta(days=settings.RETURN_WINDOW_DAYS)


def return_window_open(order, *, now=None) -> bool:
    ends = return_window_ends(order)
    return ends is not None and (now or timezone.now()) <= ends
