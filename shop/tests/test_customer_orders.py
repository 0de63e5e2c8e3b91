"""The shopper's order tabs (with the lifecycle's statuses and after-sales
requests), checkouts awaiting payment, and who may review."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_product

from shop import customer_orders
from shop.fulfilment import lifecycle
from tests.orders import after_sales, dispatch, order_for

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
AfterSalesRequest = get_model("fulfilment", "AfterSalesRequest")


@pytest.fixture
def shopper():
    return get_user_model().objects.create_user("mei", "mei@example.com", "pw")


def _awaiting_payment(user, *, intent="pi_1", basket_status="Open", status=None):
    basket = create_basket(empty=True)
    basket.owner, basket.status = user, basket_status
    basket.save()
    return CheckoutPayment.objects.create(
        gateway="stripe",
        intent_id=intent,
        basket=basket,
        user=user,
        amount=Decimal("10.00"),
        currency="CNY",
        client_secret="secret",
        status=status or "requires_payment_method",
    )


def test_each_tab_counts_the_shoppers_orders_in_its_state(shopper):
    for status in ["Paid", "Paid", "Processing", "Shipped", "Delivered"]:
        order_for(shopper, status)
    order_for(shopper, "Completed")
    returning = order_for(shopper, "Completed")
    after_sales(returning)
    settled = order_for(shopper, "Completed")
    after_sales(settled, status=AfterSalesRequest.REFUNDED)
    order_for(shopper, "Cancelled")  # under "all" only
    _awaiting_payment(shopper, intent="pi_open")
    _awaiting_payment(shopper, intent="pi_frozen", basket_status="Frozen")
    _awaiting_payment(shopper, intent="pi_gone", status="canceled")
    _awaiting_payment(shopper, intent="pi_ordered", basket_status="Submitted")
    someone_else = get_user_model().objects.create_user("li", "li@example.com", "pw")
    order_for(someone_else, "Paid")
    after_sales(order_for(someone_else, "Completed"))
    _awaiting_payment(someone_else, intent="pi_theirs")

    counts = customer_orders.order_tab_counts(user=shopper)

    assert counts == {
        "awaiting_payment": 2,
        "to_ship": 3,
        "shipped": 2,
        "completed": 3,
        # The number counts requests still open; the tab lists every order that
        # had one (as malls show it).
        "after_sales": 1,
    }
    tab = customer_orders.orders_for_tab
    assert sorted(o.status for o in tab(user=shopper, tab="to_ship")) == [
        "Paid",
        "Paid",
        "Processing",
    ]
    assert {o.pk for o in tab(user=shopper, tab="after_sales")} == {
        returning.pk,
        settled.pk,
    }
    assert tab(user=shopper, tab=None).count() == 9
    assert not tab(user=shopper, tab="awaiting_payment")
    awaiting = customer_orders.checkouts_awaiting_payment(user=shopper)
    assert {c.intent_id for c in awaiting} == {"pi_open", "pi_frozen"}


def test_only_a_shopper_whose_order_arrived_may_review(shopper):
    product = create_product(price=10, num_in_stock=10)
    order = order_for(shopper, "Paid", product=product)
    assert not customer_orders.user_may_review(user=shopper, product=product)

    dispatch(order)
    assert not customer_orders.user_may_review(user=shopper, product=product)

    lifecycle.confirm_receipt(order=order, user=shopper)
    assert customer_orders.user_may_review(user=shopper, product=product)
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")
    assert not customer_orders.user_may_review(user=other, product=product)
