"""Which language an order's e-mails are written in: the one the shopper bought in."""

from django.conf import settings
from django.utils import translation
from oscar.core.loading import get_class

from .models import OrderLanguage


def _supported(code: str | None) -> str | None:
    codes = {code for code, _name in settings.LANGUAGES}
    if not code:
        return None
    code = code.lower()
    if code in codes:
        return code
    base = code.split("-")[0]
    return next((c for c in codes if c.split("-")[0] == base), None)


def order_language_record(*, order, code: str | None = None) -> None:
    """Remember `code` (default: the language active now) for `order`, once."""
    code = _supported(code or translation.get_language())
    if code:
        OrderLanguage.objects.get_or_create(order=order, defaults={"code": code})


def order_language(order) -> str:
    """The order's language, else the site's."""
    recorded = OrderLanguage.objects.filter(order=order).values_list("code", flat=True)
    return next(iter(recorded), None) or settings.LANGUAGE_CODE


def _on_order_placed(sender, order, **kwargs):
    # Placement is the checkout's, in the language the shopper paid in (kept with
    # the payment, so also when the payment webhook places it).
    order_language_record(order=order)


def connect() -> None:
    order_placed = get_class("order.signals", "order_placed")
    order_placed.connect(_on_order_placed, dispatch_uid="fulfilment-order-language")
