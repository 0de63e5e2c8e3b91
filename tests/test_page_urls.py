"""Pages live under their language (/zh-hans/…, /en/…); a path without one goes to
the shopper's language; the shop stays where it was."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import page_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "language"),
    [("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9", "zh-hans"), ("fr-FR", "zh-hans")],
)
def test_the_front_door_sends_shoppers_to_their_language(accept, language):
    """Accept-Language picks; a language the mall doesn't have gets Chinese."""
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/")

    assert response.status_code == 302
    assert response.url == page_url(language=language) == f"/{language}/"


def test_the_chosen_language_beats_the_browsers():
    shopper = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    shopper.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert shopper.get("/").url == page_url()


def test_old_links_without_a_language_still_reach_the_page(client):
    response = client.get("/campaigns/spring-sale/", follow=True)

    assert response.redirect_chain == [(page_url("campaigns/spring-sale/"), 302)]
    assert response.status_code == 200 and response.context["page"].slug == (
        "spring-sale"
    )


def test_shop_urls_stay_unprefixed_and_their_404s_stay_404s(client):
    assert reverse("basket:summary") == "/shop/basket/"
    missing = client.post(reverse("basket:add", kwargs={"pk": 999_999}), {})

    assert missing.status_code == 404


def test_an_unknown_page_in_a_language_is_a_404(client):
    assert client.get(page_url("no-such-page/", "zh-hans")).status_code == 404
