"""Orders in a given state for the "Me" tests, on Oscar's own models."""

from datetime import datetime

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_order, create_product

from shop import customer_orders

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")

# The lifecycle's order pipeline (shop/fulfilment/statuses.py on its branch),
# which sets OSCAR_ORDER_STATUS_PIPELINE; shop/customer_orders.py names the same.
PIPELINE = {
    "Paid": ["Processing", "Shipped", "Cancelled"],
    "Processing": ["Shipped", "Cancelled"],
    "Shipped": ["Delivered", "Completed", "Refunded"],
    "Delivered": ["Completed", "Refunded"],
    "Completed": ["Refunded"],
    "Cancelled": [],
    "Refunded": [],
}


@pytest.fixture
def pipeline(monkeypatch):
    # Oscar reads the setting once, into the class.
    monkeypatch.setattr(Order, "pipeline", PIPELINE)
    return PIPELINE


def order_for(user, status="Paid", *, product=None, quantity=1):
    product = product or create_product(price=10, num_in_stock=10)
    basket = create_basket(empty=True)
    basket.owner = user
    basket.add_product(product, quantity)
    return create_order(basket=basket, user=user, status=status)


def dispatch(order, *, when: datetime, notes="SF Express SF1234567890"):
    """Shipped at `when`: Oscar's dispatch shipping event and status change."""
    event_type, _ = ShippingEventType.objects.get_or_create(name="Dispatched")
    assert event_type.code in customer_orders.DISPATCH_EVENT_CODES
    event = ShippingEvent.objects.create(
        order=order, event_type=event_type, notes=notes
    )
    ShippingEvent.objects.filter(pk=event.pk).update(date_created=when)
    old = order.status
    order.status = "Shipped"
    order.save()
    change = OrderStatusChange.objects.create(
        order=order, old_status=old, new_status="Shipped"
    )
    OrderStatusChange.objects.filter(pk=change.pk).update(date_created=when)
    return order
