"""The storefront as a phone shopper gets it: one stylesheet, small scripts, images
that reserve their space, a basket and error pages that work without JavaScript."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from oscar.core.loading import get_model

from tests.checkout_steps import add
from tests.factories import page_url

Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db

SCRIPT_BUDGET = 50 * 1024  # bytes of our own JavaScript, gzip-compressed, per page


def _shopper_pages(client):
    add(client, "MAL-1001")
    mangoes = Product.objects.get(upc="MAL-1001")
    return {
        "home": page_url(),
        "campaign": page_url("campaigns/spring-sale/"),
        "listing": reverse("catalogue:index"),
        "category": mangoes.get_categories().first().get_absolute_url(),
        "product": mangoes.get_absolute_url(),
        "basket": reverse("basket:summary"),
        "search": reverse("search:search") + "?q=tea",
        "checkout": reverse("checkout:index"),
    }


def test_every_shopper_page_uses_the_one_stylesheet_and_no_bootstrap(client):
    for name, url in _shopper_pages(client).items():
        html = client.get(url).content.decode()
        sheets = re.findall(r'<link rel="stylesheet"[^>]*href="([^"]+)"', html)
        assert sheets == ["/static/css/mallard.css"], (name, sheets)
        assert "bootstrap" not in html, name


def test_no_shopper_page_ships_more_than_50_kb_of_compressed_javascript(client):
    for name, url in _shopper_pages(client).items():
        html = client.get(url).content.decode()
        total = 0
        for src in re.findall(r'<script[^>]+src="/static/([^"]+)"', html):
            path = finders.find(src)
            assert path, f"{name}: {src} is not a static file"
            with open(path, "rb") as script:
                total += len(gzip.compress(script.read()))
        assert total < SCRIPT_BUDGET, f"{name}: {total} bytes of gzipped JavaScript"


def test_product_pictures_are_webp_with_sizes_reserved(client):
    html = client.get(reverse("catalogue:index")).content.decode()
    images = re.findall(r'<img class="tile__image"[^>]*>', html)

    assert len(images) >= 20
    for image in images:
        assert re.search(r'srcset="[^"]+\.webp 240w, [^"]+\.webp 480w"', image), image
        assert 'width="240" height="240"' in image and 'loading="lazy"' in image


def test_the_product_page_sells_with_a_plain_form(client):
    product = Product.objects.get(upc="MAL-1001")
    html = client.get(product.get_absolute_url()).content.decode()

    form = re.search(r'<form class="buy-bar"[^>]*action="([^"]+)"', html)
    assert form and form.group(1) == reverse("basket:add", kwargs={"pk": product.pk})
    assert 'name="quantity"' in html and 'srcset="' in html

    client.post(form.group(1), {"quantity": 2})
    assert Basket.objects.get().num_items == 2


def test_the_basket_updates_and_removes_lines_without_javascript(client):
    add(client, "MAL-1001")
    add(client, "MAL-4001")
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "form-0-id": formset[0].instance.pk,
        "form-0-quantity": 3,
        "form-1-id": formset[1].instance.pk,
        "form-1-quantity": 1,
    }
    html = page.content.decode()
    assert 'name="form-1-DELETE" value="on"' in html  # the Remove button itself

    client.post(reverse("basket:summary"), {**data, "form-1-DELETE": "on"})

    basket = Basket.objects.get()
    assert [(line.product.upc, line.quantity) for line in basket.all_lines()] == [
        ("MAL-1001", 3)
    ]


def test_a_bad_quantity_is_explained_and_the_basket_is_unchanged(client):
    add(client, "MAL-1001")
    line = Basket.objects.get().all_lines()[0]

    response = client.post(
        reverse("basket:summary"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            "form-0-id": line.pk,
            "form-0-quantity": "lots",
        },
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 1


def test_an_unknown_address_gets_the_malls_own_not_found_page(client):
    response = client.get("/no-such-page/", follow=True)

    assert response.status_code == 404
    html = response.content.decode()
    assert "find that page" in html
    assert 'class="tabbar"' in html and 'action="/shop/search/"' in html


def test_the_server_error_page_needs_nothing_that_could_fail_again():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Nothing in your basket was lost" in html
    assert "/static/css/mallard.css" in html


def test_the_checkout_gateway_asks_only_returning_customers_for_a_password(client):
    add(client, "MAL-1001")
    url = reverse("checkout:index")
    html = client.get(url).content.decode()
    password = re.search(r'<input type="password"[^>]*>', html).group(0)
    assert "required" not in password  # a guest without JavaScript can continue

    refused = client.post(
        url, {"username": "someone@example.com", "options": "existing"}
    )
    assert refused.status_code == 200
    assert "Enter your password to sign in." in refused.content.decode()

    guest = client.post(url, {"username": "guest@example.com", "options": "anonymous"})
    assert guest.status_code == 302
    assert guest["Location"] == reverse("checkout:shipping-address")
