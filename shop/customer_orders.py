"""The shopper's orders as the "Me" pages show them: tabs with counts, confirm
receipt, buy again, who may review.

The order lifecycle (shop/fulfilment/) owns the statuses (Oscar's
`OSCAR_ORDER_STATUS_PIPELINE`, named in shop/fulfilment/statuses.py), which orders
each tab lists, the timeline, tracking and confirming receipt; this module adds
what only the shop front needs: the "awaiting payment" tab, whose entries are
checkouts (here an order exists only once paid), buy again and reviews.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.fulfilment import selectors as fulfilment
from shop.fulfilment import statuses
from shop.payments import CANCELED, SUCCEEDED

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Basket = get_model("basket", "Basket")
CheckoutPayment = get_model("checkout", "CheckoutPayment")

# The tabs every such mall has, in its order.
AWAITING_PAYMENT = "awaiting_payment"
TABS = (AWAITING_PAYMENT, *fulfilment.TABS)
TAB_LABELS = {
    AWAITING_PAYMENT: _("Awaiting payment"),
    "to_ship": _("To ship"),
    "shipped": _("Shipped"),
    "completed": _("Completed"),
    "after_sales": _("After-sales"),
}
# Orders a shopper may confirm as received, and whose products they may review.
ON_ITS_WAY = (statuses.SHIPPED, statuses.DELIVERED)
REVIEWABLE = (statuses.DELIVERED, statuses.COMPLETED)
# A checkout's payment that can no longer be paid (the gateway's states).
NOT_PAYABLE = (CANCELED, SUCCEEDED, "refunded")


def checkouts_awaiting_payment(*, user) -> QuerySet:
    """The shopper's checkouts at the pay step: a payment started, no order, the
    basket not yet ordered. Newest first."""
    return (
        CheckoutPayment.objects.filter(user=user, order=None)
        .exclude(status__in=NOT_PAYABLE)
        .filter(basket__status__in=(Basket.OPEN, Basket.FROZEN))
        .select_related("basket")
        .order_by("-created_at")
    )


def order_tab_counts(*, user) -> dict[str, int]:
    """The number on each tab: checkouts awaiting payment, then the lifecycle's
    counts (after-sales counts orders with an open request, as malls do: the tab
    lists every order that had one)."""
    counts = {AWAITING_PAYMENT: checkouts_awaiting_payment(user=user).count()}
    counts.update(fulfilment.customer_order_tab_counts(user=user))
    return {tab: counts.get(tab) or 0 for tab in TABS}


def orders_for_tab(*, user, tab: str | None) -> QuerySet:
    """The shopper's orders, newest first: all of them, or `tab`'s (none for
    "awaiting payment": those are checkouts)."""
    if tab is None:
        orders = Order.objects.filter(user=user)
    elif tab == AWAITING_PAYMENT:
        orders = Order.objects.none()
    else:
        orders = fulfilment.customer_orders_in_tab(user=user, tab=tab)
    return orders.order_by("-date_placed").prefetch_related(
        "lines__product__images", "lines__product__parent__images"
    )


def can_confirm_receipt(order) -> bool:
    return order.status in ON_ITS_WAY


def user_may_review(*, user, product) -> bool:
    """Only a shopper whose order with this product (or one of its variants) was
    delivered or completed."""
    if not user.is_authenticated:
        return False
    products = Q(product=product) | Q(product__parent=product)
    return Line.objects.filter(
        products, order__user=user, order__status__in=REVIEWABLE
    ).exists()


@dataclass(frozen=True)
class BuyAgain:
    """What "buy again" put in the basket, and why the other lines were left out."""

    added: int
    refused: list[str]
    over_limit: str = ""


def order_buy_again(*, order, basket, strategy) -> BuyAgain:
    """Put the order's still-available lines back in `basket` (with their options),
    naming each line left out and why, the way Oscar's reorder decides it."""
    lines, refused = [], []
    for line in order.lines.select_related("product"):
        available, reason = line.is_available_to_reorder(basket, strategy)
        if available:
            lines.append(line)
        else:
            refused.append(f"{line.title}: {reason}")
    allowed, reason = basket.is_quantity_allowed(sum(line.quantity for line in lines))
    if not allowed:
        return BuyAgain(added=0, refused=refused, over_limit=reason)
    for line in lines:
        options = [
            {"option": attribute.option, "value": attribute.value}
            for attribute in line.attributes.select_related("option")
            if attribute.option
        ]
        basket.add_product(line.product, line.quantity, options)
    return BuyAgain(added=len(lines), refused=refused)
