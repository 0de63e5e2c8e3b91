"""Every page type and the key shop pages render from the seeded demo."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.models import Page

from home.models import HomePage, StandardPage

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def test_home_page_is_the_front_door_with_live_prices_and_stock(client):
    response = client.get("/", follow=True)

    assert response.status_code == 200
    assert isinstance(response.context["page"], HomePage)
    html = response.content.decode()
    assert "Spring sale" in html
    assert "Wireless Earbuds Pro" in html and "399.00" in html
    assert "Only 4 left" in html  # Hainan Lychee Gift Box: 4 in stock, threshold 5
    assert "Sold out" in html  # MagSafe Phone Stand: none in stock
    # 14 tiles: 2 are sold out; 11 sell in one tap; the tee asks for a size first.
    assert html.count('action="/shop/basket/add/') == 12
    assert html.count('name="child_id"') == 1


def test_home_page_reflects_a_price_change_on_the_next_request(client):
    product = Product.objects.get(upc="MAL-4001")
    record = product.stockrecords.get()
    record.price = "349.00"
    record.save()

    html = client.get("/", follow=True).content.decode()

    assert "349.00" in html and "399.00" not in html


def test_standard_page_renders(client):
    page = StandardPage.objects.get(slug="help", locale__language_code="en")

    response = client.get(page.url)

    assert response.status_code == 200
    assert "Standard delivery takes 2–3 days" in response.content.decode()


@pytest.mark.parametrize("page_class", [HomePage, StandardPage])
def test_every_page_type_is_published_and_renders(client, page_class):
    page = page_class.objects.live().first()

    assert client.get(page.url).status_code == 200


def test_product_detail_renders(client):
    product = Product.objects.get(upc="MAL-1001")

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert "Yunnan Sweet Mangoes" in response.content.decode()


def test_catalogue_lists_the_seeded_products_without_a_search_server(client):
    response = client.get(reverse("catalogue:index"))

    assert response.status_code == 200
    listed = response.context["paginator"].count
    assert listed == Product.objects.browsable().count() > 20
    assert "Wireless Earbuds Pro" in response.content.decode()


def test_category_page_lists_its_products_and_its_subcategories(client):
    fruit = Category.objects.get(name="Fruit")
    fresh_food = fruit.get_parent()

    fruit_page = client.get(fruit.get_absolute_url())
    parent_page = client.get(fresh_food.get_absolute_url())

    assert fruit_page.status_code == 200
    fruit_titles = {p.title for p in fruit_page.context["products"]}
    assert "Yunnan Sweet Mangoes 1 kg" in fruit_titles
    assert "Spicy Beef Jerky" not in fruit_titles
    parent_titles = {p.title for p in parent_page.context["products"]}
    assert {"Yunnan Sweet Mangoes 1 kg", "Spicy Beef Jerky"} <= parent_titles


def test_catalogue_sorts_by_price(client):
    response = client.get(reverse("catalogue:index"), {"sort_by": "price-asc"})

    prices = [p.min_price for p in response.context["products"]]
    assert prices == sorted(prices)


def test_search_finds_products_by_title_and_sku(client):
    by_title = client.get(reverse("search:search"), {"q": "mango"})
    by_sku = client.get(reverse("search:search"), {"q": "mal-4003"})

    assert [t.product.upc for t in by_title.context["tiles"]] == ["MAL-1001"]
    assert [t.product.upc for t in by_sku.context["tiles"]] == ["MAL-4003"]


def test_basket_page_renders(client):
    assert client.get(reverse("basket:summary")).status_code == 200


def test_oscar_links_home_to_the_wagtail_home_page(client):
    response = client.get(reverse("basket:summary"))

    assert response.context["homepage_url"] == "/"
    assert client.get("/shop/").url == "/"


def test_wagtail_serves_unknown_paths_after_the_shop(client):
    assert client.get("/no-such-page/", follow=True).status_code == 404
    # One home page per language.
    assert Page.objects.get(depth=1).get_children().count() == 2
