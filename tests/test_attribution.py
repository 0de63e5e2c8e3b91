"""What a campaign sold: an add-to-basket from a tile remembers the page, its
revision and the block; the order line keeps it, however the order is placed."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from insights.models import BasketLineSource, OrderLineSource
from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests import webhooks
from tests.factories import campaign, product_for_sale, product_grid

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<input type="hidden" name="(attribution_\w+)" value="([^"]*)">')


@pytest.fixture
def products():
    return [product_for_sale(price="30.00"), product_for_sale(price="50.00")]


@pytest.fixture
def page(products):
    return campaign(
        slug="spring",
        body=[
            product_grid([products[0]], heading="First"),
            product_grid([products[1]], heading="Second"),
        ],
    )


def _tile_fields(html: str, product) -> dict:
    action = reverse("basket:add", kwargs={"pk": product.pk})
    form = html.split(f'action="{action}"')[1].split("</form>")[0]
    return dict(FIELD.findall(form))


def _add(client, product, fields, quantity=1):
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": quantity, **fields},
        HTTP_REFERER="/",
    )


def _line_source(product) -> BasketLineSource:
    return BasketLineSource.objects.get(line__product=product)


def test_a_tile_add_records_the_page_revision_and_block(client, page, products):
    html = client.get(page.url).content.decode()
    fields = _tile_fields(html, products[1])
    second_block = page.body[1]

    assert fields == {
        "attribution_page": str(page.pk),
        "attribution_revision": str(page.live_revision_id),
        "attribution_block": second_block.id,
    }
    assert _add(client, products[1], fields).status_code == 302

    source = _line_source(products[1])
    assert (source.first_page_id, source.first_revision_id, source.first_block_id) == (
        page.pk,
        page.live_revision_id,
        second_block.id,
    )
    assert source.last_block_id == second_block.id


def test_a_cached_page_posts_the_same_fields(client, page, products):
    first = client.get(page.url)
    again = Client().get(page.url)
    assert again["X-Page-Cache"] == "hit"
    for product in products:
        assert _tile_fields(first.content.decode(), product) == _tile_fields(
            again.content.decode(), product
        )


def test_adding_again_from_another_block_moves_the_last_touch_only(
    client, page, products
):
    html = client.get(page.url).content.decode()
    fields = _tile_fields(html, products[0])
    _add(client, products[0], fields)
    other = {**fields, "attribution_block": page.body[1].id}
    _add(client, products[0], other)

    source = _line_source(products[0])
    assert source.first_block_id == page.body[0].id
    assert source.last_block_id == page.body[1].id
    assert source.line.quantity == 2


@pytest.mark.parametrize(
    "forged",
    [
        {"attribution_page": "abc"},
        {"attribution_page": "99999999999999999999"},
        {"attribution_block": "not-a-block"},
        {"attribution_block": "00000000-0000-4000-8000-000000000000"},
        {"attribution_revision": "-1"},
        {"attribution_revision": "1"},  # a revision, but not this page's
        {"attribution_source": "newsletter"},
        {"attribution_page": "1\x00"},
    ],
)
def test_forged_attribution_is_ignored_and_the_product_still_added(
    client, page, products, forged
):
    html = client.get(page.url).content.decode()
    fields = {**_tile_fields(html, products[0]), **forged}

    response = _add(client, products[0], fields)

    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert Basket.objects.get(lines__product=products[0])
    assert not BasketLineSource.objects.exists()


def test_a_product_page_add_records_nothing(client, products):
    steps.add(client, products[0])
    assert not BasketLineSource.objects.exists()


def test_a_search_result_add_is_attributed_to_search(client):
    product = Product.objects.get(title="West Lake Longjing Green Tea")
    html = client.get(reverse("search:search"), {"q": "Longjing"}).content.decode()
    fields = _tile_fields(html, product)
    assert fields == {"attribution_source": "search"}

    _add(client, product, fields)

    source = _line_source(product)
    assert source.first_source == source.last_source == "search"
    assert source.first_page_id is None


def _checkout(client, localstripe):
    steps.to_payment_step(client)
    steps.pay(client, localstripe.card_token())
    return Order.objects.get()


def test_the_order_line_keeps_the_tile_it_came_from(
    client, page, products, localstripe
):
    html = client.get(page.url).content.decode()
    _add(client, products[1], _tile_fields(html, products[1]))
    steps.add(client, products[0])  # from its product page: no touch

    order = _checkout(client, localstripe)

    (attributed,) = OrderLineSource.objects.filter(line__order=order)
    assert attributed.line.product == products[1]
    assert attributed.last_page_id == page.pk
    assert attributed.last_block_id == page.body[1].id
    assert attributed.last_revision_id == page.live_revision_id


def test_a_last_touch_outside_the_window_counts_as_direct(
    client, page, products, localstripe, settings
):
    settings.ATTRIBUTION_WINDOW_DAYS = 7
    html = client.get(page.url).content.decode()
    _add(client, products[0], _tile_fields(html, products[0]))
    eight_days_ago = timezone.now() - timedelta(days=8)
    BasketLineSource.objects.update(first_at=eight_days_ago, last_at=eight_days_ago)

    order = _checkout(client, localstripe)

    attributed = OrderLineSource.objects.get(line__order=order)
    assert attributed.first_page_id == page.pk
    assert attributed.last_source == "" and attributed.last_page_id is None


def test_an_order_placed_by_the_webhook_still_attributes(
    client, page, products, localstripe, django_capture_on_commit_callbacks
):
    html = client.get(page.url).content.decode()
    _add(client, products[0], _tile_fields(html, products[0]))
    steps.to_payment_step(client)
    payment = CheckoutPayment.objects.get()
    # The shopper pays and closes the tab; only the webhook comes back.
    get_gateway("stripe").intent_pay(payment.intent_id, token=localstripe.card_token())
    body = webhooks.event(
        "payment_intent.succeeded",
        {"id": payment.intent_id, "object": "payment_intent", "status": "succeeded"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliver(Client(), body).status_code == 200

    attributed = OrderLineSource.objects.get(line__order=Order.objects.get())
    assert attributed.last_block_id == page.body[0].id


def test_a_flash_sale_buy_records_its_page_and_block(client):
    from bs4 import BeautifulSoup

    from shop.flashsales.tests.factories import flash_sale
    from shop.flashsales.tests.factories import product as flash_product

    kettle = flash_product(price="100.00", title="Flash kettle")
    sale, _, _ = flash_sale(kettle, price="50.00", pool=20, limit=2)
    page = campaign(
        slug="flash-attribution",
        body=[("flash_sale", {"sale": sale, "heading": "Midnight flash"})],
    )

    form = BeautifulSoup(client.get(page.url).content, "html.parser").select_one(
        ".flash-card form"
    )
    response = client.post(
        form["action"], {i["name"]: i.get("value", "") for i in form.select("input")}
    )

    assert response.status_code == 302
    source = _line_source(kettle)
    assert (source.last_page_id, source.last_revision_id, source.last_block_id) == (
        page.pk,
        page.live_revision_id,
        page.body[0].id,
    )
