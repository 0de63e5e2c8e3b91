"""The one module that imports the Stripe SDK: everything else sees interface.py."""

import stripe
from django.conf import settings

from ..interface import (
    GatewayUnavailable,
    Intent,
    InvalidWebhook,
    PaymentError,
    Refund,
)

# Stripe's own default tolerance for a webhook's timestamp.
WEBHOOK_TOLERANCE_SECONDS = 300


def _client():
    options = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options).v1


def _intent(obj) -> Intent:
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    charge = data.get("latest_charge")
    if isinstance(charge, dict):
        charge_id, refunded = charge.get("id"), charge.get("amount_refunded") or 0
    else:
        charge_id, refunded = charge, 0
    return Intent(
        id=data["id"],
        status=data["status"],
        amount=data["amount"],
        currency=data["currency"].upper(),
        client_secret=data.get("client_secret") or "",
        charge_id=charge_id,
        amount_refunded=refunded,
        method_types=list(data.get("payment_method_types") or []),
    )


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except stripe.CardError as error:
        raise PaymentError(error.user_message or str(error)) from error
    except stripe.StripeError as error:
        raise GatewayUnavailable(
            "The payment service could not be reached. You have not been charged."
        ) from error


def intent_create(
    *,
    amount: int,
    currency: str,
    method_types: list[str],
    metadata: dict,
    idempotency_key: str,
    return_url: str | None = None,
) -> Intent:
    params = {
        "amount": amount,
        "currency": currency.lower(),
        "payment_method_types": method_types,
        "metadata": metadata,
    }
    return _intent(
        _call(
            _client().payment_intents.create,
            params=params,
            options={"idempotency_key": idempotency_key},
        )
    )


def intent_retrieve(intent_id: str) -> Intent:
    return _intent(_call(_client().payment_intents.retrieve, intent_id))


def intent_pay(intent_id: str, *, token: str) -> Intent:
    """Pay with the card Stripe.js tokenised in the browser, confirming server-side;
    the browser finishes 3-D Secure if Stripe asks for it (requires_action)."""
    client = _client()
    card = _call(client.tokens.retrieve, token).card
    _call(client.payment_intents.update, intent_id, params={"payment_method": card.id})
    return _intent(_call(client.payment_intents.confirm, intent_id))


def intent_cancel(intent_id: str) -> Intent:
    return _intent(_call(_client().payment_intents.cancel, intent_id))


def refund_create(*, intent_id: str, amount: int, idempotency_key: str) -> Refund:
    refund = _call(
        _client().refunds.create,
        params={"payment_intent": intent_id, "amount": amount},
        options={"idempotency_key": idempotency_key},
    )
    return Refund(id=refund.id, amount=refund.amount, status=refund.status)


def webhook_verify(payload: bytes, signature: str) -> dict:
    """The event Stripe signed, as plain data; InvalidWebhook if the signature or its
    timestamp does not check out."""
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=WEBHOOK_TOLERANCE_SECONDS,
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidWebhook(str(error)) from error
    return event.to_dict()
