"""The page cache, as shoppers meet it: fast repeat visits to campaign and home pages
that still show the page's latest revision and Oscar's latest price and stock."""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order
from wagtail.models import PageViewRestriction

import pagecache
from pagecache import entries, serving, tags, versions
from tests.factories import campaign, page_url, product_grid

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db

CHARGER, LYCHEE = "MAL-4003", "MAL-1002"


def _product(upc):
    return Product.objects.get(upc=upc)


@pytest.fixture
def page():
    return campaign(
        slug="cached",
        intro="Two days only",
        body=[product_grid([_product(CHARGER), _product(LYCHEE)])],
    )


def _visit(client, url):
    """GET `url` as a shopper would; returns (response, html, SQL queries run)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode(), len(queries)


def _tile(html, title):
    return html.split(f'tile__title">{title}')[1][:700]


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _tokens(html):
    return set(TOKEN.findall(html))


def _without_tokens(html):
    return TOKEN.sub("", html)


def test_a_repeat_visit_is_answered_from_the_cache_without_sql(client, page):
    first, html, uncached = _visit(client, page.url)
    second, cached_html, cached = _visit(client, page.url)

    assert first[pagecache.HEADER] == "miss"
    assert second[pagecache.HEADER] == "hit"
    assert cached == 0
    assert uncached > 10
    assert _without_tokens(cached_html) == _without_tokens(html)
    assert len(_tokens(cached_html)) == 1  # the shopper's own, on every form
    assert serving.CSRF_SENTINEL not in cached_html
    print(f"campaign page SQL queries: uncached={uncached}, cached={cached}")


def test_a_shopper_with_a_basket_gets_the_cached_body_inside_their_own_chrome(
    client, page, settings
):
    _visit(Client(), page.url)  # another shopper fills the cache
    client.post(
        reverse("basket:add", kwargs={"pk": _product(CHARGER).pk}),
        {"quantity": 1},
        HTTP_ACCEPT="application/json",
    )

    response, html, queries = _visit(client, page.url)

    assert response[pagecache.HEADER] == "body"
    assert "data-basket-count>1<" in html and "65 W GaN Charger" in html
    assert "data-basket-count>0<" in Client().get(page.url).content.decode()
    # What remains per request is Wagtail's routing and Oscar's basket for the
    # badge; the body's tiles cost nothing.
    settings.PAGE_CACHE_ENABLED = False
    uncached = _visit(client, page.url)[2]
    assert queries <= uncached - 10
    print(f"with a basket: body cached={queries}, uncached={uncached} queries")


def test_an_editors_user_bar_never_reaches_shoppers(client, page, demo_user):
    editor = Client()
    editor.force_login(demo_user("editor"))
    seen_by_editor = _visit(editor, page.url)[1]
    assert "wagtail-userbar" in seen_by_editor

    response, html, _ = _visit(client, page.url)

    assert response[pagecache.HEADER] == "body"  # the editor's body, not the page
    assert "wagtail-userbar" not in html


def test_a_shopper_with_a_message_waiting_sees_it(rf, client, page):
    _visit(Client(), page.url)  # the shared page is cached
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Your order is on its way")
    with_cookie = HttpResponse()
    storage.update(with_cookie)
    client.cookies["messages"] = with_cookie.cookies["messages"].value

    response, html, _ = _visit(client, page.url)

    assert response[pagecache.HEADER] != "hit"
    assert "Your order is on its way" in html
    response, html, _ = _visit(client, page.url)
    assert response[pagecache.HEADER] == "hit"
    assert "Your order is on its way" not in html


def test_publishing_a_new_revision_shows_on_the_next_request(client, page):
    _visit(client, page.url)
    _visit(client, page.url)

    page.intro = "Extended to Monday"
    page.save_revision().publish()

    response, html, _ = _visit(client, page.url)
    assert response[pagecache.HEADER] == "miss"
    assert "Extended to Monday" in html and "Two days only" not in html


def test_a_price_change_of_a_shown_product_shows_on_the_next_request(client, page):
    assert "149.00" in _visit(client, page.url)[1]
    record = _product(CHARGER).stockrecords.get()

    record.price = Decimal("129.00")
    record.save()

    tile = _tile(_visit(client, page.url)[1], "65 W GaN Charger")
    assert "129.00" in tile and "149.00" not in tile


def test_a_product_sold_out_in_stock_shows_sold_out_on_the_next_request(client, page):
    assert "Sold out" not in _tile(_visit(client, page.url)[1], "65 W GaN Charger")
    record = _product(CHARGER).stockrecords.get()

    record.num_in_stock = 0
    record.save()

    tile = _tile(_visit(client, page.url)[1], "65 W GaN Charger")
    assert "Sold out" in tile
    assert reverse("basket:add", kwargs={"pk": _product(CHARGER).pk}) not in tile


def test_an_order_that_takes_the_last_units_shows_sold_out_on_the_next_request(
    client, page
):
    lychee = _product(LYCHEE)
    assert "Sold out" not in _tile(_visit(client, page.url)[1], "Hainan Lychee")
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(lychee, quantity=lychee.stockrecords.get().num_in_stock)

    create_order(basket=basket)  # Oscar allocates the stock

    assert lychee.stockrecords.get().net_stock_level == 0
    assert "Sold out" in _tile(_visit(client, page.url)[1], "Hainan Lychee")


@pytest.mark.parametrize("how", ["row", "m2m"])
def test_a_product_filed_in_a_rule_grid_category_appears_on_the_next_request(
    client, how
):
    fruit = Category.objects.get(name="Fruit")
    page = campaign(
        slug="dearest-fruit",
        body=[
            (
                "product_grid",
                {
                    "heading": "Dearest fruit",
                    "source": "rule",
                    "products": [],
                    "category": fruit,
                    "product_range": None,
                    "sort": "price-desc",
                    "limit": 2,
                    "when_unavailable": "sold_out",
                },
            )
        ],
    )
    assert "65 W GaN Charger" not in _visit(client, page.url)[1]
    _visit(client, page.url)
    charger = _product(CHARGER)

    if how == "row":
        ProductCategory.objects.create(product=charger, category=fruit)
    else:
        charger.categories.add(fruit)

    assert "65 W GaN Charger" in _visit(client, page.url)[1]


def _site_offer(*products, name="Half price", **window):
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Range = get_model("offer", "Range")
    promo = Range.objects.create(name=f"Page cache test range: {name}")
    for product in products:
        promo.add_product(product)
    return ConditionalOffer.objects.create(
        name=name,
        offer_type=ConditionalOffer.SITE,
        condition=get_model("offer", "Condition").objects.create(
            range=promo, type="Count", value=1
        ),
        benefit=get_model("offer", "Benefit").objects.create(
            range=promo, type="Percentage", value=50
        ),
        **window,
    )


def test_an_offer_shows_and_goes_with_the_next_request(client, page):
    _visit(client, page.url)
    offer = _site_offer(_product(CHARGER))
    assert "74.50" in _tile(_visit(client, page.url)[1], "65 W GaN Charger")
    _visit(client, page.url)

    offer.end_datetime = timezone.now() - timedelta(minutes=1)
    offer.save()  # as the dashboard does

    tile = _tile(_visit(client, page.url)[1], "65 W GaN Charger")
    assert "74.50" not in tile and "149.00" in tile


def test_editing_an_offers_benefit_shows_on_the_next_request(client, page):
    offer = _site_offer(_product(CHARGER))
    _visit(client, page.url)
    assert _visit(client, page.url)[0][pagecache.HEADER] == "hit"

    offer.benefit.value = 25
    offer.benefit.save()

    response, html, _ = _visit(client, page.url)
    assert response[pagecache.HEADER] == "miss"
    assert "111.75" in _tile(html, "65 W GaN Charger")


def test_editing_an_offer_no_page_shows_leaves_pages_cached(client, page):
    _site_offer(_product(CHARGER))
    elsewhere = _site_offer(_product(LYCHEE), name="Voucher only")
    elsewhere.offer_type = elsewhere.VOUCHER
    elsewhere.save()
    _visit(client, page.url)

    elsewhere.benefit.value = 10
    elsewhere.benefit.save()
    elsewhere.name = "Voucher only, renamed"
    elsewhere.save()

    assert _visit(client, page.url)[0][pagecache.HEADER] == "hit"


def test_a_range_gaining_a_product_prices_it_on_the_next_request(client, page):
    # Above the spring sale the lychees are on, so Oscar applies it first.
    offer = _site_offer(_product(CHARGER), priority=10)
    lychee = _product(LYCHEE)
    half = f"{lychee.stockrecords.get().price / 2:.2f}"
    _visit(client, page.url)
    assert half not in _tile(_visit(client, page.url)[1], "Hainan Lychee")

    offer.benefit.range.add_product(lychee)

    assert half in _tile(_visit(client, page.url)[1], "Hainan Lychee")


def test_a_cached_page_lasts_only_until_the_next_site_offer_starts(rf, client, page):
    starts = timezone.now() + timedelta(hours=1)
    _site_offer(_product(CHARGER), start_datetime=starts)

    _visit(client, page.url)

    entry = cache.get(entries.response_key(rf.get(page.url)))
    assert entry is not None and entry["until"] <= starts.timestamp()


def test_shoppers_get_their_own_csrf_token_and_can_post_from_a_cached_page(page):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    _visit(first, page.url)

    response, html, _ = _visit(second, page.url)

    assert response[pagecache.HEADER] == "hit"
    assert _tokens(html) and serving.CSRF_SENTINEL not in html
    secrets = {
        client.cookies[settings.CSRF_COOKIE_NAME].value for client in (first, second)
    }
    assert len(secrets) == 2
    (token,) = _tokens(html)
    added = second.post(
        reverse("basket:add", kwargs={"pk": _product(CHARGER).pk}),
        {"quantity": 1, "csrfmiddlewaretoken": token},
        HTTP_ACCEPT="application/json",
    )
    assert added.status_code == 200 and added.json()["ok"] is True


def test_a_pages_language_is_its_urls_not_the_cookies(client, page):
    """/en/… is English whatever language the shop was switched to, so the cached
    English page is right for every visitor (tests/test_page_cache_languages.py:
    each language's version has its own entries)."""
    english = _visit(client, page.url)[1]
    assert 'lang="en"' in english and "加入购物车" not in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response, english_again, _ = _visit(client, page.url)
    assert response[pagecache.HEADER] == "hit"
    assert _without_tokens(english_again) == _without_tokens(english)


def test_previews_show_the_draft_and_never_enter_the_cache(client, page):
    _visit(client, page.url)
    page.intro = "Draft: not yet announced"
    draft = page.save_revision()

    preview = draft.as_object().make_preview_request()

    assert "Draft: not yet announced" in preview.content.decode()
    assert pagecache.HEADER not in preview
    html = _visit(client, page.url)[1]
    assert "Two days only" in html and "Draft" not in html


def test_posts_are_never_cached(client, page):
    _visit(client, page.url)

    response = client.post(page.url)

    assert pagecache.HEADER not in response


def test_a_page_restricted_after_caching_asks_for_its_password(client, page):
    _visit(client, page.url)
    _visit(client, page.url)

    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )

    html = client.get(page.url).content.decode()
    assert "65 W GaN Charger" not in html and "password" in html.lower()


