"""The Stripe gateway: its webhooks told in neutral terms, and its payment
operations against localstripe over HTTP."""

import hashlib
import hmac
import json
import time

import pytest

from shop.payments import (
    OTHER,
    PAYMENT_REFUNDED,
    PAYMENT_SUCCEEDED,
    InvalidWebhook,
    UnknownGateway,
    get_gateway,
)
from shop.payments.stripe.gateway import StripeGateway

SECRET = "whsec_stripe_package_tests"


def _delivery(kind, obj, *, secret=SECRET, age=0):
    payload = json.dumps(
        {"id": "evt_1", "object": "event", "type": kind, "data": {"object": obj}}
    ).encode()
    stamp = int(time.time() - age)
    digest = hmac.new(
        secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return payload, {"Stripe-Signature": f"t={stamp},v1={digest}"}


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


def test_get_gateway_finds_stripe_by_name_and_as_the_default():
    assert isinstance(get_gateway("stripe"), StripeGateway)
    assert get_gateway() is get_gateway("stripe")
    with pytest.raises(UnknownGateway):
        get_gateway("no-such-gateway")


def test_a_succeeded_intent_is_a_neutral_payment_succeeded(webhook_secret):
    event = get_gateway("stripe").webhook_event(
        *_delivery(
            "payment_intent.succeeded", {"id": "pi_1", "object": "payment_intent"}
        )
    )
    assert (event.gateway, event.id, event.type, event.intent_id) == (
        "stripe",
        "evt_1",
        PAYMENT_SUCCEEDED,
        "pi_1",
    )


def test_a_refunded_charge_names_its_intent_and_the_total_refunded(webhook_secret):
    event = get_gateway("stripe").webhook_event(
        *_delivery(
            "charge.refunded",
            {
                "id": "ch_1",
                "object": "charge",
                "payment_intent": "pi_1",
                "amount_refunded": 2500,
                "currency": "cny",
            },
        )
    )
    assert (event.type, event.intent_id, event.amount_refunded, event.currency) == (
        PAYMENT_REFUNDED,
        "pi_1",
        2500,
        "CNY",
    )


def test_events_the_shop_does_not_act_on_are_other(webhook_secret):
    event = get_gateway("stripe").webhook_event(
        *_delivery("customer.created", {"id": "cus_1", "object": "customer"})
    )
    assert (event.type, event.intent_id) == (OTHER, "")


@pytest.mark.parametrize(
    "forge",
    [
        lambda payload, headers: (payload, {}),
        lambda payload, headers: (payload, {"Stripe-Signature": "garbage"}),
        lambda payload, headers: (payload + b" ", headers),
        lambda payload, headers: _delivery("payment_intent.succeeded", {}, age=3600),
        lambda payload, headers: _delivery(
            "payment_intent.succeeded", {}, secret="whsec_attacker"
        ),
    ],
    ids=["unsigned", "garbage", "tampered", "stale", "another secret"],
)
def test_anything_stripe_did_not_sign_is_refused(webhook_secret, forge):
    payload, headers = forge(*_delivery("payment_intent.succeeded", {"id": "pi_1"}))
    with pytest.raises(InvalidWebhook):
        get_gateway("stripe").webhook_event(payload, headers)


def test_an_intent_is_created_paid_and_refunded_in_part(localstripe):
    gateway = get_gateway("stripe")
    intent = gateway.intent_create(
        amount=12345,
        currency="CNY",
        method_types=gateway.method_types("CNY"),
        metadata={"basket": "1"},
        idempotency_key="stripe-package-test",
    )
    assert (intent.amount, intent.currency, intent.succeeded) == (12345, "CNY", False)

    paid = gateway.intent_pay(intent.id, token=localstripe.card_token())
    refund = gateway.refund_create(
        intent_id=intent.id, amount=2345, idempotency_key="stripe-package-refund"
    )

    assert paid.succeeded and paid.charge_id
    assert refund.amount == 2345
    assert gateway.intent_retrieve(intent.id).amount_refunded == 2345


def test_a_cancelled_intent_can_no_longer_be_paid(localstripe):
    from shop.payments import PaymentError

    gateway = get_gateway("stripe")
    intent = gateway.intent_create(
        amount=500,
        currency="CNY",
        method_types=["card"],
        metadata={},
        idempotency_key="stripe-package-cancel",
    )

    assert gateway.intent_cancel(intent.id).status == "canceled"
    with pytest.raises(PaymentError):
        gateway.intent_pay(intent.id, token=localstripe.card_token())
