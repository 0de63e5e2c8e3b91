"""Refunds from Oscar's dashboard, and Stripe-side refunds reconciled by webhook."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests import webhooks

gateway = get_gateway("stripe")

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(client, localstripe):
    steps.add(client, "MAL-4003")  # 149.00, free delivery
    steps.to_payment_step(client)
    steps.pay(client, localstripe.card_token())
    return Order.objects.get()


def _refund(client, order, amount):
    return client.post(
        reverse("dashboard-order-refund", kwargs={"number": order.number}),
        {"amount": amount},
        follow=True,
    )


def _stripe_refunded(order) -> int:
    return gateway.intent_retrieve(order.checkout_payment.intent_id).amount_refunded


def test_merchandiser_refunds_part_then_the_rest_from_the_dashboard(
    client, demo_user, paid_order
):
    client.force_login(demo_user("merchandiser"))
    page = client.get(
        reverse("dashboard:order-detail", kwargs={"number": paid_order.number})
    )
    html = page.content.decode()
    assert paid_order.checkout_payment.intent_id in html  # the payment source
    assert "data-refund-form" in html

    partial = _refund(client, paid_order, "49.00")
    rest = _refund(client, paid_order, "100.00")

    assert "100.00 can still be refunded" in partial.content.decode()
    assert rest.status_code == 200
    source = paid_order.sources.get()
    assert source.amount_refunded == Decimal("149.00")
    events = paid_order.payment_events.order_by("pk")
    assert [(e.event_type.name, e.amount) for e in events] == [
        ("Paid", Decimal("149.00")),
        ("Refunded", Decimal("49.00")),
        ("Refunded", Decimal("100.00")),
    ]
    assert _stripe_refunded(paid_order) == 14900


@pytest.mark.parametrize("amount", ["150.00", "0", "-5", "lots"])
def test_a_bad_refund_amount_is_refused_and_nothing_is_refunded(
    client, demo_user, paid_order, amount
):
    client.force_login(demo_user("merchandiser"))

    response = _refund(client, paid_order, amount)

    messages = [str(m) for m in response.context["messages"]]
    assert any("refund" in m.lower() for m in messages), messages
    assert paid_order.sources.get().amount_refunded == 0
    assert _stripe_refunded(paid_order) == 0


def test_shoppers_and_editors_cannot_refund(client, demo_user, paid_order):
    client.force_login(demo_user("editor"))

    response = _refund(client, paid_order, "10.00")

    assert response.status_code == 403
    assert paid_order.sources.get().amount_refunded == 0


def test_a_refund_made_in_stripe_is_reconciled_once_from_charge_refunded(
    client, paid_order, django_capture_on_commit_callbacks
):
    intent_id = paid_order.checkout_payment.intent_id
    gateway.refund_create(intent_id=intent_id, amount=2000, idempotency_key="stripe-ui")
    body = webhooks.event(
        "charge.refunded",
        {
            "id": "ch_x",
            "object": "charge",
            "payment_intent": intent_id,
            "amount_refunded": 2000,
            "currency": "cny",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert webhooks.deliver(client, body).status_code == 200

    source = paid_order.sources.get()
    assert source.amount_refunded == Decimal("20.00")
    assert paid_order.payment_events.filter(event_type__name="Refunded").count() == 1
