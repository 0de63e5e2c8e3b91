"""The page cache keeps each language's version of a page apart, and a change to
one language's version refreshes the other's links to it."""

import pytest
from oscar.core.loading import get_model
from wagtail.models import Locale

import pagecache
from tests.factories import campaign, page_url, product_grid

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _visit(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response[pagecache.HEADER], response.content.decode()


@pytest.fixture
def campaigns():
    """One campaign in Chinese and its English translation, one product tile each."""
    charger = Product.objects.get(upc="MAL-4003")
    chinese = campaign(
        slug="kuaichong",
        title="快充节",
        language="zh-hans",
        body=[product_grid([charger], heading="快充精选")],
    )
    english = chinese.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Fast charging days"
    english.body = [product_grid([charger], heading="Fast chargers")]
    english.save_revision().publish()
    return chinese, english.specific


def test_each_language_has_its_own_cached_page(client, campaigns):
    chinese, english = campaigns

    assert _visit(client, chinese.url)[0] == "miss"
    outcome, html = _visit(client, chinese.url)
    assert outcome == "hit" and "快充精选" in html

    # The English page is not the Chinese one from the cache, at its first visit
    # or after it is cached itself; the Chinese one stays Chinese.
    outcome, html = _visit(client, english.url)
    assert outcome == "miss"
    assert "Fast chargers" in html and "快充精选" not in html
    outcome, html = _visit(client, english.url)
    assert outcome == "hit" and "Fast chargers" in html and "快充精选" not in html
    outcome, html = _visit(client, chinese.url)
    assert outcome == "hit" and "快充精选" in html and "Fast chargers" not in html
    assert 'lang="zh-hans"' in html


def test_the_same_body_is_cached_per_language_for_signed_in_shoppers(
    client, campaigns, demo_user
):
    """Signed-in shoppers get the body layer only (their chrome is their own)."""
    chinese, english = campaigns
    client.force_login(demo_user("shopper"))
    _visit(client, chinese.url)
    outcome, html = _visit(client, english.url)
    assert outcome == "miss" and "Fast chargers" in html and "快充精选" not in html
    outcome, html = _visit(client, chinese.url)
    assert outcome == "body" and "快充精选" in html and "Fast chargers" not in html


def test_publishing_a_translation_refreshes_the_other_languages_cached_page(client):
    charger = Product.objects.get(upc="MAL-4003")
    chinese = campaign(
        slug="kuaichong",
        title="快充节",
        language="zh-hans",
        body=[product_grid([charger], heading="快充精选")],
    )
    _visit(client, chinese.url)
    outcome, html = _visit(client, chinese.url)
    assert outcome == "hit"
    # No English version yet: the switch goes to the English campaigns.
    assert f'value="{page_url("campaigns/")}"' in html and 'hreflang="en"' not in html

    english = chinese.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Fast charging days"
    english.save_revision().publish()

    outcome, html = _visit(client, chinese.url)
    assert outcome == "miss"
    assert f'value="{english.url}"' in html and 'hreflang="en"' in html


def test_a_price_change_reaches_both_languages_cached_pages(client, campaigns):
    chinese, english = campaigns
    for page in campaigns:
        _visit(client, page.url)
        assert _visit(client, page.url)[0] == "hit"

    record = Product.objects.get(upc="MAL-4003").stockrecords.get()
    record.price = "123.45"
    record.save()

    for page in (chinese, english):
        outcome, html = _visit(client, page.url)
        assert outcome != "hit" and "123.45" in html
