"""What the shopper's "Me" pages read: tab counts and lists, the order's timeline
with its tracking link, and where each line's after-sales starts."""

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory

from shop.fulfilment import statuses
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.lifecycle import confirm_receipt
from shop.fulfilment.models import Carrier
from shop.fulfilment.selectors import (
    customer_order_tab_counts,
    customer_orders_in_tab,
    line_after_sales,
    order_timeline,
    order_tracking,
)

from .factories import paid_order

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_tabs_count_and_list_only_the_shoppers_own_orders():
    shopper = UserFactory()
    to_ship = paid_order(user=shopper)
    shipped = paid_order(user=shopper)
    done = paid_order(user=shopper)
    sf = Carrier.objects.get(code="sf")
    for order in (shipped, done):
        order_dispatch(order=order, carrier=sf, tracking_number=f"SF{order.pk:05d}")
    confirm_receipt(order=done, user=shopper)
    paid_order(user=UserFactory())  # someone else's

    counts = customer_order_tab_counts(user=shopper)

    assert counts == {"to_ship": 1, "shipped": 1, "completed": 1, "after_sales": 0}
    assert list(customer_orders_in_tab(user=shopper, tab="to_ship")) == [to_ship]
    assert list(customer_orders_in_tab(user=shopper, tab="shipped")) == [shipped]
    assert list(customer_orders_in_tab(user=shopper, tab="completed")) == [done]
    assert not customer_orders_in_tab(user=shopper, tab="after_sales").exists()
    with pytest.raises(KeyError):
        customer_orders_in_tab(user=shopper, tab="everything")


def test_the_timeline_shows_each_step_with_the_tracking_link():
    shopper = UserFactory()
    order = paid_order(user=shopper)
    sf = Carrier.objects.get(code="sf")
    order_dispatch(order=order, carrier=sf, tracking_number="SF2468")
    confirm_receipt(order=order, user=shopper)

    timeline = order_timeline(order)

    assert [entry.status for entry in timeline] == [
        statuses.PAID,
        statuses.SHIPPED,
        statuses.DELIVERED,
        statuses.COMPLETED,
    ]
    shipped = timeline[1]
    assert "SF2468" in shipped.detail
    assert shipped.tracking_url == sf.tracking_url("SF2468")
    assert order_tracking(order).tracking_number == "SF2468"


def test_a_line_offers_after_sales_only_once_received():
    shopper = UserFactory()
    order = paid_order(user=shopper)
    line = order.lines.get()
    assert line_after_sales(line) == {"url": "", "request": None}

    order_dispatch(
        order=order, carrier=Carrier.objects.get(code="jd"), tracking_number="JD1357"
    )
    confirm_receipt(order=order, user=shopper)
    line.refresh_from_db()

    offer = line_after_sales(line)
    assert offer["url"].endswith(f"/new/?line={line.pk}")
    assert offer["request"] is None
