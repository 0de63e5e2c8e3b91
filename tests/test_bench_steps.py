"""`make bench` drives checkouts with forms of its own (bench/loadgen.py imports no
Django): they must still be what the shop accepts, or the bench measures refusals."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from bench.loadgen import checkout_steps

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

URLS = ("index", "shipping-address", "shipping-method", "payment-details", "thank-you")


def test_the_bench_guest_checkout_steps_place_an_order(client, localstripe):
    product = Product.objects.get(upc="MAL-4003")
    steps = checkout_steps(
        {name: reverse(f"checkout:{name}") for name in URLS},
        reverse("basket:add", kwargs={"pk": product.pk}),
        "bench@example.com",
    )
    token = ""
    for name, method, path, form, expected in steps:
        if method == "TOKEN":
            token = localstripe.card_token()
            continue
        if form and form.get("stripe_token") == "token":
            form = {"stripe_token": token}
        response = (
            client.post(path, form, HTTP_REFERER="/")
            if method == "POST"
            else client.get(path)
        )
        assert response.status_code == expected, (name, response.get("Location"))

    order = Order.objects.get()
    assert order.guest_email == "bench@example.com"
    assert [line.product for line in order.lines.all()] == [product]
