"""A coupon used by an order that is cancelled or refunded in full goes back to the
wallet while it is still valid: Oscar's record of the use is reversed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shop.checkout.offers import voucher_refusal
from shop.coupons.selectors import AVAILABLE, EXPIRED, USED, wallet
from shop.coupons.services import coupon_claim, restore_for_order

from .factories import make_coupon, order_using, shopper

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
VoucherApplication = get_model("voucher", "VoucherApplication")

pytestmark = pytest.mark.django_db


def _states(user, **kwargs):
    found = wallet(user=user, **kwargs)
    return {state: len(found[state]) for state in (AVAILABLE, USED, EXPIRED)}


def _paid(order, amount):
    kind, _ = SourceType.objects.get_or_create(name="Card")
    return Source.objects.create(
        order=order, source_type=kind, amount_allocated=amount, amount_debited=amount
    )


@pytest.fixture
def used_claim():
    claim = coupon_claim(coupon_id=make_coupon(min_spend=0).pk, user=shopper())
    order = order_using(claim)
    claim.voucher.refresh_from_db()
    assert claim.voucher.num_orders == 1
    return claim, order


def test_cancelling_the_order_gives_the_coupon_back(used_claim):
    from shop.fulfilment.cancel import order_cancel

    claim, order = used_claim
    assert _states(claim.user)[USED] == 1

    order_cancel(order=order, reason="Changed my mind")  # the shop's own cancel

    assert _states(claim.user) == {AVAILABLE: 1, USED: 0, EXPIRED: 0}
    claim.voucher.refresh_from_db()
    assert claim.voucher.num_orders == 0 and claim.voucher.total_discount == 0
    assert voucher_refusal(claim.voucher, user=claim.user, email="") is None
    assert restore_for_order(order) == []  # once only


def test_a_full_refund_gives_it_back_and_a_partial_one_does_not(used_claim):
    claim, order = used_claim
    source = _paid(order, Decimal("130.00"))

    source.refund(Decimal("30.00"))
    assert restore_for_order(order) == []
    assert _states(claim.user)[USED] == 1

    source.refund(Decimal("100.00"))
    assert restore_for_order(order) == [claim]
    assert _states(claim.user)[AVAILABLE] == 1


def test_a_full_refund_through_the_refund_records_restores_it(used_claim):
    from shop.checkout.refunds import _record

    claim, order = used_claim
    source = _paid(order, Decimal("130.00"))

    _record(order, source, Decimal("130.00"), "re_test")

    assert not VoucherApplication.objects.filter(voucher=claim.voucher).exists()


def test_an_order_still_going_keeps_its_coupon(used_claim):
    claim, order = used_claim
    _paid(order, Decimal("130.00"))

    assert restore_for_order(order) == []
    assert VoucherApplication.objects.filter(voucher=claim.voucher).count() == 1


def test_an_expired_coupon_stays_used(used_claim):
    claim, order = used_claim
    later = claim.voucher.end_datetime + timedelta(seconds=1)

    order.status = "Cancelled"
    assert restore_for_order(order, now=later) == []
    assert _states(claim.user, now=later)[USED] == 1
    assert timezone.now() < claim.voucher.end_datetime  # only "later" is past it
