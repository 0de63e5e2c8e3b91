"""Oscar's e-mails leave the request through Celery, after the transaction commits."""

import os
import signal
import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from oscar.core.loading import get_model

from shop.communication.services import email_to_payload
from shop.communication.tasks import deliver_email

EmailDelivery = get_model("communication", "EmailDelivery")

pytestmark = pytest.mark.django_db


def _register(client, email):
    return client.post(
        reverse("customer:register"),
        {
            "email": email,
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )


def test_registration_email_is_queued_until_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _register(client, "new@example.com")
        assert response.status_code == 302
        assert mail.outbox == []  # nothing is sent inside the request's transaction

    assert len(callbacks) == 1
    callbacks[0]()  # commit: eager Celery delivers at once in this test
    assert [m.to for m in mail.outbox] == [["new@example.com"]]


@pytest.mark.worker
def test_registration_email_is_sent_by_a_real_worker(
    client, celery_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, "worker@example.com")

    deadline = time.monotonic() + 20
    while not list(celery_worker.outbox.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert mail.outbox == []  # not delivered by this process...
    sent = [path.read_text() for path in celery_worker.outbox.iterdir()]
    assert len(sent) == 1  # ...but by the worker, through Redis
    assert "To: worker@example.com" in sent[0]


def _wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.worker
def test_a_mail_whose_worker_is_killed_mid_send_is_sent_once_by_the_next(
    celery_workers, tmp_path
):
    gate = tmp_path / "gate"
    gate.mkdir()
    (gate / "closed").touch()
    env = {
        "DELIVERY_EMAIL_BACKEND": "tests.gated_mail.GatedBackend",
        "MAIL_GATE": str(gate),
        "TEST_VISIBILITY_TIMEOUT": "5",
    }
    first = celery_workers.start(**env)
    message = EmailMultiAlternatives(
        subject="Your order", body="Thanks!", to=["crash@example.com"]
    )
    payload = email_to_payload(message)

    deliver_email.delay(payload)
    assert _wait_for(lambda: list(gate.glob("sending-*")), 20), "never sent"
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    (gate / "closed").unlink()
    assert list(first.outbox.iterdir()) == []  # the crash lost nothing yet...

    second = celery_workers.start(**env)
    assert _wait_for(lambda: list(second.outbox.iterdir()), 60), "mail lost"
    delivery = EmailDelivery.objects.get(message_id=payload["headers"]["Message-ID"])
    assert delivery.sent_at is not None
    # ...and the task redelivered is done: nothing left to run it again.
    assert _wait_for(lambda: _queue_is_drained(), 20)
    sent = [path.read_text() for path in second.outbox.iterdir()]
    assert len(sent) == 1
    assert "To: crash@example.com" in sent[0]


def _queue_is_drained() -> bool:
    from config.celery_app import app

    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        queued = sum(client.llen(queue.name) for queue in app.conf.task_queues)
        unacked = client.hlen(conn.default_channel.unacked_key)
    return queued == 0 and unacked == 0
