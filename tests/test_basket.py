import pytest
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_shopper_adds_a_product_to_the_basket_from_the_product_page(client):
    product = Product.objects.get(upc="MAL-1003")
    page = client.get(product.get_absolute_url())
    add_url = reverse("basket:add", kwargs={"pk": product.pk})
    assert add_url in page.content.decode()

    response = client.post(
        add_url, {"quantity": 2}, HTTP_REFERER=product.get_absolute_url()
    )

    assert response.status_code == 302
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 2
    assert basket.all_lines()[0].product == product


def test_shopper_adds_from_a_home_page_tile(client):
    product = Product.objects.get(upc="MAL-1001")

    client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1},
        HTTP_REFERER="/",
    )

    assert client.get("/", follow=True).context["request"].basket.num_items == 1


def test_a_sold_out_product_is_refused_and_the_basket_is_unchanged(client):
    product = Product.objects.get(upc="MAL-1004")  # no stock

    client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1},
        HTTP_REFERER="/",
    )

    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 0
