"""The shopper's order tabs, receipt and who may review."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.test.factories import create_product

from shop import customer_orders
from tests.orders import dispatch, order_for, pipeline  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper():
    return get_user_model().objects.create_user("mei", "mei@example.com", "pw")


def test_each_tab_counts_the_shoppers_orders_in_its_statuses(shopper):
    for status in ["Pending", "Paid", "Paid", "Processing", "Shipped", "Delivered"]:
        order_for(shopper, status)
    order_for(shopper, "Completed")
    order_for(shopper, "Refunded")
    order_for(shopper, "Cancelled")  # in "all" only
    someone_else = get_user_model().objects.create_user("li", "li@example.com", "pw")
    order_for(someone_else, "Paid")

    counts = customer_orders.order_tab_counts(user=shopper)

    assert counts == {
        "awaiting_payment": 1,
        "to_ship": 3,
        "shipped": 2,
        "completed": 1,
        "after_sales": 1,
    }
    to_ship = customer_orders.orders_for_tab(user=shopper, tab="to_ship")
    assert sorted(o.status for o in to_ship) == ["Paid", "Paid", "Processing"]
    assert customer_orders.orders_for_tab(user=shopper, tab=None).count() == 9


@pytest.mark.usefixtures("pipeline")
def test_a_shipped_order_can_be_confirmed_received_once(shopper):
    order = dispatch(order_for(shopper), when=timezone.now())

    customer_orders.order_confirm_receipt(order=order)
    customer_orders.order_confirm_receipt(order=order)

    order.refresh_from_db()
    assert order.status == "Completed"
    assert order.status_changes.filter(new_status="Completed").count() == 1


@pytest.mark.usefixtures("pipeline")
def test_an_order_not_yet_shipped_cannot_be_confirmed_received(shopper):
    order = order_for(shopper, "Paid")

    with pytest.raises(customer_orders.ReceiptNotAllowed):
        customer_orders.order_confirm_receipt(order=order)
    order.refresh_from_db()
    assert order.status == "Paid"


@pytest.mark.usefixtures("pipeline")
def test_only_a_shopper_whose_order_arrived_may_review(shopper):
    product = create_product(price=10, num_in_stock=10)
    order = order_for(shopper, "Paid", product=product)
    assert not customer_orders.user_may_review(user=shopper, product=product)

    dispatch(order, when=timezone.now())
    assert not customer_orders.user_may_review(user=shopper, product=product)

    customer_orders.order_confirm_receipt(order=order)
    assert customer_orders.user_may_review(user=shopper, product=product)
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")
    assert not customer_orders.user_may_review(user=other, product=product)


@pytest.mark.usefixtures("pipeline")
def test_the_timeline_shows_dispatch_with_its_tracking_number(shopper):
    order = dispatch(order_for(shopper), when=timezone.now())

    entries = customer_orders.order_timeline(order)

    assert [e.title for e in entries][-1] == "Order placed"
    assert any(e.title == "Dispatched" and "SF1234567890" in e.detail for e in entries)
    assert customer_orders.order_tracking(order).notes == "SF Express SF1234567890"
