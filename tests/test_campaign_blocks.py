"""Every block renders from its preview value; the Oscar-backed blocks show what
Oscar says; the choosers find Oscar objects for editors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.test.utils import WagtailTestUtils

from config.celery_app import app as celery_app
from home.blocks import BodyBlock
from home.models import CampaignIndexPage, CampaignPage, HomePage, StandardPage

Product = get_model("catalogue", "Product")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(BodyBlock.base_blocks))
def test_each_block_has_a_template_description_and_a_preview_that_renders(name, rf):
    block = BodyBlock.base_blocks[name]
    request = rf.get("/")
    request.user = AnonymousUser()

    assert block.meta.template.startswith("blocks/")
    assert block.meta.description
    html = block.render(block.get_preview_value(), context={"request": request})

    assert isinstance(html, str)


def test_page_tree_rules_keep_campaigns_under_the_index():
    assert CampaignPage.allowed_parent_page_models() == [CampaignIndexPage]
    assert CampaignIndexPage.allowed_parent_page_models() == [HomePage]
    assert StandardPage not in CampaignPage.allowed_parent_page_models()
    assert CampaignPage.subpage_types == []
    assert CampaignPage.can_create_at(
        CampaignIndexPage.objects.get(locale__language_code="en")
    )
    assert not CampaignPage.can_create_at(
        HomePage.objects.get(locale__language_code="en")
    )


def test_the_offer_banner_shows_oscars_own_words_and_a_countdown(client):
    html = client.get("/campaigns/spring-sale/", follow=True).content.decode()

    assert "Spring sale: 20% off spring picks" in html
    assert "20% off selected products." in html  # the offer's description
    assert "20.00% discount on Spring picks" in html  # Oscar's benefit in words
    assert "data-countdown=" in html


def test_the_voucher_block_applies_its_code_to_the_basket(client, demo_user):
    client.force_login(demo_user("shopper"))  # WELCOME10 is once per customer
    wok = Product.objects.get(upc="MAL-2001")
    client.post(
        reverse("basket:add", kwargs={"pk": wok.pk}), {"quantity": 1}, HTTP_REFERER="/"
    )
    page_html = client.get("/campaigns/spring-sale/", follow=True).content.decode()
    assert "WELCOME10" in page_html and reverse("basket:vouchers-add") in page_html

    client.post(
        reverse("basket:vouchers-add"),
        {"code": "WELCOME10", "next": "/campaigns/spring-sale/"},
    )

    basket = client.get(reverse("basket:summary")).context["basket"]
    assert [v.code for v in basket.vouchers.all()] == ["WELCOME10"]


def test_campaign_theme_colour_sets_readable_text():
    assert CampaignPage(theme_colour="#ffee00").theme_ink == "#111111"
    assert CampaignPage(theme_colour="#1b7f5a").theme_ink == "#ffffff"
    # Mid-bright orange: white would be 3.1:1, dark text 6:1 (WCAG AA needs 4.5).
    assert CampaignPage(theme_colour="#ff5a1f").theme_ink == "#111111"


def test_the_product_chooser_searches_title_upc_and_sku_and_shows_live_data(
    client, demo_user
):
    client.force_login(demo_user("editor"))
    url = reverse("product_chooser:choose_results")

    by_title = client.get(url, {"q": "charger"}).content.decode()
    by_sku = client.get(url, {"q": "MAL-4002"}).content.decode()
    audio = client.get(
        url,
        {"category": get_model("catalogue", "Category").objects.get(name="Audio").pk},
    ).content.decode()

    assert "65 W GaN Charger" in by_title
    assert "149.00 CNY · 100 in stock" in by_title
    assert "<img" in by_title
    assert "Portable Bluetooth Speaker" in by_sku and "Wok" not in by_sku
    assert "Wireless Earbuds Pro" in audio and "Mangoes" not in audio


def test_the_other_choosers_find_oscar_objects(client, demo_user):
    client.force_login(demo_user("editor"))

    offers = client.get(reverse("offer_chooser:choose_results"), {"q": "spring"})
    vouchers = client.get(reverse("voucher_chooser:choose_results"), {"q": "WELCOME10"})
    categories = client.get(reverse("category_chooser:choose_results"), {"q": "tea"})

    assert "Spring sale" in offers.content.decode()
    assert "Welcome 10% off" in vouchers.content.decode()
    assert "Tea &amp; coffee" in categories.content.decode()


def test_celery_beat_runs_wagtails_scheduled_publishing_every_minute():
    schedule = celery_app.conf.beat_schedule["publish-scheduled-pages"]

    assert schedule["task"] == "home.tasks.publish_scheduled_pages"
    assert schedule["schedule"] == 60.0


class TestCampaignPageInTheAdmin(WagtailTestUtils):
    def test_the_editor_form_shows_the_offer_and_hero_fields(self, client, demo_user):
        client.force_login(demo_user("editor"))
        index = CampaignIndexPage.objects.get(locale__language_code="en")

        response = client.get(
            reverse("wagtailadmin_pages:add", args=("home", "campaignpage", index.pk))
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert 'name="offer"' in html and 'name="theme_colour"' in html
