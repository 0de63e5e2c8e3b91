"""Orders paid through localstripe by a real checkout (the test client), for tests
that follow an order's money back through the payment gateway."""

from django.test import Client
from oscar.core.loading import get_model

from tests import checkout_steps as steps
from tests.factories import product_for_sale

Order = get_model("order", "Order")


def order_paid(localstripe, *, user=None, items=(("100.00", 1),), voucher=None):
    """Check out `items` ((price, quantity) of new products, 50 in stock each) as
    `user` (else a guest), with `voucher`'s code if given; returns the order."""
    client = Client()
    if user:
        client.force_login(user)
    for price, quantity in items:
        steps.add(client, product_for_sale(price=price, stock=50), quantity)
    if voucher:
        steps.add_voucher(client, voucher.code)
    page = steps.to_payment_step(client, email=None if user else "guest@example.com")
    assert page.status_code == 200, page.content.decode()[:300]
    before = set(Order.objects.values_list("pk", flat=True))
    steps.pay(client, localstripe.card_token())
    (order,) = Order.objects.exclude(pk__in=before)
    return order
