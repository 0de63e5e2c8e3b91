"""What can refuse a checkout refuses it before the card is charged, and says why."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests.factories import product_for_sale, site_offer, voucher_for

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


def _messages(client) -> str:
    page = client.get(reverse("basket:summary"))
    return " ".join(str(m) for m in page.context["messages"])


def _used_elsewhere(voucher):
    """Another shopper's order uses the voucher."""
    voucher.refresh_from_db()
    voucher.record_usage(create_order(guest_email="quick@example.com"), AnonymousUser())


def _not_charged(payment):
    intent = get_gateway("stripe").intent_retrieve(payment.intent_id)
    return intent.status == "canceled" and intent.charge_id is None


def test_a_voucher_used_up_while_paying_is_refused_uncharged_and_can_be_dropped(
    client, localstripe
):
    ConditionalOffer.objects.update(status=ConditionalOffer.SUSPENDED)
    item = product_for_sale(price="60.00")
    voucher = voucher_for(item, code="LASTONE", amount=10, usage=Voucher.SINGLE_USE)
    steps.add(client, item)
    steps.add_voucher(client, voucher.code)
    steps.to_payment_step(client)
    payment = CheckoutPayment.objects.get()
    assert payment.amount == Decimal("58.00")  # 50.00 + 8.00 delivery
    _used_elsewhere(voucher)

    response = steps.pay(client, localstripe.card_token())

    assert response.status_code == 302 and response.url == reverse("basket:summary")
    said = _messages(client)
    assert "LASTONE has already been used" in said and "not been charged" in said
    assert _not_charged(payment) and not Order.objects.filter(basket=payment.basket)

    client.post(
        reverse("basket:vouchers-remove", kwargs={"pk": voucher.pk}), HTTP_REFERER="/"
    )
    steps.to_payment_step(client)
    assert steps.pay(client, localstripe.card_token()).status_code == 302
    assert Order.objects.get(basket=payment.basket).total_incl_tax == Decimal("68.00")


def test_an_offer_whose_limit_ran_out_while_paying_refuses_with_the_new_total(
    client, localstripe
):
    ConditionalOffer.objects.update(status=ConditionalOffer.SUSPENDED)
    item = product_for_sale(price="200.00")
    offer = site_offer(item, percent=10, max_global_applications=1)
    steps.add(client, item)
    steps.to_payment_step(client)
    payment = CheckoutPayment.objects.get()
    assert payment.amount == Decimal("180.00")  # free delivery over 99
    ConditionalOffer.objects.filter(pk=offer.pk).update(num_applications=1)

    response = steps.pay(client, localstripe.card_token())

    assert response.url == reverse("basket:summary")
    said = _messages(client)
    assert "total has changed to ¥200.00" in said and "not been charged" in said
    assert _not_charged(payment) and not Order.objects.exists()


def test_a_voucher_used_up_before_the_pay_step_is_refused_there(client, localstripe):
    item = product_for_sale()
    voucher = voucher_for(item, code="GONE", usage=Voucher.SINGLE_USE)
    steps.add(client, item)
    steps.add_voucher(client, voucher.code)
    _used_elsewhere(voucher)

    response = steps.to_payment_step(client)

    assert response.url == reverse("basket:summary")
    assert "GONE has already been used" in _messages(client)
    assert not CheckoutPayment.objects.exists()  # no intent was even created
