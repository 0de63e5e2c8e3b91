"""Coupons, shoppers and baskets for the coupon centre's tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import RangeFactory, UserFactory

from shop.coupons.models import Coupon
from shop.coupons.services import CouponDefinition, coupon_save
from shop.coupons.terms import AMOUNT, PERCENTAGE, Terms
from tests.factories import product_for_sale

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

_names = iter(range(1, 1_000_000))


def make_coupon(
    *,
    name=None,
    amount="20",
    percent=None,
    min_spend="100",
    scope=None,
    total=20,
    per_shopper=1,
    claim_start=None,
    claim_end=None,
    valid_days=7,
    valid_from=None,
    valid_until=None,
    combinable=True,
) -> Coupon:
    """A coupon defined the way the dashboard does it (claimable now for a week,
    valid 7 days after claiming, ¥20 off ¥100 on the whole shop unless told)."""
    now = timezone.now()
    fixed = valid_from is not None or valid_until is not None
    return coupon_save(
        definition=CouponDefinition(
            name=name or f"Test coupon {next(_names)}",
            description="",
            total_quantity=total,
            per_shopper_limit=per_shopper,
            claim_start=claim_start or now - timedelta(hours=1),
            claim_end=claim_end or now + timedelta(days=7),
            validity=Coupon.FIXED_DATES if fixed else Coupon.DAYS_AFTER_CLAIM,
            valid_from=valid_from,
            valid_until=valid_until,
            valid_days=None if fixed else valid_days,
            terms=Terms(
                discount_type=PERCENTAGE if percent else AMOUNT,
                discount_value=Decimal(str(percent or amount)),
                min_spend=Decimal(min_spend),
                scope=scope,
                combinable=combinable,
            ),
        )
    )


def shopper(**fields):
    return UserFactory(**fields)


def range_of(*products):
    return RangeFactory(products=list(products))


def basket_for(user, *lines):
    """The shopper's open basket holding `lines` ((product, quantity) or product),
    priced by the shop's strategy, as the basket middleware gives it to views."""
    basket, _created = Basket.open.get_or_create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for line in lines:
        product, quantity = line if isinstance(line, tuple) else (line, 1)
        basket.add_product(product, quantity)
    return basket


def item(price="60.00", **fields):
    return product_for_sale(price=price, **fields)


def order_using(claim, *products, user=None):
    """An order placed by Oscar's OrderCreator with the claimed coupon applied (its
    voucher's use recorded, as checkout records it)."""
    from oscar.test.factories import create_order

    Applicator = get_class("offer.applicator", "Applicator")
    user = user or claim.user
    basket = basket_for(user, *(products or [item("150.00")]))
    basket.vouchers.add(claim.voucher)
    Applicator().apply(basket, user)
    assert any(a["voucher"] == claim.voucher for a in basket.offer_applications)
    return create_order(basket=basket, user=user)
