"""Prices, dates, countdowns and counts in the shopper's language: ¥ with two
decimals in English and Chinese, Chinese dates and countdown units (天/时/分),
and add-to-basket messages in one language with their plural right."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from tests.factories import campaign, product_for_sale, product_grid

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _shopper(language: str) -> Client:
    shopper = Client(HTTP_ACCEPT_LANGUAGE=language)
    shopper.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return shopper


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_prices_are_yuan_with_two_decimals_on_tile_product_page_and_basket(language):
    product = product_for_sale(price="1234.5")
    page = campaign(body=[product_grid([product])], language=language)
    shopper = _shopper(language)

    with translation.override(language):
        tile = shopper.get(page.url).content.decode()
        detail = shopper.get(product.get_absolute_url()).content.decode()
        added = shopper.post(
            reverse("basket:add", kwargs={"pk": product.pk}),
            {"quantity": 2},
            HTTP_ACCEPT="application/json",
        ).json()
        basket = shopper.get(reverse("basket:summary")).content.decode()

    assert f'lang="{language}"' in detail
    for html in (tile, detail, basket):
        assert "¥1,234.50" in html
        assert "CN¥" not in html and "CNY" not in html
    assert "¥2,469.00" in basket and "¥2,469.00" in " ".join(added["messages"])


def test_the_currency_filter_is_the_same_in_both_languages():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert currency("0.5", "CNY") == "¥0.50"
            assert currency("-20", "CNY") == "-¥20.00"


def test_adding_to_the_basket_answers_in_chinese_only_with_the_count_in_it():
    product = product_for_sale(price="30.00")
    Product.objects.filter(pk=product.pk).update(title="海南芒果")
    shopper = _shopper("zh-hans")

    with translation.override("zh-hans"):
        one = shopper.post(
            reverse("basket:add", kwargs={"pk": product.pk}),
            {"quantity": 1},
            HTTP_ACCEPT="application/json",
        ).json()["messages"]
        three = shopper.post(
            reverse("basket:add", kwargs={"pk": product.pk}),
            {"quantity": 3},
            HTTP_ACCEPT="application/json",
        ).json()["messages"]

    assert one[0] == "海南芒果 × 1 已加入购物车。"
    assert three[0] == "海南芒果 × 3 已加入购物车。"
    for message in one + three:
        assert not LATIN_WORD.search(message), message


def test_adding_to_the_basket_in_english_says_how_many_in_english():
    product = product_for_sale(price="30.00")
    shopper = _shopper("en")

    with translation.override("en"):
        one, three = (
            shopper.post(
                reverse("basket:add", kwargs={"pk": product.pk}),
                {"quantity": quantity},
                HTTP_ACCEPT="application/json",
            ).json()["messages"][0]
            for quantity in (1, 3)
        )

    assert one == f"{product.get_title()} has been added to your basket."
    assert three == f"3 × {product.get_title()} have been added to your basket."


@pytest.mark.parametrize(
    "language, units, end",
    [
        ("zh-hans", "{days}天 {hours}时 {minutes}分", r"\d{4}年\d+月\d+日 \d\d:\d\d"),
        ("en", "{days}d {hours}h {minutes}m", r"[A-Z][a-z]+\.? \d+, \d{4}"),
    ],
)
def test_a_countdown_names_its_units_and_its_end_in_the_shoppers_language(
    language, units, end
):
    ends_at = timezone.now() + timedelta(days=12, hours=3, minutes=5)
    page = campaign(
        language=language,
        body=[
            (
                "countdown",
                {"headline": "芒果节", "ends_at": ends_at, "ended_text": "已结束"},
            )
        ],
    )

    with translation.override(language):
        html = _shopper(language).get(page.url).content.decode()

    soup = BeautifulSoup(html, "html.parser")
    countdown = soup.select_one(".countdown-block .countdown")
    # mallard.js counts down with the page's units ("12天 3时 5分" / "12d 3h 5m");
    # without JavaScript the end shows, in the language's date format.
    assert countdown["data-days-format"] == units
    assert re.search(end, countdown.get_text()), countdown.get_text()
