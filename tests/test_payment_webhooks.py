"""Stripe's webhooks: verified, recorded once, and the order placed exactly once."""

import random
import time

import pytest
from django.core import mail
from oscar.core.loading import get_model

from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests import webhooks

gateway = get_gateway("stripe")

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
GatewayEvent = get_model("checkout", "GatewayEvent")

pytestmark = pytest.mark.django_db


def _paid_without_returning(client, localstripe):
    """The shopper pays (Stripe.js confirms) and closes the tab before coming back."""
    steps.add(client, "MAL-1003")
    steps.to_payment_step(client)
    payment = CheckoutPayment.objects.get()
    gateway.intent_pay(payment.intent_id, token=localstripe.card_token())
    return payment


def _succeeded(payment, event_id=None):
    return webhooks.event(
        "payment_intent.succeeded",
        {"id": payment.intent_id, "object": "payment_intent", "status": "succeeded"},
        event_id=event_id,
    )


def test_the_succeeded_webhook_places_the_order_when_the_shopper_never_returns(
    client, localstripe, django_capture_on_commit_callbacks
):
    payment = _paid_without_returning(client, localstripe)

    with django_capture_on_commit_callbacks(execute=True):
        response = webhooks.deliver(client, _succeeded(payment))

    assert response.status_code == 200
    order = Order.objects.get()
    assert order.checkout_payment == payment
    assert GatewayEvent.objects.get().processed_at is not None
    assert [m.to for m in mail.outbox] == [["guest@example.com"]]


def test_replayed_and_shuffled_webhooks_give_the_same_state_as_one(
    client, localstripe, django_capture_on_commit_callbacks
):
    payment = _paid_without_returning(client, localstripe)
    succeeded = _succeeded(payment, event_id="evt_once")
    others = [
        webhooks.event("charge.succeeded", {"id": "ch_1", "object": "charge"}),
        webhooks.event("payment_intent.created", {"id": payment.intent_id}),
        webhooks.event("customer.created", {"id": "cus_1", "object": "customer"}),
    ]
    deliveries = [succeeded] * 3 + others
    random.Random(7).shuffle(deliveries)

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [webhooks.deliver(client, body).status_code for body in deliveries]

    assert statuses == [200] * 6
    assert Order.objects.count() == 1
    assert GatewayEvent.objects.count() == 4
    assert len(mail.outbox) == 1
    # The shopper coming back afterwards sees the same order, not a second one.
    session = client.session
    session["checkout_payment_id"] = payment.pk
    session.save()
    back = client.get(
        "/shop/checkout/payment-return/", {"payment_intent": payment.intent_id}
    )
    assert back.status_code == 302 and Order.objects.count() == 1


FORGERIES = {
    "no signature": lambda body: "",
    "garbage": lambda body: "garbage",
    "wrong digest": lambda body: "t=1700000000,v1=deadbeef",
    "another payload's signature": lambda body: webhooks.signed(b"{}"),
    "signed with another secret": lambda body: webhooks.signed(
        body, secret="whsec_attacker"
    ),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_forged_webhook_is_refused_and_changes_nothing(
    client, localstripe, forgery, django_capture_on_commit_callbacks
):
    payment = _paid_without_returning(client, localstripe)
    body = _succeeded(payment)

    with django_capture_on_commit_callbacks(execute=True):
        response = webhooks.deliver(
            client, body, signature=FORGERIES[forgery](body) or "none"
        )

    assert response.status_code == 400
    assert not GatewayEvent.objects.exists()
    assert not Order.objects.exists()


def test_a_stale_webhook_is_refused(client, localstripe):
    payment = _paid_without_returning(client, localstripe)
    body = _succeeded(payment)

    response = webhooks.deliver(
        client, body, signature=webhooks.signed(body, timestamp=time.time() - 3600)
    )

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_webhook_for_an_unpaid_intent_places_nothing(
    client, localstripe, django_capture_on_commit_callbacks
):
    steps.add(client, "MAL-1003")
    steps.to_payment_step(client)
    payment = CheckoutPayment.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliver(client, _succeeded(payment))

    assert not Order.objects.exists()
    assert GatewayEvent.objects.get().processed_at is not None


def test_an_event_whose_processing_died_is_processed_on_redelivery(
    client, localstripe, django_capture_on_commit_callbacks
):
    payment = _paid_without_returning(client, localstripe)
    body = _succeeded(payment, event_id="evt_lost")
    # Recorded, but its task never ran (the worker died with it).
    with django_capture_on_commit_callbacks(execute=False):
        assert webhooks.deliver(client, body).status_code == 200
    assert GatewayEvent.objects.get().processed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliver(client, body).status_code == 200

    assert Order.objects.get().checkout_payment == payment
    assert GatewayEvent.objects.get().processed_at is not None
    with django_capture_on_commit_callbacks(execute=True) as queued:
        webhooks.deliver(client, body)  # processed now: a replay queues nothing
    assert queued == [] and Order.objects.count() == 1


def test_beat_queues_again_only_events_stuck_past_the_threshold(
    client, localstripe, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from shop.checkout.tasks import requeue_stuck_gateway_events

    payment = _paid_without_returning(client, localstripe)
    with django_capture_on_commit_callbacks(execute=False):
        webhooks.deliver(client, _succeeded(payment))
    with django_capture_on_commit_callbacks(execute=True):
        requeue_stuck_gateway_events.delay()  # just queued: not stuck yet
    assert not Order.objects.exists()

    GatewayEvent.objects.update(queued_at=timezone.now() - timedelta(minutes=4))
    with django_capture_on_commit_callbacks(execute=True):
        requeue_stuck_gateway_events.delay()

    assert Order.objects.get().checkout_payment == payment
    assert GatewayEvent.objects.get().processed_at is not None


def test_a_shopper_back_after_the_webhook_placed_the_order_sees_it_and_is_forgotten(
    client, localstripe, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    payment = _paid_without_returning(client, localstripe)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliver(client, _succeeded(payment))
    assert client.session.get("checkout_data")  # the webhook had no session

    back = client.get(reverse("checkout:index"))

    order = Order.objects.get()
    assert back.status_code == 302 and back.url == reverse("checkout:thank-you")
    assert order.number in client.get(back.url).content.decode()
    assert not client.session.get("checkout_data")
    assert "checkout_payment_id" not in client.session


def test_a_webhook_for_a_gateway_the_shop_does_not_have_is_404(client):
    response = client.post(
        "/shop/checkout/no-such-gateway/webhook/", b"{}", content_type="text/plain"
    )

    assert response.status_code == 404
    assert not GatewayEvent.objects.exists()
