"""A worker killed while it processes a payment webhook loses nothing: the event
stays unprocessed, beat queues it again, and the next worker places the order once.
"""

import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, transaction
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from shop.checkout.tasks import requeue_stuck_gateway_events
from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests import webhooks
from tests.factories import product_for_sale
from tests.markers import committed

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
GatewayEvent = get_model("checkout", "GatewayEvent")


class BasketLock:
    """Holds the basket's row lock from another connection, so the worker's
    placement waits on it: the test knows the task is mid-way."""

    def __init__(self, basket_id):
        self.basket_id = basket_id
        self.locked, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic():
                Basket.objects.select_for_update().get(pk=self.basket_id)
                self.locked.set()
                self.release.wait(120)
        finally:
            close_old_connections()
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.locked.wait(30)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join()


def _backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _stripe_environment(localstripe) -> dict:
    """The localstripe settings this process uses, for a worker process."""
    from django.conf import settings

    names = ["STRIPE_API_BASE", "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY"]
    return {name: getattr(settings, name) for name in names}


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@committed
@pytest.mark.postgres
@pytest.mark.worker
def test_a_worker_killed_mid_webhook_loses_no_order_and_places_it_once(
    localstripe, celery_workers
):
    shopper = Client()
    steps.add(shopper, product_for_sale(price="30.00"))
    steps.to_payment_step(shopper, email="crash@example.com")
    payment = CheckoutPayment.objects.get()
    get_gateway("stripe").intent_pay(payment.intent_id, token=localstripe.card_token())
    first = celery_workers.start(**_stripe_environment(localstripe))
    body = webhooks.event(
        "payment_intent.succeeded",
        {"id": payment.intent_id, "object": "payment_intent"},
    )

    with BasketLock(payment.basket_id):
        assert webhooks.deliver(Client(), body).status_code == 200
        _wait_for(lambda: _backends_waiting_for_a_lock() == 1, 30, "the worker's task")
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)

    # The killed worker's transaction never committed: no order, event unprocessed.
    _wait_for(lambda: _backends_waiting_for_a_lock() == 0, 30, "the dead session")
    assert not Order.objects.exists()
    assert GatewayEvent.objects.get().processed_at is None

    celery_workers.start(**_stripe_environment(localstripe))
    restarted = time.monotonic()
    # Minutes pass with the event stuck; beat's next run queues it again.
    GatewayEvent.objects.update(queued_at=timezone.now() - timedelta(minutes=4))
    requeue_stuck_gateway_events.delay()
    _wait_for(lambda: Order.objects.exists(), 60, "the order")
    seconds = time.monotonic() - restarted

    print(f"order placed {seconds:.1f}s after the worker restarted")
    assert Order.objects.get().checkout_payment == payment
    assert GatewayEvent.objects.get().processed_at is not None
    time.sleep(2)  # any duplicate delivery would have placed a second order by now
    assert Order.objects.count() == 1
