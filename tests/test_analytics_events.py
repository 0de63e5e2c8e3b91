"""First-party analytics as a shopper leaves them: page views (cached pages too),
adds, checkouts, orders and refunds, with the landing's UTM parameters; nothing at
all from a browser that asks not to be tracked. Batched into the database, rolled
up per day, and old raw events deleted."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model

from insights.events import events_drain
from insights.models import BasketLineSource, DailyStat, Event
from insights.rollup import rollup_day
from insights.tasks import delete_old_events, roll_up_recent_days
from insights.tracking import LANDING_COOKIE, SESSION_COOKIE
from shop.checkout.refunds import order_refund
from tests import checkout_steps as steps
from tests.factories import campaign, product_for_sale, product_grid
from tests.test_attribution import _add, _tile_fields

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_events_queued():
    events_drain()
    Event.objects.all().delete()


@pytest.fixture
def products():
    return [product_for_sale(price="30.00"), product_for_sale(price="50.00")]


@pytest.fixture
def page(products):
    return campaign(
        slug="autumn",
        body=[product_grid([products[0]]), product_grid([products[1]])],
    )


def _events(kind=None):
    events_drain()
    found = Event.objects.order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def test_views_of_a_cached_page_are_counted_without_sql(client, page):
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        hit = Client().get(page.url)
    assert hit["X-Page-Cache"] == "hit"
    assert len(queries) == 0

    views = _events(Event.VIEW)
    assert [view.page_id for view in views] == [page.pk, page.pk]
    assert len({view.session_id for view in views}) == 2
    assert all(len(view.session_id) == 32 for view in views)


def test_the_landing_utm_and_referrer_follow_the_session(
    client, page, products, django_capture_on_commit_callbacks
):
    landing = client.get(
        page.url,
        {"utm_source": "wechat", "utm_medium": "social", "utm_campaign": "autumn"},
        HTTP_REFERER="https://mp.weixin.qq.com/s/abc",
    )
    assert SESSION_COOKIE in landing.cookies and LANDING_COOKIE in landing.cookies
    with django_capture_on_commit_callbacks(execute=True):
        _add(client, products[1], _tile_fields(landing.content.decode(), products[1]))

    (view,) = _events(Event.VIEW)
    (add,) = _events(Event.ADD)
    assert (view.utm_source, view.utm_medium, view.utm_campaign) == (
        "wechat",
        "social",
        "autumn",
    )
    assert view.referrer_host == "mp.weixin.qq.com"
    assert add.session_id == view.session_id
    assert (add.utm_source, add.page_id, add.block_id) == (
        "wechat",
        page.pk,
        page.body[1].id,
    )
    assert BasketLineSource.objects.get().traffic_source == "wechat"


@pytest.mark.parametrize("header", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_a_browser_that_asks_not_to_be_tracked_records_nothing(page, products, header):
    shopper = Client(**header)
    html = shopper.get(page.url, {"utm_source": "wechat"}).content.decode()
    response = _add(shopper, products[0], _tile_fields(html, products[0]))

    assert response.status_code == 302
    assert not response.cookies.get(SESSION_COOKIE)
    assert SESSION_COOKIE not in shopper.cookies
    assert _events() == []
    assert not BasketLineSource.objects.exists()


def test_events_go_to_the_database_in_batches(page):
    for _ in range(5):
        Client().get(page.url)
    assert events_drain(batch=2) == 5
    assert Event.objects.filter(kind=Event.VIEW).count() == 5
    assert events_drain() == 0


def test_an_order_and_its_partial_refund_are_recorded_against_the_block(
    client, page, products, localstripe, django_capture_on_commit_callbacks
):
    html = client.get(page.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _add(client, products[1], _tile_fields(html, products[1]))
        steps.add(client, products[0])  # not from a tile: not attributed
        steps.to_payment_step(client)
        steps.pay(client, localstripe.card_token())
    order = Order.objects.get()
    line = order.lines.get(product=products[1])

    with django_capture_on_commit_callbacks(execute=True):
        order_refund(order=order, amount=Decimal("20.00"), line_quantities=[(line, 1)])

    (checkout_a, checkout_b) = _events(Event.CHECKOUT)
    assert {checkout_a.block_id, checkout_b.block_id} == {"", page.body[1].id}
    (placed,) = _events(Event.ORDER)
    assert (placed.page_id, placed.block_id, placed.amount) == (
        page.pk,
        page.body[1].id,
        Decimal("50.00"),
    )
    assert placed.order_id == order.pk
    (refund,) = _events(Event.REFUND)
    assert refund.amount == Decimal("20.00") and refund.block_id == page.body[1].id


def _event(kind, at, **fields):
    return Event.objects.create(kind=kind, at=at, **fields)


def test_the_daily_roll_up_gives_the_same_totals_however_often_it_runs(page):
    day = timezone.localdate() - timedelta(days=1)
    noon = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
        hours=12
    )
    block = page.body[0].id
    for session in ("a" * 32, "a" * 32, "b" * 32):
        _event(Event.VIEW, noon, page_id=page.pk, session_id=session)
    _event(Event.ADD, noon, page_id=page.pk, block_id=block, product_id=1, quantity=2)
    for amount in ("30.00", "20.00"):
        _event(
            Event.ORDER,
            noon,
            page_id=page.pk,
            block_id=block,
            product_id=1,
            order_id=7,
            quantity=1,
            amount=Decimal(amount),
            utm_source="wechat",
        )
    _event(Event.REFUND, noon, page_id=page.pk, block_id=block, amount=Decimal("5"))
    _event(Event.VIEW, noon + timedelta(days=1), page_id=page.pk)  # the next day

    def totals():
        return [
            (s.page_id, s.block_id, s.traffic_source, s.views, s.sessions, s.adds)
            + (s.orders, s.revenue, s.refunded)
            for s in DailyStat.objects.filter(day=day).order_by(
                "block_id", "traffic_source", "product_id"
            )
        ]

    rollup_day(day=day)
    first = totals()
    rollup_day(day=day)
    roll_up_recent_days()  # the beat task: yesterday and today, again

    assert totals() == first
    assert sum(row[3] for row in first) == 3  # views
    assert sum(row[4] for row in first) == 2  # sessions
    assert sum(row[7] for row in first) == Decimal("50.00")
    assert sum(row[8] for row in first) == Decimal("5")
    assert DailyStat.objects.filter(day=day + timedelta(days=1)).count() == 1


def test_the_retention_task_deletes_only_old_raw_events(settings, page):
    settings.INSIGHTS_RAW_EVENT_DAYS = 30
    now = timezone.now()
    old = _event(Event.VIEW, now - timedelta(days=31), page_id=page.pk)
    recent = _event(Event.VIEW, now - timedelta(days=29), page_id=page.pk)
    rollup_day(day=timezone.localdate(old.at))

    assert delete_old_events() == 1
    assert list(Event.objects.all()) == [recent]
    assert DailyStat.objects.filter(day=timezone.localdate(old.at)).exists()


def test_analytics_switched_off_records_nothing(settings, page):
    settings.ANALYTICS_ENABLED = False
    response = Client().get(page.url)
    assert SESSION_COOKIE not in response.cookies
    assert _events() == []


def test_a_malformed_queued_event_is_dropped_not_fatal(page):
    from insights import events

    events.events_push([{"kind": Event.VIEW, "page_id": "not a number"}])
    Client().get(page.url)

    assert events_drain() == 1
    assert Event.objects.get().page_id == page.pk


def test_tile_impressions_and_clicks_come_in_by_beacon(client, page, products):
    url = "/insights/beacon/"
    block = page.body[1].id
    body = {
        "kind": "impression",
        "page": page.pk,
        "tiles": [[block, products[1].pk], ["junk", 1], [block, -4], "x"],
    }
    seen = client.post(url, json.dumps(body), content_type="application/json")
    click = {"kind": "click", "page": page.pk, "tiles": [[block, products[1].pk]]}
    clicked = client.post(url, json.dumps(click), content_type="application/json")

    assert seen.status_code == clicked.status_code == 204
    (impression,) = _events(Event.IMPRESSION)
    (tapped,) = _events(Event.CLICK)
    assert (impression.page_id, impression.block_id, impression.product_id) == (
        page.pk,
        block,
        products[1].pk,
    )
    assert tapped.session_id == impression.session_id


@pytest.mark.parametrize(
    "body, status",
    [
        ("not json", 400),
        ('{"kind": "purchase", "page": 1, "tiles": []}', 400),
        ('{"kind": "click", "page": "1", "tiles": []}', 400),
        ('{"kind": "click", "page": 1, "tiles": {}}', 400),
        ("[" * 20_000, 413),
    ],
)
def test_a_bad_beacon_is_a_clear_4xx(client, body, status):
    response = client.post("/insights/beacon/", body, content_type="application/json")
    assert response.status_code == status
    assert _events() == []


def test_a_beacon_from_an_opted_out_browser_is_dropped(page):
    shopper = Client(HTTP_SEC_GPC="1")
    body = json.dumps({"kind": "click", "page": page.pk, "tiles": []})
    response = shopper.post("/insights/beacon/", body, content_type="application/json")
    assert response.status_code == 204
    assert _events() == []
