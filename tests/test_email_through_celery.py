"""Oscar's e-mails leave the request through Celery, after the transaction commits."""

import time

import pytest
from django.core import mail
from django.urls import reverse

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
