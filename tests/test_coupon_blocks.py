"""The coupon centre block and the basket progress block on cached campaign pages:
the HTML every shopper shares never carries one shopper's state."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pagecache
from pagecache import versions
from shop.coupons.services import coupon_claim
from shop.coupons.tests.factories import make_coupon, shopper
from tests.factories import campaign

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def coupon_block(*coupons, heading="Grab a coupon"):
    return ("coupon_centre", {"heading": heading, "coupons": list(coupons)})


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        offset = 0.0

        def __call__(self):
            return time.time() + self.offset

        def advance(self, seconds):
            self.offset += seconds

    clock = Clock()
    monkeypatch.setattr(versions, "now", clock)
    return clock


def _visit(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, TOKEN.sub("", response.content.decode())


def _card(html, coupon):
    return html.split(f'data-coupon="{coupon.pk}"')[1].split("</li>")[0]


def test_the_cached_block_is_the_same_for_every_shopper(client):
    coupon = make_coupon(name="¥20 off orders over ¥100")
    page = campaign(slug="coupons", body=[coupon_block(coupon)])
    claimer = shopper()
    coupon_claim(coupon_id=coupon.pk, user=claimer)

    first, anonymous = _visit(Client(), page.url)
    client.force_login(claimer)
    mine, signed_in = _visit(client, page.url)

    assert first[pagecache.HEADER] == "miss" and mine[pagecache.HEADER] == "body"
    card = _card(anonymous, coupon)
    assert "¥20 off orders over ¥100" in card and "¥20.00 off" in card
    assert ">Claim<" in card and "disabled" not in card
    assert _card(signed_in, coupon) == card  # the claimer's "Claimed" is not in it
    assert claimer.coupon_claims.get().voucher.code not in signed_in
    assert 'data-coupon-state-url="/shop/coupons/state/"' in signed_in
    assert f'action="/shop/coupons/{coupon.pk}/claim/"' in card
    state = client.get(reverse("coupons:state"), {"ids": coupon.pk}).json()
    assert state["coupons"][str(coupon.pk)]["state"] == "claimed"


def test_claiming_from_the_page_works_without_javascript_and_comes_back(client):
    coupon = make_coupon(name="Welcome back")
    page = campaign(slug="claim-here", body=[coupon_block(coupon)])
    html = Client().get(page.url).content.decode()  # fills the cache
    claim_form = re.search(r'<form class="coupon__claim".*?</form>', html, re.S)
    next_url = re.search(r'name="next" value="([^"]+)"', claim_form.group()).group(1)
    assert next_url == page.url
    claimer = shopper()
    client.force_login(claimer)

    response = client.post(
        reverse("coupons:claim", kwargs={"pk": coupon.pk}), {"next": next_url}
    )

    assert response.status_code == 302 and response.url == page.url
    back = client.get(page.url).content.decode()
    assert "Welcome back is in your wallet" in back
    assert claimer.coupon_claims.filter(coupon=coupon).count() == 1


def test_claims_refresh_the_claimed_share_at_most_once_a_window_and_sold_out_at_once(
    clock, settings
):
    settings.PAGE_CACHE_STOCK_SECONDS = 60
    coupon = make_coupon(name="Few", total=4)
    page = campaign(slug="few", body=[coupon_block(coupon)])
    visitor = Client()
    _visit(visitor, page.url)

    coupon_claim(coupon_id=coupon.pk, user=shopper())
    response, html = _visit(visitor, page.url)
    assert response[pagecache.HEADER] == "hit"  # a claim flushes nothing at once
    clock.advance(61)
    response, html = _visit(visitor, page.url)
    assert response[pagecache.HEADER] == "miss" and "25% claimed" in html

    for _ in range(3):
        coupon_claim(coupon_id=coupon.pk, user=shopper())
    response, html = _visit(visitor, page.url)
    assert response[pagecache.HEADER] == "miss"  # the last one: sold out at once
    card = _card(html, coupon)
    assert ">All claimed<" in card and "disabled" in card


def test_the_block_opens_when_the_claim_window_does():
    coupon = make_coupon(
        name="Later",
        claim_start=timezone.now() + timedelta(seconds=2),
        claim_end=timezone.now() + timedelta(days=1),
    )
    page = campaign(slug="later", body=[coupon_block(coupon)])

    _response, html = _visit(Client(), page.url)
    assert "disabled" in _card(html, coupon) and ">From " in _card(html, coupon)
    assert _visit(Client(), page.url)[0][pagecache.HEADER] == "hit"

    time.sleep((coupon.claim_start - timezone.now()).total_seconds() + 0.2)
    response, html = _visit(Client(), page.url)
    assert response[pagecache.HEADER] == "miss"  # the window's start was a boundary
    assert ">Claim<" in _card(html, coupon) and "disabled" not in _card(html, coupon)


def test_a_closed_coupon_is_hidden_and_editors_are_told_why(client, demo_user):
    ended = make_coupon(
        name="Gone",
        claim_start=timezone.now() - timedelta(days=3),
        claim_end=timezone.now() - timedelta(days=1),
    )
    page = campaign(slug="closed", body=[coupon_block(ended)])

    assert "Gone" not in Client().get(page.url).content.decode()
    client.force_login(demo_user("editor"))
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert "the coupon “Gone” can no longer be claimed" in preview.content.decode()


def test_the_progress_block_holds_no_shopper_figures():
    page = campaign(
        slug="progress", body=[("threshold_progress", {"heading": "Nearly"})]
    )

    _response, html = _visit(Client(), page.url)

    block = html.split("threshold-block")[1].split("</section>")[0]
    assert 'data-progress-url="/shop/coupons/progress/"' in block
    assert "Spend" not in block and "¥" not in block
