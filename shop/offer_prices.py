"""The price a shopper pays for one unit once site offers apply: tiles show it as
"was / now". The basket still applies Oscar's full offer rules at checkout; this
answers the simpler question a product tile asks, in a fixed number of queries."""

from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")

CENT = Decimal("0.01")


def site_offers_at(when: datetime | None = None) -> list:
    """Open site offers whose window contains `when` (now by default)."""
    when = when or timezone.now()
    return list(
        ConditionalOffer.objects.filter(
            Q(start_datetime__lte=when) | Q(start_datetime=None),
            Q(end_datetime__gte=when) | Q(end_datetime=None),
            offer_type=ConditionalOffer.SITE,
            status=ConditionalOffer.OPEN,
        )
        .select_related("condition__range", "benefit__range")
        .order_by("-priority", "pk")
    )


def _members(range_, product_ids: set[int]) -> set[int]:
    if range_.includes_all_products:
        excluded = set(range_.excluded_products.values_list("pk", flat=True))
        return product_ids - excluded
    return set(
        range_.all_products().filter(pk__in=product_ids).values_list("pk", flat=True)
    )


def _one_unit_price(offer, price: Decimal) -> Decimal | None:
    """The unit price after `offer`, if buying one unit satisfies its condition."""
    condition, benefit = offer.condition, offer.benefit
    if condition.type == Condition.COUNT and condition.value > 1:
        return None
    if condition.type == Condition.VALUE and condition.value > price:
        return None
    if condition.type == Condition.COVERAGE and condition.value > 1:
        return None
    if condition.type not in (Condition.COUNT, Condition.VALUE, Condition.COVERAGE):
        return None  # a custom condition: only the basket can tell
    value = benefit.value or Decimal(0)
    if benefit.type == Benefit.PERCENTAGE:
        discounted = price * (1 - min(value, Decimal(100)) / 100)
    elif benefit.type in (Benefit.FIXED, Benefit.FIXED_UNIT):
        discounted = price - value
    elif benefit.type == Benefit.FIXED_PRICE:
        discounted = min(value, price)
    else:
        return None  # multibuy and shipping benefits don't change one unit's price
    if offer.max_discount is not None:
        discounted = max(discounted, price - offer.max_discount)
    return max(discounted, Decimal(0)).quantize(CENT, rounding=ROUND_DOWN)


def offer_unit_prices(
    *, prices: dict[int, Decimal], offers: Iterable
) -> dict[int, Decimal]:
    """Best offer price per product id, for products some offer makes cheaper.

    `prices` maps product id to its strategy price. One query per offer range,
    however many products are asked about.
    """
    ids = set(prices)
    members: dict[int, set[int]] = {}

    def in_range(range_) -> set[int]:
        if range_.pk not in members:
            members[range_.pk] = _members(range_, ids)
        return members[range_.pk]

    best: dict[int, Decimal] = {}
    for offer in offers:
        if offer.condition.range_id is None or offer.benefit.range_id is None:
            continue
        eligible = in_range(offer.condition.range) & in_range(offer.benefit.range)
        for pk in eligible:
            discounted = _one_unit_price(offer, prices[pk])
            if discounted is not None and discounted < prices[pk]:
                best[pk] = min(discounted, best.get(pk, discounted))
    return best
