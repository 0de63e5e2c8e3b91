"""Vouchers judged for the customer at checkout: by account, or by the e-mail a
guest gives."""

import pytest
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory, create_order

from shop.checkout.offers import voucher_refusal
from tests.factories import product_for_sale, voucher_for

Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


@pytest.fixture
def once_each():
    return voucher_for(
        product_for_sale(), code="ONCEEACH", usage=Voucher.ONCE_PER_CUSTOMER
    )


def _used_by(voucher, *, user=None, guest_email=""):
    order = create_order(user=user, guest_email=guest_email)
    voucher.record_usage(order, user or _anonymous())


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_a_guest_who_used_a_once_per_customer_voucher_is_known_by_e_mail(once_each):
    _used_by(once_each, guest_email="Returning@Example.com")

    assert voucher_refusal(once_each, user=_anonymous(), email="returning@example.com")
    assert (
        voucher_refusal(once_each, user=_anonymous(), email="new@example.com") is None
    )


def test_a_shopper_who_used_it_as_a_guest_cannot_use_it_again_signed_in(once_each):
    user = UserFactory(email="shopper@example.com")
    _used_by(once_each, guest_email="shopper@example.com")

    assert voucher_refusal(once_each, user=user, email="")
    assert voucher_refusal(once_each, user=UserFactory(), email="") is None


def test_a_single_use_voucher_is_refused_once_used_and_says_so():
    voucher = voucher_for(product_for_sale(), code="SINGLE", usage=Voucher.SINGLE_USE)
    assert voucher_refusal(voucher, user=_anonymous(), email="a@example.com") is None

    _used_by(voucher, guest_email="a@example.com")

    refusal = voucher_refusal(voucher, user=_anonymous(), email="b@example.com")
    assert "SINGLE" in refusal and "already been used" in refusal