def test_the_home_page_is_cached_too(client):
    _visit(client, page_url())
    response, html, queries = _visit(client, page_url())
    assert response[pagecache.HEADER] == "hit"
    assert queries == 0 and "basket-add" in html


def test_switched_off_every_request_renders(client, page, settings):
    settings.PAGE_CACHE_ENABLED = False
    _visit(client, page.url)  # thumbnails are made once
    _, _, first = _visit(client, page.url)

    response, _, second = _visit(client, page.url)

    assert pagecache.HEADER not in response
    assert second == first > 10


# --- A sale ---------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The page cache's clock, stopped and moved by hand: windows pass without
    waiting, and however slow the machine, only the time a test moves it passes."""

    class Clock:
        moment = time.time()

        def __call__(self):
            return self.moment

        def advance(self, seconds):
            self.moment += seconds

    clock = Clock()
    monkeypatch.setattr(versions, "now", clock)
    return clock


def _discounted_order(product):
    """An order as checkout places it: Oscar's offers applied to the basket, then
    Oscar's OrderCreator, which records each offer's usage and allocates stock."""
    basket = Basket.objects.create()
    basket.strategy = get_class("partner.strategy", "Selector")().strategy()
    basket.add_product(product)
    get_class("offer.applicator", "Applicator")().apply(basket)
    assert basket.offer_discounts, "the offer applies"
    return create_order(basket=basket)


def test_twenty_discounted_orders_leave_the_page_cached_but_for_stock_once_a_window(
    client, page, clock, settings
):
    settings.PAGE_CACHE_STOCK_SECONDS = 60
    charger = _product(CHARGER)
    charger.stockrecords.update(
        num_in_stock=30, num_allocated=0, low_stock_threshold=50
    )
    offer = _site_offer(charger)
    _visit(client, page.url)
    assert "Only 30 left" in _tile(_visit(client, page.url)[1], "65 W GaN Charger")

    outcomes = []
    for _ in range(20):
        _discounted_order(charger)
        outcomes.append(_visit(client, page.url)[0][pagecache.HEADER])

    offer.refresh_from_db()
    assert offer.num_orders == 20 and offer.num_applications == 20
    assert outcomes == ["hit"] * 20  # usage counts and stock flushed nothing
    # Within the window the stock shown may lag; after it, it is the new level, from
    # one render.
    clock.advance(61)
    response, html, _ = _visit(client, page.url)
    assert response[pagecache.HEADER] == "miss"
    assert "Only 10 left" in _tile(html, "65 W GaN Charger")
    assert "74.50" in _tile(html, "65 W GaN Charger")
    assert _visit(client, page.url)[0][pagecache.HEADER] == "hit"


def test_stock_changes_re_render_a_page_at_most_once_a_window(
    client, page, clock, settings
):
    settings.PAGE_CACHE_STOCK_SECONDS = 5
    charger = _product(CHARGER)
    charger.stockrecords.update(
        num_in_stock=100, num_allocated=0, low_stock_threshold=200
    )
    _site_offer(charger)
    _visit(client, page.url)

    shown, renders = [], 0
    for _ in range(20):  # an order a second
        _discounted_order(charger)
        clock.advance(1)
        response, html, _ = _visit(client, page.url)
        renders += response[pagecache.HEADER] == "miss"
        shown.append(re.search(r"Only (\d+) left", _tile(html, "65 W GaN")).group(1))

    assert 1 <= renders <= 4  # at most one per 5-second window
    # Never more than a window behind: the level shown is at most 5 orders old.
    assert all(100 - int(level) >= n - 5 for n, level in enumerate(shown, 1))
    clock.advance(5)
    assert "Only 80 left" in _tile(_visit(client, page.url)[1], "65 W GaN")
    print(f"20 orders, one a second: {renders} renders, levels shown {shown}")


def test_an_offer_reaching_its_limit_shows_full_price_on_the_next_request(client, page):
    charger = _product(CHARGER)
    offer = _site_offer(charger)
    offer.max_global_applications = 3
    offer.save()
    _visit(client, page.url)

    for _ in range(2):
        _discounted_order(charger)
        assert _visit(client, page.url)[0][pagecache.HEADER] == "hit"
    _discounted_order(charger)  # the third and last use

    offer.refresh_from_db()
    assert offer.status == offer.CONSUMED
    response, html, _ = _visit(client, page.url)
    assert response[pagecache.HEADER] == "miss"
    tile = _tile(html, "65 W GaN Charger")
    assert "74.50" not in tile and "149.00" in tile


def test_tracking_and_junk_parameters_share_the_pages_entry(rf, client, page):
    _visit(client, page.url)

    for n in range(20):
        url = f"{page.url}?utm_source=mail{n}&junk={n}&fbclid=x{n}"
        response, html, _ = _visit(client, url)
        assert response[pagecache.HEADER] == "hit"
        assert "utm_source" not in html and "junk" not in html

    plain = entries.response_key(rf.get(page.url))
    assert entries.response_key(rf.get(f"{page.url}?utm_source=x&junk=1")) == plain


def test_a_parameter_pages_read_gets_its_own_entry(rf, settings):
    settings.PAGE_CACHE_QUERY_PARAMS = ["page"]

    def key(query):
        return entries.response_key(rf.get(f"/campaigns/x/{query}"))

    assert key("?page=2") == key("?utm_source=a&page=2") != key("?page=3")
    assert key("") == key("?junk=1")


# --- Without a request -------------------------------------------------------------


def test_stream_dependencies_name_what_a_body_shows_besides_tiles(page):
    voucher = get_model("voucher", "Voucher").objects.first()
    fruit = Category.objects.get(name="Fruit")
    body = [
        ("category_strip", {"heading": "", "categories": [fruit]}),
        ("voucher", {"voucher": voucher, "text": ""}),
    ]
    page = campaign(slug="strips", body=body)

    found, moments = pagecache.stream_dependencies(page.body)

    assert found == {tags.CATEGORIES, tags.voucher_tag(voucher.pk)}
    assert moments == [voucher.start_datetime, voucher.end_datetime]
