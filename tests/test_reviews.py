"""Reviews: written by a shopper whose order with the product arrived, once; the
average stars show on the product page and on its tiles."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import campaign, product_for_sale, product_grid
from tests.orders import order_for

ProductReview = get_model("reviews", "ProductReview")

pytestmark = pytest.mark.django_db

REVIEW = {"score": "4", "title": "Fresh and fragrant", "body": "Arrived quickly."}


@pytest.fixture
def shopper():
    return get_user_model().objects.create_user("mei", "mei@example.com", "pw")


@pytest.fixture
def product():
    product = product_for_sale(price="30.00")
    product.title = "Osmanthus oolong"
    product.save()
    return product


def _add_url(product):
    return reverse(
        "catalogue:reviews-add",
        kwargs={"product_slug": product.slug, "product_pk": product.pk},
    )


def _tile(html: str, product) -> str:
    """The listing tile that links to `product`."""
    href = f'href="{product.get_absolute_url()}"'
    start = html.rindex('<li class="tile', 0, html.index(href))
    return html[start : html.index("</li>", start)]


def test_a_review_written_after_delivery_shows_its_stars_on_the_page_and_tile(
    client, shopper, product
):
    order = order_for(shopper, "Delivered", product=product)
    page = campaign(body=[product_grid([product])])
    # Cached without stars first: the review has to reach the cached tile.
    assert "--stars" not in _tile(client.get(page.url).content.decode(), product)
    client.force_login(shopper)
    order_page = client.get(
        reverse("customer:order", kwargs={"order_number": order.number})
    ).content.decode()
    assert _add_url(product) in order_page  # "Write a review" on the order

    form = client.get(_add_url(product))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'id="addreview"' in html and 'name="score" value="5"' in html

    response = client.post(_add_url(product), REVIEW)

    assert response.status_code == 302
    review = ProductReview.objects.get(product=product)
    assert (review.user, review.score) == (shopper, 4)
    detail = client.get(product.get_absolute_url()).content.decode()
    assert "Fresh and fragrant" in detail
    assert 'style="--stars: 4.0"' in detail
    assert "4.0 from 1 review" in detail
    client.logout()
    tile = _tile(client.get(page.url).content.decode(), product)
    assert 'style="--stars: 4.0"' in tile


def test_the_average_of_several_reviews_is_shown(client, shopper, product):
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")
    for user, score in [(shopper, "5"), (other, "2")]:
        order_for(user, "Completed", product=product)
        client.force_login(user)
        client.post(_add_url(product), {**REVIEW, "score": score})

    page = client.get(product.get_absolute_url()).content.decode()

    assert 'style="--stars: 3.5"' in page and "3.5 from 2 reviews" in page


@pytest.mark.parametrize("status", ["Paid", "Shipped"])
def test_no_review_before_the_order_arrived(client, shopper, product, status):
    order_for(shopper, status, product=product)
    client.force_login(shopper)

    response = client.post(_add_url(product), REVIEW, follow=True)

    assert not ProductReview.objects.exists()
    assert "You can&#x27;t leave a review for this product." in (
        response.content.decode()
    )
    assert _add_url(product) not in response.content.decode()


def test_no_review_of_a_product_someone_else_bought(client, shopper, product):
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")
    order_for(other, "Completed", product=product)
    client.force_login(shopper)

    client.post(_add_url(product), REVIEW)
    client.logout()
    client.post(_add_url(product), {**REVIEW, "name": "Anon", "email": "a@b.cn"})

    assert not ProductReview.objects.exists()


def test_one_review_per_shopper(client, shopper, product):
    order_for(shopper, "Completed", product=product)
    client.force_login(shopper)

    client.post(_add_url(product), REVIEW)
    client.post(_add_url(product), {**REVIEW, "score": "1"})

    assert list(ProductReview.objects.values_list("score", flat=True)) == [4]
