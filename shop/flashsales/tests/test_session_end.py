"""A session's end gives its unsold units back to regular stock; the beat task
that records it is safe to run twice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from config.celery_app import app as celery_app
from shop.flashsales.models import FlashHold, FlashItem, FlashSession
from shop.flashsales.tasks import close_ended_sessions

from .factories import flash_sale, product

Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")
StockReservation = get_model("partner", "StockReservation")

pytestmark = pytest.mark.django_db


def _regular_free(kettle) -> int:
    return Selector().strategy().fetch_for_product(kettle).availability.num_available


def test_session_end_returns_unsold_units_and_running_it_twice_changes_nothing():
    kettle = product(stock=100)
    _sale, session, item = flash_sale(kettle, pool=20)
    # Five sold at the flash price (allocated like any order), two held by a
    # shopper at the pay step when the session ends.
    FlashItem.objects.filter(pk=item.pk).update(sold=5)
    record = kettle.stockrecords.get()
    record.num_allocated = 5
    record.save()
    basket, lapse = Basket.objects.create(), timezone.now() + timedelta(minutes=10)
    StockReservation.objects.create(
        stockrecord=record, basket=basket, quantity=2, expires_at=lapse
    )
    FlashHold.objects.create(item=item, basket=basket, quantity=2, expires_at=lapse)
    assert _regular_free(kettle) == 80  # 100 - 5 sold - 15 still in the pool
    FlashSession.objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )

    assert close_ended_sessions.delay().get() == 1

    session.refresh_from_db()
    first = (session.closed_at, session.units_returned)
    assert session.units_returned == 15
    # Back at the regular price, but for the two the shopper still holds at the
    # pay step (their stock hold lapses as usual; the flash price has ended).
    assert _regular_free(kettle) == 93
    assert not FlashHold.objects.exists()

    assert close_ended_sessions.delay().get() == 0

    session.refresh_from_db()
    assert (session.closed_at, session.units_returned) == first
    assert _regular_free(kettle) == 93
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (100, 5)
    assert FlashItem.objects.get(pk=item.pk).sold == 5


def test_units_are_back_at_the_end_even_before_the_beat_task_runs():
    kettle = product(stock=50)
    _sale, session, _item = flash_sale(kettle, pool=20)
    assert _regular_free(kettle) == 30

    FlashSession.objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )

    assert _regular_free(kettle) == 50


def test_an_unapproved_session_ending_returns_nothing_it_never_set_aside():
    kettle = product(stock=50)
    _sale, session, _item = flash_sale(kettle, pool=20, approve=False)
    FlashSession.objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )

    close_ended_sessions.delay()

    session.refresh_from_db()
    assert session.closed_at is not None and session.units_returned == 0


def test_beat_closes_ended_sessions_every_minute():
    schedule = celery_app.conf.beat_schedule["close-ended-flash-sessions"]

    assert schedule["task"] == "shop.flashsales.tasks.close_ended_sessions"
    assert schedule["schedule"] == 60.0
