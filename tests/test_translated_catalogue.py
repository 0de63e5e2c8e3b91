"""Catalogue data in Chinese and English: merchandisers edit both languages side by
side in Oscar's dashboard; shoppers see their language, or English where a Chinese
translation is missing."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from wagtail.test.utils.form_data import querydict_from_html

import pagecache
from search.site_search import site_search
from tests.factories import campaign, product_for_sale, product_grid
from tests.markers import committed

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

db = pytest.mark.django_db


@db
@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("catalogue-category-create", "name"),
        ("catalogue-class-create", "attributes-0-name"),
        ("catalogue-option-create", "name"),
        ("shipping-method-create", "name"),
        ("offer-metadata", "name"),
        ("voucher-create", "name"),
    ],
)
def test_dashboard_forms_edit_the_chinese_and_the_english_name(
    client, demo_user, url_name, field
):
    client.force_login(demo_user("merchandiser"))

    html = client.get(reverse(f"dashboard:{url_name}")).content.decode()

    chinese, english = f'name="{field}_zh_hans"', f'name="{field}_en"'
    assert chinese in html and english in html
    assert html.index(chinese) < html.index(english)  # Chinese first, side by side


@db
def test_the_product_form_labels_each_language(client, demo_user):
    product = product_for_sale()
    client.force_login(demo_user("merchandiser"))

    with translation.override("en"):
        html = client.get(
            reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
            HTTP_ACCEPT_LANGUAGE="en",
        ).content.decode()

    assert "Title (Simplified Chinese)" in html and "Title (English)" in html
    assert "Description (Simplified Chinese)" in html


@db
def test_a_category_named_only_in_chinese_shows_its_chinese_name_in_english(
    client, demo_user
):
    client.force_login(demo_user("merchandiser"))
    url = reverse("dashboard:catalogue-category-create")
    form = querydict_from_html(
        client.get(url).content.decode(), form_id="create_update_category_form"
    )
    form["name_zh_hans"], form["name_en"] = "时令水果", ""

    response = client.post(url, form)

    assert response.status_code == 302
    category = Category.objects.get(name_zh_hans="时令水果")
    with translation.override("en"):
        assert category.name == "时令水果"


@db
def test_a_category_needs_a_name_in_at_least_one_language(client, demo_user):
    client.force_login(demo_user("merchandiser"))
    url = reverse("dashboard:catalogue-category-create")
    form = querydict_from_html(
        client.get(url).content.decode(), form_id="create_update_category_form"
    )
    form["name_zh_hans"], form["name_en"] = "", ""

    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Fill in at least one language." in response.content.decode()


@db
def test_a_missing_chinese_title_falls_back_to_english():
    product = product_for_sale()
    Product.objects.filter(pk=product.pk).update(
        title_en="Travel Kettle", title_zh_hans=None
    )
    product.refresh_from_db()

    with translation.override("zh-hans"):
        assert product.get_title() == "Travel Kettle"
    product.title_zh_hans = "旅行水壶"
    with translation.override("zh-hans"):
        assert product.get_title() == "旅行水壶"
    with translation.override("en"):
        assert product.get_title() == "Travel Kettle"


def _wait_until(found, seconds=20):
    deadline = time.monotonic() + seconds
    while not found() and time.monotonic() < deadline:
        time.sleep(0.2)
    return found()


@committed
def test_a_merchandiser_retitles_a_product_in_chinese_and_tile_and_search_follow(
    client, demo_user, run_tasks
):
    product = product_for_sale()
    product.title_en, product.title_zh_hans = "Travel Kettle", "旅行水壶"
    product.save()
    # Oscar's form asks a standalone product for a category.
    product.categories.add(create_from_breadcrumbs("Kitchen > Kettles"))
    page = campaign(slug="kettles", body=[product_grid([product])], language="zh-hans")
    shopper = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "旅行水壶" in shopper.get(page.url).content.decode()
    assert shopper.get(page.url)[pagecache.HEADER] == "hit"

    client.force_login(demo_user("merchandiser"))
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    form = querydict_from_html(
        client.get(url).content.decode(), form_id="create_update_product_form"
    )
    form["title_zh_hans"] = "便携电热水壶"
    form["is_public"] = "on"  # what a browser sends for the ticked box
    response = client.post(url, form)

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.title_zh_hans, product.title_en) == (
        "便携电热水壶",
        "Travel Kettle",
    )
    tile_page = shopper.get(page.url).content.decode()
    assert "便携电热水壶" in tile_page and "旅行水壶" not in tile_page
    assert _wait_until(
        lambda: product.pk in site_search(query="电热水壶", record_hit=False).products
    )
    assert product.pk in site_search(query="Travel Kettle", record_hit=False).products
