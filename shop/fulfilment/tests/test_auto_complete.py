"""Receipt: the shopper confirms it, or N days after dispatch the beat task takes
it as received; a second run has nothing left to do."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory

from shop.fulfilment import statuses
from shop.fulfilment.auto_complete import orders_auto_complete
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.lifecycle import (
    TransitionRefused,
    confirm_receipt,
    order_received_at,
    order_transition,
)
from shop.fulfilment.models import Carrier
from shop.fulfilment.returns_window import return_window_ends
from shop.fulfilment.tasks import auto_complete_orders

from .factories import paid_order

ShippingEvent = get_model("order", "ShippingEvent")

pytestmark = pytest.mark.django_db


def _dispatched(*, days_ago, **kwargs):
    order = paid_order(**kwargs)
    order_dispatch(
        order=order, carrier=Carrier.objects.get(code="yto"), tracking_number="YT1234"
    )
    ShippingEvent.objects.filter(order=order).update(
        date_created=timezone.now() - timedelta(days=days_ago)
    )
    return order


def test_auto_complete_runs_twice_without_a_second_effect(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ORDER_AUTO_COMPLETE_DAYS = 10
    due = _dispatched(days_ago=11, email="due@example.com")
    recent = _dispatched(days_ago=3)
    waiting = paid_order()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = auto_complete_orders.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = auto_complete_orders.delay().get()

    assert (first, second) == (1, 0)
    for order in (due, recent, waiting):
        order.refresh_from_db()
    assert due.status == statuses.COMPLETED
    assert (recent.status, waiting.status) == (statuses.SHIPPED, statuses.PAID)
    # Paid→Shipped by dispatch, then Shipped→Delivered→Completed once.
    assert [c.new_status for c in due.status_changes.order_by("pk")] == [
        statuses.SHIPPED,
        statuses.DELIVERED,
        statuses.COMPLETED,
    ]
    assert due.shipping_events.filter(event_type__name="Delivered").count() == 1
    assert {line.status for line in due.lines.all()} == {statuses.COMPLETED}
    (mail,) = mailoutbox
    assert mail.to == ["due@example.com"] and "complete" in mail.subject
    assert f"{return_window_ends(due):%Y-%m-%d}" in mail.body


def test_a_delivered_order_is_completed_without_a_second_delivery():
    order = _dispatched(days_ago=30)
    order_transition(order=order, to=statuses.DELIVERED, notify=False)

    assert orders_auto_complete() == 1
    order.refresh_from_db()
    assert order.status == statuses.COMPLETED
    assert order.shipping_events.filter(event_type__name="Delivered").count() == 1


def test_the_shopper_confirms_receipt_and_the_return_window_starts(settings):
    settings.RETURN_WINDOW_DAYS = 7
    shopper = UserFactory()
    order = _dispatched(days_ago=1, user=shopper)
    assert order_received_at(order) is None

    confirm_receipt(order=order, user=shopper)

    order.refresh_from_db()
    assert order.status == statuses.COMPLETED
    received = order_received_at(order)
    assert abs(received - timezone.now()) < timedelta(minutes=1)
    assert return_window_ends(order) == received + timedelta(days=7)
    assert orders_auto_complete() == 0  # nothing left for the task
    with pytest.raises(TransitionRefused):
        confirm_receipt(order=order, user=shopper)


@pytest.mark.parametrize("who", ["another shopper", "anonymous"])
def test_only_the_shopper_who_ordered_confirms_receipt(who):
    order = _dispatched(days_ago=1, user=UserFactory())
    user = UserFactory() if who == "another shopper" else AnonymousUser()

    with pytest.raises(TransitionRefused):
        confirm_receipt(order=order, user=user)

    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert order.status_changes.count() == 1


def test_an_order_not_yet_dispatched_has_no_receipt_to_confirm():
    shopper = UserFactory()
    order = paid_order(user=shopper)

    with pytest.raises(TransitionRefused) as refused:
        confirm_receipt(order=order, user=shopper)

    assert "no parcel" in str(refused.value)
    order.refresh_from_db()
    assert order.status == statuses.PAID
