"""Orders in a given state for the "Me" tests, on Oscar's own models; dispatch
through the lifecycle's service (shop/fulfilment/dispatch.py), as the dashboard
does."""

from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_order, create_product

from shop.fulfilment.dispatch import order_dispatch

Order = get_model("order", "Order")
Carrier = get_model("fulfilment", "Carrier")
AfterSalesRequest = get_model("fulfilment", "AfterSalesRequest")


def order_for(user, status="Paid", *, product=None, quantity=1):
    product = product or create_product(price=10, num_in_stock=10)
    basket = create_basket(empty=True)
    basket.owner = user
    basket.add_product(product, quantity)
    return create_order(basket=basket, user=user, status=status)


def dispatch(order, *, number="SF1234567890"):
    """Shipped with SF Express (its tracking link from the carrier's template)."""
    order_dispatch(
        order=order, carrier=Carrier.objects.get(code="sf"), tracking_number=number
    )
    order.refresh_from_db()
    return order


def after_sales(order, *, status=AfterSalesRequest.REQUESTED):
    """A request on `order` in `status` (the model, as the tab counts read it)."""
    return AfterSalesRequest.objects.create(
        order=order, user=order.user, kind="refund", reason="damaged", status=status
    )
