"""Stripe's webhook events, verified and told in the shop's neutral terms."""

from ..interface import (
    OTHER,
    PAYMENT_REFUNDED,
    PAYMENT_SUCCEEDED,
    Event,
    InvalidWebhook,
)
from . import api
from .consts import GATEWAY_NAME

# Only these Stripe events change anything in the shop; the rest are recorded as OTHER.
EVENT_TYPES = {
    "payment_intent.succeeded": PAYMENT_SUCCEEDED,
    "charge.refunded": PAYMENT_REFUNDED,
}


def webhook_event(payload: bytes, headers) -> Event:
    """Verify a delivery by its Stripe-Signature header and translate it. Raises
    InvalidWebhook for anything Stripe did not sign."""
    event = api.webhook_verify(payload, headers.get("Stripe-Signature", ""))
    if not isinstance(event.get("id"), str) or not event["id"]:
        raise InvalidWebhook("a signed event without an id")
    obj = (event.get("data") or {}).get("object") or {}
    kind = EVENT_TYPES.get(event.get("type"), OTHER)
    # A refund arrives on the charge, which names its intent; success on the intent.
    intent_id = {
        PAYMENT_SUCCEEDED: obj.get("id"),
        PAYMENT_REFUNDED: obj.get("payment_intent"),
    }.get(kind)
    return Event(
        gateway=GATEWAY_NAME,
        id=event["id"],
        type=kind,
        intent_id=intent_id or "",
        amount_refunded=int(obj.get("amount_refunded") or 0),
        currency=(obj.get("currency") or "").upper(),
        data=obj,
    )
