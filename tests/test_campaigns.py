"""Campaign pages that sell: editors compose them, shoppers buy from them, Oscar's
live price, offer and stock show on every tile."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    streamfield,
)

from home.models import CampaignIndexPage, CampaignPage
from home.selectors import pages_featuring
from home.tasks import publish_scheduled_pages
from tests.factories import campaign, product_grid
from tests.markers import committed

Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")

db = pytest.mark.django_db


def _product(upc):
    return Product.objects.get(upc=upc)


def _grid_form_data(products):
    return {
        "heading": "Weekend deals",
        "source": "picked",
        "products": {
            "count": str(len(products)),
            **{
                str(i): {"value": str(p.pk), "deleted": "", "order": str(i), "id": ""}
                for i, p in enumerate(products)
            },
        },
        "category": "",
        "product_range": "",
        "sort": "newest",
        "limit": "8",
        "when_unavailable": "sold_out",
    }


def _admin_publish_campaign(
    client, *, slug, products, offer=None, go_live_at="", expire_at=""
):
    index = CampaignIndexPage.objects.get(locale__language_code="en")
    url = reverse("wagtailadmin_pages:add", args=("home", "campaignpage", index.pk))
    data = nested_form_data(
        {
            "title": "Weekend deals",
            "slug": slug,
            "intro": "Two days only",
            "theme_colour": "#0055aa",
            "hero_image": "",
            "offer": str(offer.pk) if offer else "",
            "body": streamfield([("product_grid", _grid_form_data(products))]),
            "go_live_at": go_live_at,
            "expire_at": expire_at,
            "action-publish": "publish",
        }
    )
    return client.post(url, data)


@db
def test_editor_builds_a_campaign_in_the_admin_and_a_shopper_buys_from_it(
    client, demo_user
):
    jerky, charger = _product("MAL-1005"), _product("MAL-4003")
    client.force_login(demo_user("editor"))

    response = _admin_publish_campaign(
        client, slug="weekend", products=[jerky, charger]
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = CampaignPage.objects.get(slug="weekend")
    assert page.live
    assert page in pages_featuring(product=jerky)

    client.logout()
    html = client.get(page.url).content.decode()
    assert "Spicy Beef Jerky" in html and "26.80" in html
    assert "65 W GaN Charger" in html and "149.00" in html

    added = client.post(
        reverse("basket:add", kwargs={"pk": charger.pk}),
        {"quantity": 1},
        HTTP_ACCEPT="application/json",
        HTTP_REFERER=page.url,
    )
    assert added.status_code == 200
    assert added.json()["ok"] is True and added.json()["num_items"] == 1
    assert client.get(page.url).context["request"].basket.num_items == 1


@db
def test_the_dashboard_product_page_links_to_pages_featuring_it(client, demo_user):
    charger = _product("MAL-4003")
    page = campaign(slug="chargers", body=[product_grid([charger])])
    client.force_login(demo_user("merchandiser"))

    response = client.get(
        reverse("dashboard:catalogue-product", kwargs={"pk": charger.pk})
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Featured on these pages" in html
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html


@db
def test_merchandiser_sells_out_a_product_in_the_dashboard_and_tiles_follow(
    client, demo_user
):
    charger = _product("MAL-4003")
    shown = campaign(slug="shown", body=[product_grid([charger])])
    hidden = campaign(
        slug="hidden", body=[product_grid([charger], when_unavailable="hide")]
    )
    client.force_login(demo_user("merchandiser"))
    url = reverse("dashboard:catalogue-product", kwargs={"pk": charger.pk})
    form = querydict_from_html(
        client.get(url).content.decode(), form_id="create_update_product_form"
    )
    form["stockrecords-0-num_in_stock"] = "0"

    response = client.post(url, form)

    assert response.status_code == 302
    assert charger.stockrecords.get().num_in_stock == 0
    client.logout()
    shown_page = client.get(shown.url)
    assert shown_page.status_code == 200
    tile = shown_page.content.decode().split('tile__title">65 W GaN Charger')[1][:600]
    assert "Sold out" in tile
    assert (
        reverse("basket:add", kwargs={"pk": charger.pk})
        not in shown_page.content.decode()
    )
    hidden_page = client.get(hidden.url)
    assert hidden_page.status_code == 200
    assert "65 W GaN Charger" not in hidden_page.content.decode()


@db
def test_withdrawn_and_deleted_products_never_break_a_page_and_the_admin_flags_them(
    client, demo_user, settings, tmp_path
):
    # Oscar deletes a deleted product's picture files; keep the session's seeded ones.
    settings.MEDIA_ROOT = str(tmp_path)
    earbuds, wok, gloves = (
        _product("MAL-4001"),
        _product("MAL-2001"),
        _product("MAL-2004"),
    )
    page = campaign(slug="mixed", body=[product_grid([earbuds, wok, gloves])])
    Product.objects.filter(pk=wok.pk).update(is_public=False)
    gloves_pk = gloves.pk
    gloves.delete()

    html = client.get(page.url).content.decode()

    assert "Wireless Earbuds Pro" in html
    assert "Non-stick Wok 32 cm" in html and "Sold out" in html
    assert "Gardening Gloves" not in html
    assert f'href="{wok.get_absolute_url()}"' not in html  # not public: no link
    client.force_login(demo_user("editor"))
    editor = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    flagged = editor.content.decode()
    assert "“Non-stick Wok 32 cm” is not public." in flagged
    assert f"A product (#{gloves_pk}) was deleted" in flagged


@db
def test_a_rule_grid_lists_a_category_by_price(client):
    fruit = get_model("catalogue", "Category").objects.get(name="Fruit")
    page = campaign(
        slug="fruit",
        body=[
            (
                "product_grid",
                {
                    "heading": "Fruit",
                    "source": "rule",
                    "products": [],
                    "category": fruit,
                    "product_range": None,
                    "sort": "price-asc",
                    "limit": 3,
                    "when_unavailable": "hide",
                },
            )
        ],
    )

    response = client.get(page.url)

    # The three cheapest fruits: apples 29.90, mangoes 39.90, blueberries 45.00;
    # the blueberries are sold out and this grid hides what can't be bought.
    tiles = response.context["product_tiles"]
    assert sorted(t.product.upc for t in tiles.values()) == [
        "MAL-1001",
        "MAL-1003",
        "MAL-1004",
    ]
    html = response.content.decode()
    assert html.index("Red Fuji Apples") < html.index("Yunnan Sweet Mangoes")
    assert "Blueberries" not in html


@db
def test_a_product_with_variants_is_bought_through_its_variant_picker(client):
    tee = _product("MAL-5000")
    medium = _product("MAL-5002")
    page = campaign(slug="tees", body=[product_grid([tee])])
    html = client.get(page.url).content.decode()
    assert 'name="child_id"' in html and ">L · sold out<" in html

    client.post(
        reverse("basket:add", kwargs={"pk": tee.pk}),
        {"quantity": 1, "child_id": medium.pk},
        HTTP_REFERER=page.url,
    )

    basket = client.get(reverse("basket:summary")).context["basket"]
    assert [line.product for line in basket.all_lines()] == [medium]


@db
@pytest.mark.parametrize(
    "target, data, status, message",
    [
        ("unknown", {"quantity": 1}, 404, "does not exist"),
        ("MAL-1003", {"quantity": 0}, 400, ""),
        ("MAL-1003", {"quantity": -2}, 400, ""),
        ("MAL-1002", {"quantity": 5}, 400, "a maximum of 4"),
        ("withdrawn", {"quantity": 1}, 404, "not for sale"),
        ("MAL-1003", {"quantity": "many"}, 400, ""),
    ],
)
def test_bad_add_to_basket_input_gets_a_clear_message_and_changes_nothing(
    client, target, data, status, message
):
    if target == "unknown":
        pk = 999_999
    elif target == "withdrawn":
        pk = _product("MAL-2002").pk
        Product.objects.filter(pk=pk).update(is_public=False)
    else:
        pk = _product(target).pk

    response = client.post(
        reverse("basket:add", kwargs={"pk": pk}),
        data,
        HTTP_ACCEPT="application/json",
        HTTP_REFERER="/",
    )

    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["messages"]
    assert message.lower() in " ".join(body["messages"]).lower()
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 0


def _half_price_offer(*products):
    promo = Range.objects.create(name="Half price test range")
    for product in products:
        promo.add_product(product)
    return ConditionalOffer.objects.create(
        name="Half price weekend",
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=promo, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=promo, type=Benefit.PERCENTAGE, value=50),
    )


@db
def test_the_linked_offer_price_shows_on_tiles_while_the_campaign_runs(
    client, demo_user
):
    jerky = _product("MAL-1005")
    offer = _half_price_offer(jerky)
    client.force_login(demo_user("editor"))
    started = timezone.localtime() - timedelta(hours=1)

    _admin_publish_campaign(
        client,
        slug="half-price-now",
        products=[jerky],
        offer=offer,
        go_live_at=started.strftime("%Y-%m-%d %H:%M"),
        expire_at=(started + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
    )
    client.logout()

    page = CampaignPage.objects.get(slug="half-price-now")
    assert page.live
    html = client.get(page.url).content.decode()
    assert "13.40" in html and "26.80" in html  # now and was
    offer.refresh_from_db()
    offer.end_datetime = timezone.now() - timedelta(minutes=1)
    offer.save()  # as the dashboard does
    assert "13.40" not in client.get(page.url).content.decode()


def _wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@committed
def test_a_scheduled_campaign_goes_live_and_expires_through_the_celery_publisher(
    client, run_tasks
):
    page = campaign(
        slug="flash", body=[product_grid([_product("MAL-1003")])], publish=False
    )
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=5)
    revision.save(update_fields=["approved_go_live_at"])
    assert client.get("/campaigns/flash/", follow=True).status_code == 404

    publish_scheduled_pages.delay()

    assert _wait_for(lambda: Page.objects.get(pk=page.pk).live)
    assert client.get("/campaigns/flash/", follow=True).status_code == 200

    Page.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - timedelta(seconds=5)
    )
    publish_scheduled_pages.delay()

    assert _wait_for(lambda: Page.objects.get(pk=page.pk).expired)
    ended = client.get("/campaigns/flash/", follow=True)
    assert ended.status_code == 410
    html = ended.content.decode()
    assert "has ended" in html
    assert "/campaigns/spring-sale/" in html  # live campaigns to go to instead


def _render_queries(client, url):
    client.get(url)  # warm: thumbnails generated once, as in production
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@db
def test_a_campaign_page_renders_in_the_same_queries_with_48_tiles_as_with_4(
    client, settings, tmp_path
):
    """The render itself, not a page cache hit (tests/test_page_cache.py has those)."""
    from django.core.management import call_command

    settings.PAGE_CACHE_ENABLED = False
    # seed_demo redraws pictures; the session's seeded media stays as it was.
    settings.MEDIA_ROOT = str(tmp_path)

    call_command("seed_demo", products=80, verbosity=0)
    products = list(
        Product.objects.browsable().filter(upc__startswith="GEN-").order_by("upc")[:48]
    )
    small = campaign(slug="four", body=[product_grid(products[:4])])
    large = campaign(slug="forty-eight", body=[product_grid(products)])

    four = _render_queries(client, small.url)
    forty_eight = _render_queries(client, large.url)

    assert forty_eight == four
    # 28: Wagtail's routing finds the active language's home page (2 queries) and
    # the header lists the page's versions in each language (1).
    assert forty_eight <= 28
    print(f"campaign page SQL queries: 4 tiles={four}, 48 tiles={forty_eight}")
