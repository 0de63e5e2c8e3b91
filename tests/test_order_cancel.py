"""Cancelling before dispatch gives everything back: the money through the payment
gateway (localstripe), the units to stock, the voucher to the shopper. After
dispatch cancelling is refused, saying why, and nothing changes."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory

from shop.fulfilment import statuses
from shop.fulfilment.cancel import order_cancel
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.lifecycle import TransitionRefused
from shop.fulfilment.models import Carrier
from shop.payments import get_gateway
from tests.factories import product_for_sale, voucher_for
from tests.paid_orders import order_paid

VoucherApplication = get_model("voucher", "VoucherApplication")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _refunded_in_gateway(order) -> int:
    payment = order.checkout_payment
    return (
        get_gateway(payment.gateway).intent_retrieve(payment.intent_id).amount_refunded
    )


def _stock(order):
    line = order.lines.get()
    record = StockRecord.objects.get(pk=line.stockrecord_id)
    return record.num_in_stock, record.num_allocated


def test_cancel_before_dispatch_refunds_restocks_and_gives_the_voucher_back(
    client, demo_user, localstripe, django_capture_on_commit_callbacks, mailoutbox
):
    shopper = UserFactory()
    product = product_for_sale(price="60.00", stock=10)
    voucher = voucher_for(product, code="ONCE5", amount=5, usage="Single use")
    order = _order_of(localstripe, shopper, product, voucher)
    assert order.total_incl_tax == order.checkout_payment.amount
    assert VoucherApplication.objects.filter(voucher=voucher, order=order).exists()
    assert order.discounts.get(voucher_id=voucher.pk).amount == Decimal("5.00")
    assert _stock(order) == (10, 2)
    paid = order.total_incl_tax
    client.force_login(demo_user("merchandiser"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:order-detail", kwargs={"number": order.number}),
            {"order_action": "cancel_order", "reason": "Shopper asked"},
        )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert {line.status for line in order.lines.all()} == {statuses.CANCELLED}
    assert _refunded_in_gateway(order) == int(paid * 100)
    assert order.sources.get().amount_refunded == paid
    assert _stock(order) == (10, 0)
    voucher.refresh_from_db()
    assert not VoucherApplication.objects.filter(voucher=voucher).exists()
    assert voucher.num_orders == 0
    assert voucher.is_available_to_user(shopper)[0]
    (mail,) = [m for m in mailoutbox if order.number in m.subject]
    assert "cancelled" in mail.subject
    assert mail.to == [shopper.email]


def _order_of(localstripe, shopper, product, voucher):
    from django.test import Client

    from tests import checkout_steps as steps

    shop = Client()
    shop.force_login(shopper)
    steps.add(shop, product, 2)
    steps.add_voucher(shop, voucher.code)
    steps.to_payment_step(shop, email=None)
    steps.pay(shop, localstripe.card_token())
    return shopper.orders.get()


def test_after_dispatch_cancel_is_refused_with_a_clear_message(
    client, demo_user, localstripe, mailoutbox
):
    order = order_paid(localstripe, items=[("80.00", 1)])
    order_dispatch(
        order=order, carrier=Carrier.objects.get(code="sf"), tracking_number="SF123456"
    )
    stock_before = _stock(order)
    mailoutbox.clear()

    with pytest.raises(TransitionRefused) as refused:
        order_cancel(order=order)
    assert "has been dispatched" in str(refused.value)

    client.force_login(demo_user("merchandiser"))
    response = client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}),
        {"order_action": "cancel_order", "reason": "too late"},
    )
    assert response.status_code == 400
    assert (
        "has been dispatched, so it can&#x27;t be cancelled"
        in response.content.decode()
    )
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    assert _refunded_in_gateway(order) == 0
    assert order.sources.get().amount_refunded == Decimal("0.00")
    assert _stock(order) == stock_before
    assert mailoutbox == []
