"""Buying in a session: the flash price only within it, only for pool units, only
up to the shopper's limit (an account; a guest by checkout e-mail and mobile)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.checkout.refunds import order_refund
from shop.flashsales.models import FlashHold, FlashItem, FlashPurchase, FlashSession
from shop.flashsales.returns import flash_order_return
from tests import checkout_steps as steps

from .factories import flash_sale, product

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")

pytestmark = pytest.mark.django_db


def flash_add(client, item, quantity=1):
    return client.post(
        reverse("flashsales:add", kwargs={"pk": item.pk}),
        {"quantity": quantity, "next": "/"},
    )


def said(client) -> str:
    return " ".join(
        str(m) for m in client.get(reverse("basket:summary")).context["messages"]
    )


def basket_of(client):
    return client.get(reverse("basket:summary")).context["basket"]


def test_flash_units_are_a_line_at_the_flash_price_capped_at_the_limit(client):
    kettle = product(price="100.00")
    _sale, _session, item = flash_sale(kettle, price="50.00", limit=2)

    flash_add(client, item, quantity=3)

    assert "You can have 2 of Flash kettle at the flash price; 2 added" in said(client)
    basket = basket_of(client)
    (line,) = basket.all_lines()
    assert line.quantity == 2
    assert line.unit_price_incl_tax == Decimal("50.00")
    assert basket.total_incl_tax == Decimal("100.00")
    # A regular-price unit of the same product is a line of its own.
    steps.add(client, kettle)
    basket = basket_of(client)
    assert sorted(line.unit_price_incl_tax for line in basket.all_lines()) == [
        Decimal("50.00"),
        Decimal("100.00"),
    ]

    flash_add(client, item)
    assert "You have reached the flash sale limit of 2 for Flash kettle" in said(client)


def test_before_the_session_starts_nothing_is_added(client):
    now = timezone.now()
    _sale, _session, item = flash_sale(
        product(), starts=now + timedelta(hours=3), ends=now + timedelta(hours=5)
    )

    flash_add(client, item)

    assert "starts at" in said(client)
    assert basket_of(client).num_items == 0


def test_bad_input_to_the_basket_button_is_refused(client):
    _sale, _session, item = flash_sale(product())

    assert flash_add(client, item, quantity="lots").status_code == 400
    assert flash_add(client, item, quantity=0).status_code == 400
    assert (
        client.post(reverse("flashsales:add", kwargs={"pk": 999999})).status_code == 404
    )
    assert (
        client.get(reverse("flashsales:add", kwargs={"pk": item.pk})).status_code == 405
    )
    assert basket_of(client).num_items == 0


def test_held_units_show_as_sold_out_to_the_next_shopper(client, localstripe):
    _sale, _session, item = flash_sale(product(), pool=1, limit=1)
    holder = Client()
    flash_add(holder, item)
    assert steps.to_payment_step(holder, email="holder@example.com").status_code == 200
    assert FlashHold.objects.get().quantity == 1

    flash_add(client, item)

    assert "sold out at the flash price" in said(client)
    assert basket_of(client).num_items == 0


def test_a_line_whose_session_ended_is_repriced_at_the_pay_step(client, localstripe):
    kettle = product(price="100.00")
    _sale, session, item = flash_sale(kettle, price="50.00")
    flash_add(client, item)
    FlashSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(minutes=1),
    )

    page = steps.to_payment_step(client)

    assert page.status_code == 200
    text = " ".join(str(m) for m in page.context["messages"])
    assert "The flash sale for Flash kettle ended at" in text
    assert "regular price of ¥100.00" in text
    payment = CheckoutPayment.objects.get()
    assert payment.amount == Decimal("100.00")  # delivery is free from 99.00
    (line,) = basket_of(client).all_lines()
    assert line.unit_price_incl_tax == Decimal("100.00")
    steps.pay(client, localstripe.card_token())
    order = Order.objects.get()
    assert order.lines.get().unit_price_incl_tax == Decimal("100.00")
    assert not FlashPurchase.objects.exists()


def _buy(client, item, *, email, phone="+8613800138000", quantity=1, pay=None):
    flash_add(client, item, quantity)
    address = {**steps.ADDRESS, "phone_number": phone}
    client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), address)
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    page = client.get(reverse("checkout:payment-details"))
    if page.status_code == 200 and pay is not None:
        return steps.pay(client, pay())
    return page


def test_guests_are_limited_by_checkout_email_and_by_mobile(localstripe):
    _sale, _session, item = flash_sale(product(), limit=2, pool=20)
    first = Client()
    _buy(first, item, email="fan@example.com", quantity=2, pay=localstripe.card_token)
    assert FlashPurchase.objects.get().quantity == 2

    same_email = Client()
    page = _buy(same_email, item, email="FAN@example.com", phone="+8613900000001")
    assert page.status_code == 302 and page.url == reverse("basket:summary")
    assert "limit for Flash kettle is 2 per shopper" in said(same_email)

    same_mobile = Client()
    page = _buy(same_mobile, item, email="other@example.com")
    assert page.status_code == 302
    assert "limit for Flash kettle is 2 per shopper" in said(same_mobile)

    stranger = Client()
    page = _buy(
        stranger,
        item,
        email="new@example.com",
        phone="+8613900000002",
        pay=localstripe.card_token,
    )
    assert page.status_code == 302 and page.url == reverse("checkout:thank-you")
    assert FlashItem.objects.get(pk=item.pk).sold == 3
    # Two orders, and nobody refused was given a payment intent.
    assert CheckoutPayment.objects.count() == Order.objects.count() == 2


def test_a_signed_in_shopper_is_limited_by_account(
    client, localstripe, django_user_model
):
    _sale, _session, item = flash_sale(product(), limit=1)
    fan = django_user_model.objects.create_user("fan", "fan@example.com", "pw")
    client.force_login(fan)
    flash_add(client, item)
    steps.to_payment_step(client, email=None)
    steps.pay(client, localstripe.card_token())
    assert FlashPurchase.objects.get().user == fan

    flash_add(client, item)

    assert "You have reached the flash sale limit of 1" in said(client)


def test_a_refunded_order_gives_its_units_back_while_the_session_runs(localstripe):
    _sale, session, item = flash_sale(product(), pool=5, limit=2)
    buyer = Client()
    _buy(buyer, item, email="a@example.com", quantity=2, pay=localstripe.card_token)
    order = Order.objects.get()
    assert FlashItem.objects.get(pk=item.pk).sold == 2

    order_refund(order=order, amount=order.total_incl_tax)

    assert FlashItem.objects.get(pk=item.pk).sold == 0
    purchase = FlashPurchase.objects.get()
    assert purchase.returned == 2
    # Twice is once.
    assert flash_order_return(order=order) == 0
    assert FlashItem.objects.get(pk=item.pk).sold == 0
    # The shopper may buy again: returned units don't count against the limit.
    again = Client()
    page = _buy(
        again, item, email="a@example.com", quantity=2, pay=localstripe.card_token
    )
    assert page.url == reverse("checkout:thank-you")


def test_after_the_session_a_cancelled_order_leaves_the_pool_alone(localstripe):
    _sale, session, item = flash_sale(product(), pool=5, limit=2)
    _buy(Client(), item, email="b@example.com", pay=localstripe.card_token)
    FlashSession.objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )

    returned = flash_order_return(order=Order.objects.get())

    assert returned == 0
    assert FlashItem.objects.get(pk=item.pk).sold == 1
    assert FlashPurchase.objects.get().returned == 1


def test_a_cancelled_order_gives_its_units_back_while_the_session_runs(localstripe):
    from shop.fulfilment.cancel import order_cancel

    _sale, _session, item = flash_sale(product(), pool=5, limit=2)
    _buy(Client(), item, email="c@example.com", quantity=2, pay=localstripe.card_token)
    order = Order.objects.get()
    assert FlashItem.objects.get(pk=item.pk).sold == 2

    order_cancel(order=order, reason="Changed my mind")

    assert FlashItem.objects.get(pk=item.pk).sold == 0
    assert FlashPurchase.objects.get().returned == 2
