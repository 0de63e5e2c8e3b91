"""The flash sale block on a campaign page: sessions on now and to come, flash and
regular price, how much is sold, what this shopper can still do; through the page
cache, which serves it no longer than the next session start or end, and shows a
sell-out at once."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pagecache
from pagecache import entries
from pagecache import versions as pagecache_versions
from shop.flashsales.checkout import FlashWant, flash_record_order
from shop.flashsales.models import FlashItem, FlashPurchase, FlashSession
from shop.flashsales.selectors import ShopperKey
from shop.flashsales.tests.factories import flash_sale, merchandiser, product
from tests.factories import campaign

pytestmark = pytest.mark.django_db


def flash_block(sale, heading="Flash sale"):
    return ("flash_sale", {"sale": sale, "heading": heading})


def _cards(html) -> dict[str, str]:
    """Each product card's text, by product title."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        card.select_one(".tile__title").get_text(strip=True): card.get_text(
            " ", strip=True
        )
        for card in soup.select(".flash-card")
    }


def _move_clocks_past(moment, monkeypatch):
    """Both clocks a page reads (Django's for the session, the page cache's for its
    entries) jump to just after `moment`."""
    offset = (moment - timezone.now()).total_seconds() + 0.2
    real_now, real_time = timezone.now, pagecache_versions.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=offset))
    monkeypatch.setattr(pagecache_versions, "now", lambda: real_time() + offset)


def _visit(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_running_session_shows_flash_and_regular_price_and_sells_without_script(
    client,
):
    kettle = product(price="100.00", title="Flash kettle")
    sale, session, item = flash_sale(kettle, price="50.00", pool=20, limit=2)
    page = campaign(slug="flash", body=[flash_block(sale, "Midnight flash")])

    html = _visit(client, page.url)[1]

    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".flash-sale h2").get_text() == "Midnight flash"
    assert soup.select_one(".flash-sale__tab--on").get_text(strip=True) == "On now"
    card = _cards(html)["Flash kettle"]
    assert "¥50.00" in card and "¥100.00" in card and "0% sold" in card
    assert "Limit 2 per shopper" in card
    countdown = soup.select_one(".flash-session--on .countdown")
    assert (
        countdown["data-countdown"] == timezone.localtime(session.ends_at).isoformat()
    )
    form = soup.select_one(".flash-card form")
    assert form["action"] == reverse("flashsales:add", kwargs={"pk": item.pk})

    # The form posts without JavaScript and comes back to the page.
    response = client.post(
        form["action"],
        {i["name"]: i.get("value", "") for i in form.select("input")},
    )
    assert response.status_code == 302 and response.url == page.url
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.all_lines()[0].unit_price_incl_tax == Decimal("50.00")


def test_an_upcoming_session_says_when_it_starts_and_sells_nothing_yet(client):
    start = timezone.localtime(timezone.now() + timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    sale, _session, _item = flash_sale(
        product(title="Flash kettle"), starts=start, ends=start + timedelta(hours=2)
    )
    page = campaign(slug="flash-later", body=[flash_block(sale)])

    html = _visit(client, page.url)[1]

    card = _cards(html)["Flash kettle"]
    assert f"Starts at {start:%H:%M}" in card
    assert "Buy now" not in card
    tab = BeautifulSoup(html, "html.parser").select_one(".flash-sale__tab")
    assert f"{start:%H:%M}" in tab.get_text()


def test_sold_out_and_limit_reached(client, django_user_model):
    kettle, teapot = product(title="Flash kettle"), product(title="Flash teapot")
    sale, session, sold_out = flash_sale(kettle, pool=3, limit=2)
    from shop.flashsales import services

    teapots = services.item_add(
        session=session,
        product=teapot,
        flash_price=Decimal("20.00"),
        pool=10,
        limit_per_shopper=1,
        by=merchandiser("flash-author"),
    )
    services.sale_approve(sale=sale, by=merchandiser("flash-approver"))
    FlashItem.objects.filter(pk=sold_out.pk).update(sold=3)
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "pw")
    from oscar.test.factories import create_order

    FlashPurchase.objects.create(
        item=teapots, order=create_order(), quantity=1, user=fan
    )
    FlashItem.objects.filter(pk=teapots.pk).update(sold=1)
    page = campaign(slug="flash-states", body=[flash_block(sale)])

    anonymous = _cards(_visit(client, page.url)[1])
    client.force_login(fan)
    signed_in = _cards(_visit(client, page.url)[1])

    assert (
        "Sold out" in anonymous["Flash kettle"]
        and "100% sold" in anonymous["Flash kettle"]
    )
    assert (
        "Buy now" in anonymous["Flash teapot"]
        and "10% sold" in anonymous["Flash teapot"]
    )
    assert "Limit reached" in signed_in["Flash teapot"]
    assert "Buy now" not in signed_in["Flash teapot"]


def test_shoppers_dont_see_an_unapproved_sale_and_editors_are_told_why(client):
    sale, _session, _item = flash_sale(product(title="Flash kettle"), approve=False)
    page = campaign(slug="flash-draft", body=[flash_block(sale)])

    html = _visit(client, page.url)[1]
    preview = page.make_preview_request().content.decode()

    assert "Flash kettle" not in html
    assert "awaiting a merchandiser" in preview


