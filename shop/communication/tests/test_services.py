import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from shop.communication.services import (
    email_deliver,
    email_from_payload,
    email_to_payload,
)

pytestmark = pytest.mark.django_db


def _message():
    message = EmailMultiAlternatives(
        subject="Your order",
        body="Thanks!",
        from_email="shop@mallard.test",
        to=["ann@example.com"],
        bcc=["audit@mallard.test"],
    )
    message.attach_alternative("<p>Thanks!</p>", "text/html")
    message.attach("receipt.txt", b"total 10", "text/plain")
    return message


def test_a_message_survives_the_trip_through_the_queue_unchanged():
    payload = email_to_payload(_message())
    restored = email_from_payload(payload)

    assert restored.subject == "Your order"
    assert restored.to == ["ann@example.com"] and restored.bcc == ["audit@mallard.test"]
    assert restored.alternatives[0][0] == "<p>Thanks!</p>"
    assert restored.attachments[0][:2] == ("receipt.txt", "total 10")
    assert restored.extra_headers["Message-ID"] == payload["headers"]["Message-ID"]


def test_delivering_the_same_message_twice_sends_it_once():
    payload = email_to_payload(_message())

    assert email_deliver(payload=payload) is True
    assert email_deliver(payload=payload) is False
    assert len(mail.outbox) == 1


def test_a_failed_delivery_can_be_retried(settings):
    payload = email_to_payload(_message())
    settings.MALLARD_DELIVERY_EMAIL_BACKEND = "tests.broken_mail.BrokenBackend"

    with pytest.raises(OSError):
        email_deliver(payload=payload)
    settings.MALLARD_DELIVERY_EMAIL_BACKEND = (
        "django.core.mail.backends.locmem.EmailBackend"
    )

    assert email_deliver(payload=payload) is True
    assert len(mail.outbox) == 1
