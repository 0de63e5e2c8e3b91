"""A guest buys on the real checkout, paying localstripe over HTTP."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from tests import checkout_steps as steps

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
StockReservation = get_model("partner", "StockReservation")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_a_guest_buys_two_products_and_the_order_is_complete(
    client, localstripe, django_capture_on_commit_callbacks
):
    steps.add(client, "MAL-1005", 2)  # 2 × 26.80 jerky
    steps.add(client, "MAL-4003")  # 149.00 charger
    page = steps.to_payment_step(client)
    assert page.status_code == 200, page.content.decode()[:500]
    payment = CheckoutPayment.objects.get()
    assert payment.amount == Decimal("202.60")  # 53.60 + 149.00, free delivery over 99
    assert payment.client_secret in page.content.decode()
    assert StockReservation.objects.filter(basket=payment.basket).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = steps.pay(client, localstripe.card_token())

    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.guest_email == "guest@example.com"
    assert {(line.product.upc, line.quantity) for line in order.lines.all()} == {
        ("MAL-1005", 2),
        ("MAL-4003", 1),
    }
    assert order.shipping_code == "standard" and order.shipping_incl_tax == 0
    assert order.total_incl_tax == Decimal("202.60")
    source = order.sources.get()
    assert (
        source.reference == payment.intent_id
        and source.amount_debited == order.total_incl_tax
    )
    assert [e.event_type.name for e in order.payment_events.all()] == ["Paid"]
    assert not StockReservation.objects.exists()
    assert Product.objects.get(upc="MAL-4003").stockrecords.get().num_allocated == 1
    thank_you = client.get(response.url)
    assert order.number in thank_you.content.decode()
    assert [m.to for m in mail.outbox] == [["guest@example.com"]]
    assert order.number in mail.outbox[0].subject + mail.outbox[0].body


def test_a_double_submitted_payment_step_makes_one_intent_and_one_order(
    client, localstripe
):
    steps.add(client, "MAL-1003")
    steps.to_payment_step(client)
    steps.to_payment_step(client)  # a reload
    assert CheckoutPayment.objects.count() == 1

    token = localstripe.card_token()
    first = steps.pay(client, token)
    second = steps.pay(client, token)  # the double tap

    assert first.status_code == 302
    assert Order.objects.count() == 1
    assert second.status_code in (200, 302)


def test_a_shopper_who_loses_the_last_unit_is_refused_before_paying(
    client, localstripe
):
    from django.test import Client

    rival = Client()
    steps.add(rival, "MAL-1002", 4)  # the last 4 lychee boxes
    steps.to_payment_step(rival)
    steps.add(client, "MAL-1002", 1)

    response = steps.to_payment_step(client)

    assert response.status_code == 302 and response.url == reverse("basket:summary")
    message = [str(m) for m in client.get(response.url).context["messages"]]
    assert any("not enough stock" in m for m in message)
    assert CheckoutPayment.objects.count() == 1  # only the rival's: no intent for us
