"""A demo coupon for the coupon centre: ¥20 off orders over ¥199, 200 to claim, one
per shopper, valid 7 days after claiming. Created once; a merchandiser's later edits
stand."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shop.coupons.models import Coupon
from shop.coupons.services import CouponDefinition, coupon_save
from shop.coupons.terms import AMOUNT, Terms

NAME = "¥20 off orders over ¥199"


def seed_coupons() -> Coupon:
    existing = Coupon.objects.filter(name=NAME).first()
    if existing is not None:
        return existing
    now = timezone.now()
    return coupon_save(
        definition=CouponDefinition(
            name=NAME,
            description="Claim it now, use it within a week.",
            total_quantity=200,
            per_shopper_limit=1,
            claim_start=now - timedelta(days=1),
            claim_end=now + timedelta(days=30),
            validity=Coupon.DAYS_AFTER_CLAIM,
            valid_from=None,
            valid_until=None,
            valid_days=7,
            terms=Terms(
                discount_type=AMOUNT,
                discount_value=Decimal(20),
                min_spend=Decimal(199),
                scope=None,
            ),
        )
    )