def test_a_preview_at_a_sessions_start_shows_it_on(client):
    start = timezone.now() + timedelta(hours=5)
    sale, _session, _item = flash_sale(
        product(price="100.00", title="Flash kettle"),
        price="50.00",
        starts=start,
        ends=start + timedelta(hours=2),
    )
    page = campaign(slug="flash-preview", body=[flash_block(sale)])

    modes = dict(page.preview_modes)
    (mode,) = [name for name in modes if name.startswith("at:")]
    now_html = page.make_preview_request().content.decode()
    then_html = page.make_preview_request(preview_mode=mode).content.decode()

    assert "Starts at" in _cards(now_html)["Flash kettle"]
    then = _cards(then_html)["Flash kettle"]
    assert "Buy now" in then and "¥50.00" in then
    assert "On now" in then_html
    assert "starts" in modes[mode]
    # Its countdowns count from then, not from the editor's now.
    shown_at = BeautifulSoup(then_html, "html.parser").html["data-preview-at"]
    assert abs(datetime.fromisoformat(shown_at) - start) < timedelta(seconds=1)
    assert "data-preview-at" not in now_html


def test_the_page_is_not_served_past_the_session_start(client, rf, monkeypatch):
    # A minute ahead, so a slow first render can't reach the start; the clocks are
    # moved past it below rather than waited for.
    start = timezone.now() + timedelta(minutes=1)
    sale, _session, _item = flash_sale(
        product(title="Flash kettle"), starts=start, ends=start + timedelta(hours=1)
    )
    page = campaign(slug="flash-soon", body=[flash_block(sale)])

    before = _visit(client, page.url)
    assert _visit(client, page.url)[0][pagecache.HEADER] == "hit"
    entry = cache.get(entries.response_key(rf.get(page.url)))
    assert entry["until"] <= start.timestamp()
    assert "Starts at" in _cards(before[1])["Flash kettle"]
    _move_clocks_past(start, monkeypatch)

    after = _visit(client, page.url)

    assert after[0][pagecache.HEADER] == "miss"
    assert "Buy now" in _cards(after[1])["Flash kettle"]


def test_the_last_units_selling_shows_sold_out_on_the_next_request(client):
    kettle = product(title="Flash kettle")
    sale, _session, item = flash_sale(kettle, pool=2, limit=2)
    page = campaign(slug="flash-last", body=[flash_block(sale)])
    assert "Buy now" in _cards(_visit(client, page.url)[1])["Flash kettle"]
    assert _visit(client, page.url)[0][pagecache.HEADER] == "hit"
    from oscar.test.factories import create_order

    flash_record_order(
        order=create_order(),
        basket=get_basket(),
        wants=[FlashWant(item=item, quantity=2)],
        shopper=ShopperKey(email="x@example.com"),
    )

    response, html = _visit(client, page.url)
    assert response[pagecache.HEADER] == "miss"
    assert "Sold out" in _cards(html)["Flash kettle"]


def test_an_approval_or_a_change_shows_on_the_next_request(client):
    sale, _session, item = flash_sale(product(title="Flash kettle"), approve=False)
    page = campaign(slug="flash-approval", body=[flash_block(sale)])
    assert "Flash kettle" not in _visit(client, page.url)[1]
    from shop.flashsales import services

    services.sale_approve(sale=sale, by=merchandiser("flash-approver"))
    assert "Flash kettle" in _visit(client, page.url)[1]

    services.item_update(
        item=item,
        flash_price=Decimal("40.00"),
        pool=item.pool,
        limit_per_shopper=item.limit_per_shopper,
        by=merchandiser("flash-author"),
    )
    assert "Flash kettle" not in _visit(client, page.url)[1]  # awaiting approval


def get_basket():
    from oscar.core.loading import get_model

    return get_model("basket", "Basket").objects.create()


def test_the_block_works_on_any_page_type(client):
    from home.models import HomePage, StandardPage

    sale, _session, _item = flash_sale(product(title="Flash kettle"))
    home = HomePage.objects.get(locale__language_code="en")
    about = StandardPage(
        title="About flash", slug="about-flash", body=[flash_block(sale)]
    )
    home.add_child(instance=about)
    about.save_revision().publish()

    assert "Flash kettle" in _visit(Client(), about.url)[1]
    assert FlashSession.objects.count() == 1


def test_a_chinese_shopper_reads_the_block_and_its_messages_in_chinese(client):
    sale, _session, item = flash_sale(product(title="Flash kettle"), limit=1)
    page = campaign(slug="flash-zh", language="zh-hans", body=[flash_block(sale)])
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    html = _visit(client, page.url)[1]
    client.post(reverse("flashsales:add", kwargs={"pk": item.pk}), {"quantity": 2})
    said = client.get(reverse("basket:summary")).content.decode()

    assert "正在疯抢" in html and "立即抢购" in html and "每人限购 1 件" in html
    assert "秒杀价限购 1 件" in said
