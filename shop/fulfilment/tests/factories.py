"""Orders to act on, built with Oscar's factories (no payment: see the localstripe
tests in tests/ for orders paid through the gateway)."""

from decimal import Decimal

from oscar.core.loading import get_class, get_model
from oscar.test.factories import (
    ShippingAddressFactory,
    create_order,
    create_product,
)

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def paid_order(
    *, lines=((Decimal("10.00"), 1),), stock=10, user=None, email="li@example.com"
):
    """An order as placed (status Paid, stock allocated) with a line per (price,
    quantity); returns it."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for position, (price, quantity) in enumerate(lines):
        product = create_product(
            title=f"Teapot {position}",
            upc=None,
            price=Decimal(price),
            num_in_stock=stock,
        )
        basket.add_product(product, quantity=quantity)
    order = create_order(
        basket=basket,
        user=user,
        guest_email="" if user else email,
        shipping_address=ShippingAddressFactory(),
    )
    order.refresh_from_db()  # the number as stored (a string)
    return order
