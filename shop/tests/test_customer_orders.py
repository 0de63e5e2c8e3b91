"""The shopper's order tabs, receipt and who may review."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_product

from shop import customer_orders
from tests.orders import dispatch, order_for, pipeline  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")


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


def test_each_tab_counts_the_shoppers_orders_in_its_statuses(shopper):
    for status in ["Paid", "Paid", "Processing", "Shipped", "Delivered"]:
        order_for(shopper, status)
    order_for(shopper, "Completed")
    returning = order_for(shopper, "Completed")
    returning.lines.update(status="Return requested")
    order_for(shopper, "Refunded")
    order_for(shopper, "Cancelled")  # in "all" only
    _awaiting_payment(shopper, intent="pi_open")
    _awaiting_payment(shopper, intent="pi_frozen", basket_status="Frozen")
    _awaiting_payment(shopper, intent="pi_gone", status="canceled")
    _awaiting_payment(shopper, intent="pi_ordered", basket_status="Submitted")
    someone_else = get_user_model().objects.create_user("li", "li@example.com", "pw")
    order_for(someone_else, "Paid")
    order_for(someone_else, "Refunded")
    _awaiting_payment(someone_else, intent="pi_theirs")

    counts = customer_orders.order_tab_counts(user=shopper)

    assert counts == {
        "awaiting_payment": 2,
        "to_ship": 3,
        "shipped": 2,
        "completed": 2,
        "after_sales": 2,
    }
    to_ship = customer_orders.orders_for_tab(user=shopper, tab="to_ship")
    assert sorted(o.status for o in to_ship) == ["Paid", "Paid", "Processing"]
    after_sales = customer_orders.orders_for_tab(user=shopper, tab="after_sales")
    assert {o.pk for o in after_sales} == {
        returning.pk,
        Order.objects.get(user=shopper, status="Refunded").pk,
    }
    assert customer_orders.orders_for_tab(user=shopper, tab=None).count() == 9
    assert not customer_orders.orders_for_tab(user=shopper, tab="awaiting_payment")
    awaiting = customer_orders.checkouts_awaiting_payment(user=shopper)
    assert {c.intent_id for c in awaiting} == {"pi_open", "pi_frozen"}


@pytest.mark.usefixtures("pipeline")
def test_a_shipped_order_can_be_confirmed_received_once(shopper):
    order = dispatch(order_for(shopper), when=timezone.now())

    customer_orders.order_confirm_receipt(order=order, user=shopper)
    customer_orders.order_confirm_receipt(order=order, user=shopper)

    order.refresh_from_db()
    assert order.status == "Completed"
    assert order.status_changes.filter(new_status="Completed").count() == 1


@pytest.mark.usefixtures("pipeline")
def test_an_order_not_yet_shipped_cannot_be_confirmed_received(shopper):
    order = order_for(shopper, "Paid")

    with pytest.raises(customer_orders.ReceiptNotAllowed):
        customer_orders.order_confirm_receipt(order=order, user=shopper)
    order.refresh_from_db()
    assert order.status == "Paid"


@pytest.mark.usefixtures("pipeline")
def test_only_a_shopper_whose_order_arrived_may_review(shopper):
    product = create_product(price=10, num_in_stock=10)
    order = order_for(shopper, "Paid", product=product)
    assert not customer_orders.user_may_review(user=shopper, product=product)

    dispatch(order, when=timezone.now())
    assert not customer_orders.user_may_review(user=shopper, product=product)

    customer_orders.order_confirm_receipt(order=order, user=shopper)
    assert customer_orders.user_may_review(user=shopper, product=product)
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")
    assert not customer_orders.user_may_review(user=other, product=product)


@pytest.mark.usefixtures("pipeline")
def test_the_timeline_shows_dispatch_with_its_tracking_number(shopper):
    order = dispatch(order_for(shopper), when=timezone.now())

    entries = customer_orders.order_timeline(order)

    assert [e.label for e in entries][-1] == "Order placed"
    assert any(e.label == "Dispatched" and "SF1234567890" in e.detail for e in entries)
    tracking = customer_orders.order_tracking(order)
    assert (tracking.detail, tracking.url) == ("SF Express SF1234567890", "")


@pytest.mark.usefixtures("pipeline")
def test_a_link_in_the_dispatch_note_is_the_tracking_link(shopper):
    note = "SF Express SF123 https://www.sf-express.com/track?no=SF123"
    order = dispatch(order_for(shopper), when=timezone.now(), notes=note)

    tracking = customer_orders.order_tracking(order)

    assert tracking.url == "https://www.sf-express.com/track?no=SF123"
    assert tracking.detail == "SF Express SF123"


@pytest.mark.usefixtures("pipeline")
def test_only_the_shopper_who_placed_the_order_confirms_it(shopper):
    order = dispatch(order_for(shopper), when=timezone.now())
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")

    with pytest.raises(customer_orders.ReceiptNotAllowed):
        customer_orders.order_confirm_receipt(order=order, user=other)
    order.refresh_from_db()
    assert order.status == "Shipped"
