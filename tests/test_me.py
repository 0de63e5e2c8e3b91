"""The shopper's "Me": order tabs, one order's page and its actions, sign-out."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_order, create_product

from tests.orders import dispatch, order_for

Basket = get_model("basket", "Basket")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
WishList = get_model("wishlists", "WishList")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    return get_user_model().objects.create_user("mei", "mei@example.com", "pw")


@pytest.fixture
def other():
    return get_user_model().objects.create_user("li", "li@example.com", "pw")


def _order_url(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


def test_me_shows_each_tab_with_its_count(client, shopper):
    order_for(shopper, "Paid")
    order_for(shopper, "Processing")
    order_for(shopper, "Shipped")
    client.force_login(shopper)

    html = client.get(reverse("customer:summary")).content.decode()

    assert '?tab=to_ship"' in html and '?tab=after_sales"' in html
    assert '<span class="order-tabs__count">2</span>' in html
    assert 'action="/shop/accounts/logout/"' in html
    assert f'href="{reverse("coupons:wallet")}"' in html


def test_every_account_page_links_my_coupons_marking_it_when_open(client, shopper):
    client.force_login(shopper)
    wallet = reverse("coupons:wallet")

    profile = client.get(reverse("customer:profile-view")).content.decode()
    coupons = client.get(wallet).content.decode()

    assert f'href="{wallet}" class="nav-link"' in profile
    assert f'href="{wallet}" class="nav-link active" aria-current="page"' in coupons
    assert coupons.count(f'href="{wallet}" class="nav-link') == 1


def test_a_tab_lists_only_its_orders(client, shopper):
    paid = order_for(shopper, "Paid")
    shipped = order_for(shopper, "Shipped")
    client.force_login(shopper)
    url = reverse("customer:order-list")

    to_ship = client.get(url, {"tab": "to_ship"})
    everything = client.get(url)

    assert [o.pk for o in to_ship.context["orders"]] == [paid.pk]
    assert {o.pk for o in everything.context["orders"]} == {paid.pk, shipped.pk}
    assert client.get(url, {"tab": "nonsense"}).status_code == 404


def test_the_order_page_shows_the_lines_timeline_and_tracking(client, shopper):
    order = dispatch(order_for(shopper))
    client.force_login(shopper)

    html = client.get(_order_url(order)).content.decode()

    assert order.lines.get().title in html
    assert "SF1234567890" in html
    assert "https://www.kuaidi100.com/chaxun?com=shunfeng&amp;nu=SF1234567890" in html
    assert "Confirm receipt" in html
    assert "Buy again" in html


def test_a_shopper_confirms_receipt_of_their_shipped_order(client, shopper):
    order = dispatch(order_for(shopper))
    client.force_login(shopper)

    response = client.post(_order_url(order), {"action": "confirm_receipt"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "Completed"
    html = client.get(_order_url(order)).content.decode()
    assert "Confirm receipt" not in html
    # Received: each line offers after-sales and a review.
    assert reverse("aftersales:create", args=[order.number]) in html
    assert "Write a review" in html


def test_receipt_of_an_order_not_shipped_is_refused_with_a_message(client, shopper):
    order = order_for(shopper, "Paid")
    client.force_login(shopper)

    response = client.post(
        _order_url(order), {"action": "confirm_receipt"}, follow=True
    )

    assert "there is no parcel to confirm" in response.content.decode()
    order.refresh_from_db()
    assert order.status == "Paid"


def test_buy_again_adds_what_is_available_and_says_what_is_not(client, shopper):
    available = create_product(title="Green tea", price=10, num_in_stock=10)
    gone = create_product(title="Moon cake", price=10, num_in_stock=10)
    order = order_for(shopper, "Completed", product=available, quantity=2)
    gone_line = order_for(shopper, "Completed", product=gone).lines.get()
    gone_line.order = order
    gone_line.save()
    gone.stockrecords.update(num_in_stock=0)
    client.force_login(shopper)

    response = client.post(_order_url(order), {"action": "reorder"}, follow=True)

    basket = Basket.objects.get(owner=shopper, status=Basket.OPEN)
    assert [(line.product, line.quantity) for line in basket.all_lines()] == [
        (available, 2)
    ]
    messages = [str(m) for m in response.context["messages"]]
    assert "Moon cake: no stock available" in messages


def test_another_shoppers_order_is_not_found_and_cannot_be_acted_on(
    client, shopper, other
):
    order = dispatch(order_for(other))
    client.force_login(shopper)
    url = _order_url(order)

    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "confirm_receipt"}).status_code == 404
    assert client.post(url, {"action": "reorder"}).status_code == 404
    order.refresh_from_db()
    assert order.status == "Shipped"
    assert not Basket.objects.filter(owner=shopper, lines__isnull=False).exists()


def test_signing_out_takes_a_post(client, shopper):
    client.force_login(shopper)
    url = reverse("customer:logout")

    assert client.get(url).status_code == 405
    assert client.get(reverse("customer:summary")).status_code == 200

    assert client.post(url).status_code == 302
    assert client.get(reverse("customer:summary")).status_code == 302


def test_awaiting_payment_lists_checkouts_at_the_pay_step(client, shopper):
    basket = create_basket()
    basket.owner = shopper
    basket.save()
    CheckoutPayment.objects.create(
        gateway="stripe",
        intent_id="pi_waiting",
        basket=basket,
        user=shopper,
        amount=Decimal("18.00"),
        currency="CNY",
        client_secret="secret",
        status="requires_payment_method",
    )
    client.force_login(shopper)

    me = client.get(reverse("customer:summary")).content.decode()
    tab = client.get(reverse("customer:order-list"), {"tab": "awaiting_payment"})

    assert '<span class="order-tabs__count">1</span>' in me
    assert [c.intent_id for c in tab.context["checkouts"]] == ["pi_waiting"]
    html = tab.content.decode()
    assert reverse("checkout:payment-details") in html and "18.00" in html


def test_the_wish_list_shows_cards_that_add_to_the_basket(client, shopper):
    product = create_product(title="Osmanthus oolong", price=30, num_in_stock=5)
    wishlist = WishList.objects.create(owner=shopper, name="Default")
    wishlist.add(product)
    client.force_login(shopper)

    html = client.get(wishlist.get_absolute_url()).content.decode()

    assert 'class="item-card"' in html and "Osmanthus oolong" in html
    add = reverse("basket:add", kwargs={"pk": product.pk})
    assert f'action="{add}"' in html
    assert "<table" not in html
    client.post(add, {"quantity": 1})
    basket = Basket.objects.get(owner=shopper, status=Basket.OPEN)
    assert [line.product for line in basket.all_lines()] == [product]


def test_another_shoppers_wish_list_is_not_found(client, shopper, other):
    wishlist = WishList.objects.create(owner=other, name="Theirs")
    client.force_login(shopper)

    assert client.get(wishlist.get_absolute_url()).status_code == 404


def test_a_guests_order_page_is_phone_first_without_account_actions(client):
    product = create_product(title="Green tea", price=10, num_in_stock=5)
    basket = create_basket(empty=True)
    basket.add_product(product)
    order = create_order(basket=basket, guest_email="guest@example.com", status="Paid")
    dispatch(order)
    kwargs = {"order_number": order.number, "hash": order.verification_hash()}

    client.post(reverse("customer:anon-order-form", kwargs=kwargs), {"email": "x@y.cn"})
    assert (
        "SF1234567890"
        not in client.get(
            reverse("customer:anon-order", kwargs=kwargs)
        ).content.decode()
    )
    client.post(
        reverse("customer:anon-order-form", kwargs=kwargs), {"email": order.email}
    )
    html = client.get(reverse("customer:anon-order", kwargs=kwargs)).content.decode()

    assert 'class="order-line"' in html and "Green tea" in html
    assert "SF1234567890" in html and "Confirm receipt" not in html
    assert "<table" not in html
