"""A guest buys on the real checkout, paying localstripe over HTTP."""

import time
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payments import get_gateway
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
    steps.add(client, "MAL-1002", 1)
    steps.add(rival, "MAL-1002", 4)  # the last 4 lychee boxes
    steps.to_payment_step(rival)  # held for the rival from now on

    response = steps.to_payment_step(client)

    assert response.status_code == 302 and response.url == reverse("basket:summary")
    message = [str(m) for m in client.get(response.url).context["messages"]]
    # Oscar's own basket check refuses it: the strategy counts the rival's hold.
    assert any("no longer available" in m for m in message)
    assert CheckoutPayment.objects.count() == 1  # only the rival's: no intent for us


def test_selling_below_the_threshold_raises_an_alert_emailed_to_merchandisers(
    client, localstripe, django_capture_on_commit_callbacks
):
    StockAlert = get_model("partner", "StockAlert")
    steps.add(client, "MAL-4002")  # speaker: 5 in stock, threshold 5
    steps.to_payment_step(client)

    with django_capture_on_commit_callbacks(execute=True):
        steps.pay(client, localstripe.card_token())

    alert = StockAlert.objects.get(stockrecord__product__upc="MAL-4002")
    assert alert.status == StockAlert.OPEN
    alerts = [m for m in mail.outbox if m.subject.startswith("Low stock")]
    assert len(alerts) == 1
    assert alerts[0].to == ["merchandiser@mallard.test"]
    assert (
        "Portable Bluetooth Speaker" in alerts[0].subject
        and "4 left" in alerts[0].subject
    )


def _authenticate_like_stripe_js(localstripe, payment, success=True):
    """What localstripe's Stripe.js stand-in does in confirmCardPayment (3-D Secure)."""
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{localstripe.url}/v1/payment_intents/{payment.intent_id}/_authenticate"
        f"?success={'true' if success else 'false'}",
        data=json.dumps(
            {"key": "pk_test_mallard", "client_secret": payment.client_secret}
        ).encode(),
        method="POST",
    )
    urllib.request.urlopen(request).read()


def test_a_card_needing_3d_secure_is_finished_by_stripe_js_and_the_return_view(
    client, localstripe
):
    steps.add(client, "MAL-4003")
    steps.to_payment_step(client)
    page = steps.pay(client, localstripe.card_token("4000002760003184"))
    assert page.status_code == 200 and "data-requires-action" in page.content.decode()
    payment = CheckoutPayment.objects.get()
    assert not Order.objects.exists()

    _authenticate_like_stripe_js(localstripe, payment)
    response = client.get(
        reverse("checkout:payment-return"), {"payment_intent": payment.intent_id}
    )

    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    assert Order.objects.get().checkout_payment == payment


def test_a_failed_authentication_places_no_order_and_returns_to_the_pay_step(
    client, localstripe
):
    steps.add(client, "MAL-4003")
    steps.to_payment_step(client)
    steps.pay(client, localstripe.card_token("4000002760003184"))
    payment = CheckoutPayment.objects.get()

    _authenticate_like_stripe_js(localstripe, payment, success=False)
    response = client.get(
        reverse("checkout:payment-return"), {"payment_intent": payment.intent_id}
    )

    assert response.url == reverse("checkout:payment-details")
    assert not Order.objects.exists()


def test_wechat_pay_and_alipay_are_offered_when_enabled_for_the_currency(
    client, localstripe, settings
):
    method_types = get_gateway("stripe").method_types
    settings.STRIPE_WALLETS = ["wechat_pay", "alipay"]
    steps.add(client, "MAL-4003")

    page = steps.to_payment_step(client)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-wallet="wechat_pay"' in html and 'data-wallet="alipay"' in html
    assert method_types("CNY") == ["card", "wechat_pay", "alipay"]
    assert method_types("MYR") == ["card", "alipay"]
    settings.STRIPE_WALLETS = []
    assert method_types("CNY") == ["card"]


def test_the_return_view_ignores_an_intent_from_another_session(client, localstripe):
    from django.test import Client

    steps.add(client, "MAL-4003")
    steps.to_payment_step(client)
    payment = CheckoutPayment.objects.get()

    stranger = Client().get(
        reverse("checkout:payment-return"), {"payment_intent": payment.intent_id}
    )

    assert stranger.url == reverse("basket:summary")
    assert not Order.objects.exists()


@pytest.mark.worker
def test_the_confirmation_email_is_sent_by_the_worker(
    client, localstripe, celery_worker, django_capture_on_commit_callbacks
):
    steps.add(client, "MAL-1003")
    steps.to_payment_step(client, email="worker-buyer@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        steps.pay(client, localstripe.card_token())

    deadline = time.monotonic() + 20
    while not list(celery_worker.outbox.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    sent = [path.read_text() for path in celery_worker.outbox.iterdir()]
    assert mail.outbox == []
    assert len(sent) == 1 and "To: worker-buyer@example.com" in sent[0]
    assert Order.objects.get().number in sent[0]
