"""Every kind of checkout, paid through localstripe over HTTP: guest or signed-in,
with no discount, a site offer, a voucher or both, for shipped or digital goods,
simple products or variants. Each ends as one order for what was charged."""

import itertools
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.apps.checkout.signals import post_checkout
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory

from shop.payments import get_gateway, to_minor_units
from tests import checkout_steps as steps
from tests.factories import product_for_sale, site_offer, voucher_for

Order = get_model("order", "Order")
ConditionalOffer = get_model("offer", "ConditionalOffer")
VoucherApplication = get_model("voucher", "VoucherApplication")

pytestmark = pytest.mark.django_db

CELLS = list(
    itertools.product(
        ["guest", "signed-in"],
        ["none", "offer", "voucher", "both"],
        ["shipped", "digital"],
        ["simple", "variant"],
    )
)


@pytest.mark.parametrize(
    "customer, discount, goods, product", CELLS, ids=["-".join(c) for c in CELLS]
)
def test_every_kind_of_checkout_becomes_one_order_for_what_was_charged(
    client, localstripe, django_capture_on_commit_callbacks, customer, discount,
    goods, product,
):  # fmt: skip
    # Only this cell's offers count, whatever else the database holds.
    ConditionalOffer.objects.update(status=ConditionalOffer.SUSPENDED)
    item = product_for_sale(shipped=goods == "shipped", variant=product == "variant")
    both = discount == "both"  # non-exclusive offers, so the two combine
    if discount in ("offer", "both"):
        site_offer(item, percent=10, exclusive=not both)
    voucher = (
        voucher_for(item, code="MATRIX5", amount=5, exclusive=not both)
        if discount in ("voucher", "both")
        else None
    )
    user = UserFactory() if customer == "signed-in" else None
    if user:
        client.force_login(user)
    steps.add(client, item)
    if voucher:
        steps.add_voucher(client, voucher.code)
    page = steps.to_payment_step(client, email=None if user else "matrix@example.com")
    assert page.status_code == 200, page.content.decode()[:300]

    signalled = []

    def heard(order, **kwargs):
        signalled.append(order)

    post_checkout.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            paid = steps.pay(client, localstripe.card_token())
    finally:
        post_checkout.disconnect(heard)

    assert paid.status_code == 302 and paid.url == reverse("checkout:thank-you")
    order = Order.objects.get()
    intent = get_gateway("stripe").intent_retrieve(order.checkout_payment.intent_id)
    assert intent.succeeded
    assert signalled == [order]  # Oscar's post_checkout, once
    assert to_minor_units(order.total_incl_tax, order.currency) == intent.amount
    expected = {"none": "100.00", "offer": "90.00", "voucher": "95.00", "both": "85.00"}
    assert order.basket_total_incl_tax == Decimal(expected[discount])
    if voucher:
        assert VoucherApplication.objects.filter(voucher=voucher).count() == 1
        voucher.refresh_from_db()
        assert voucher.num_orders == 1
    if goods == "digital":
        assert order.shipping_address is None and order.shipping_incl_tax == 0
    else:
        assert order.shipping_address.line1 == steps.ADDRESS["line1"]
        assert order.billing_address.line1 == steps.ADDRESS["line1"]
        if user:
            assert user.addresses.get().num_orders_as_shipping_address == 1
    # The checkout is forgotten: no e-mail, address or payment left in the session.
    assert not client.session.get("checkout_data")
    assert "checkout_payment_id" not in client.session
    confirmations = [m for m in mail.outbox if order.number in m.subject + m.body]
    assert len(confirmations) == 1
    status = (
        reverse("customer:order", kwargs={"order_number": order.number})
        if user
        else reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    )
    assert status in confirmations[0].body
