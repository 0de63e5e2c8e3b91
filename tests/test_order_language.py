"""The order confirmation is written in the language the shopper paid in, also when
the payment webhook places the order after the shopper has gone, and when a Celery
worker does it."""

import email
import email.policy
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model

from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests import webhooks
from tests.factories import product_for_sale
from tests.markers import committed

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")

SUBJECTS = {"zh-hans": "确认订单{number}", "en": "Confirmation of order {number}"}


def _shopper(language: str) -> Client:
    shopper = Client(HTTP_ACCEPT_LANGUAGE=language)
    shopper.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return shopper


def _pays_and_leaves(localstripe, *, language: str, email_address: str):
    """The shopper pays in `language` (Stripe.js confirms) and closes the tab."""
    shopper = _shopper(language)
    with translation.override(language):
        steps.add(shopper, product_for_sale(price="30.00"))
        steps.to_payment_step(shopper, email=email_address)
    payment = CheckoutPayment.objects.get()
    get_gateway("stripe").intent_pay(payment.intent_id, token=localstripe.card_token())
    return webhooks.event(
        "payment_intent.succeeded",
        {"id": payment.intent_id, "object": "payment_intent", "status": "succeeded"},
    )


def _delivered_from_the_other_language(body: bytes, shopper_language: str):
    """Stripe's call carries no shopper: give it the other language to prove the
    shopper's is the one used."""
    other = "en" if shopper_language == "zh-hans" else "zh-hans"
    with translation.override(other):
        return webhooks.deliver(_shopper(other), body)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_webhook_confirms_the_order_in_the_language_the_shopper_paid_in(
    language, localstripe, mailoutbox, django_capture_on_commit_callbacks
):
    body = _pays_and_leaves(localstripe, language=language, email_address="w@ex.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = _delivered_from_the_other_language(body, language)

    assert response.status_code == 200
    order = Order.objects.get()
    (mail,) = mailoutbox
    assert mail.subject == SUBJECTS[language].format(number=order.number)
    assert "¥30.00" in mail.body
    # The mails that follow (dispatch, refund) are written in it too.
    assert order.language.code == language


@committed
@pytest.mark.worker
def test_a_worker_placing_the_order_writes_the_confirmation_in_chinese(
    localstripe, celery_workers
):
    body = _pays_and_leaves(localstripe, language="zh-hans", email_address="w@ex.com")
    stripe_settings = ["STRIPE_API_BASE", "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY"]
    worker = celery_workers.start(
        **{name: getattr(settings, name) for name in stripe_settings}
    )

    assert _delivered_from_the_other_language(body, "zh-hans").status_code == 200

    deadline = time.monotonic() + 60
    while not list(worker.outbox.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    (sent,) = worker.outbox.iterdir()
    mail = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    order = Order.objects.get()
    assert mail["Subject"] == f"确认订单{order.number}"
    assert "¥30.00" in mail.get_body(preferencelist=("plain",)).get_content()
    assert order.language.code == "zh-hans"
