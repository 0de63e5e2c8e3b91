"""Payment gateways behind one neutral interface (interface.py). Checkout, refunds
and the dashboard import only this package; each gateway package (stripe/, later
wechatpay/, alipay/) owns its SDK, its webhook parsing and its tests.

A gateway is added by naming its class here or in settings.PAYMENT_GATEWAYS, never by
editing checkout."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .interface import (
    CANCELED,
    OTHER,
    PAYMENT_REFUNDED,
    PAYMENT_SUCCEEDED,
    REQUIRES_ACTION,
    SUCCEEDED,
    Event,
    Gateway,
    GatewayUnavailable,
    Intent,
    InvalidWebhook,
    PaymentError,
    Refund,
    UnknownGateway,
    from_minor_units,
    to_minor_units,
)

GATEWAYS = {"stripe": "shop.payments.stripe.gateway.StripeGateway"}
DEFAULT_GATEWAY = "stripe"

__all__ = [
    "CANCELED",
    "OTHER",
    "PAYMENT_REFUNDED",
    "PAYMENT_SUCCEEDED",
    "REQUIRES_ACTION",
    "SUCCEEDED",
    "Event",
    "Gateway",
    "GatewayUnavailable",
    "Intent",
    "InvalidWebhook",
    "PaymentError",
    "Refund",
    "UnknownGateway",
    "from_minor_units",
    "get_gateway",
    "to_minor_units",
]


def get_gateway(name: str | None = None) -> Gateway:
    """The gateway called `name`, or the site's default (PAYMENT_DEFAULT_GATEWAY).
    Raises UnknownGateway for a name no gateway answers to."""
    return _load(name or getattr(settings, "PAYMENT_DEFAULT_GATEWAY", DEFAULT_GATEWAY))


@cache
def _load(name: str) -> Gateway:
    paths = {**GATEWAYS, **getattr(settings, "PAYMENT_GATEWAYS", {})}
    if name not in paths:
        raise UnknownGateway(name)
    return import_string(paths[name])()
