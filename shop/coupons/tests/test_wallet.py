"""My coupons: available, used and expired; using one in the basket with one tap,
only within its minimum spend and scope, and only by the shopper who claimed it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.checkout.offers import voucher_refusal as checkout_refusal
from shop.coupons.selectors import AVAILABLE, EXPIRED, USED, wallet
from shop.coupons.services import coupon_claim

from .factories import basket_for, item, make_coupon, order_using, range_of, shopper

Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def _said(client) -> list[str]:
    return [str(m) for m in client.get(reverse("basket:summary")).context["messages"]]


def test_the_wallet_sorts_claims_into_available_used_and_expired(client):
    user = shopper()
    now = timezone.now()
    long_ago = now - timedelta(days=10)
    available = coupon_claim(coupon_id=make_coupon(name="Fresh").pk, user=user)
    used = coupon_claim(coupon_id=make_coupon(name="Spent").pk, user=user)
    order = order_using(used)
    old = make_coupon(
        name="Old", claim_start=long_ago - timedelta(days=1), valid_days=2
    )
    expired = coupon_claim(coupon_id=old.pk, user=user, now=long_ago)

    found = wallet(user=user)

    assert [e.claim for e in found[AVAILABLE]] == [available]
    assert [(e.claim, e.order) for e in found[USED]] == [(used, order)]
    assert [e.claim for e in found[EXPIRED]] == [expired]
    client.force_login(user)
    page = client.get(reverse("coupons:wallet"), {"state": "used"})
    assert page.status_code == 200
    assert [t["count"] for t in page.context["tabs"]] == [1, 1, 1]
    assert str(order.number) in page.content.decode()
    assert "Spent" in page.content.decode() and "Fresh" not in page.content.decode()


def test_n_days_validity_counts_from_the_claim():
    user = shopper()
    claimed_at = timezone.now() - timedelta(hours=1)
    coupon = make_coupon(valid_days=2, claim_start=claimed_at - timedelta(hours=1))
    claim = coupon_claim(coupon_id=coupon.pk, user=user, now=claimed_at)

    day = timedelta(days=1)
    assert wallet(user=user, now=claimed_at + day)[AVAILABLE][0].claim == claim
    assert wallet(user=user, now=claimed_at + 2 * day - timedelta(seconds=1))[AVAILABLE]
    assert wallet(user=user, now=claimed_at + 2 * day + timedelta(seconds=1))[EXPIRED]


def test_the_wallet_is_for_signed_in_shoppers(client):
    response = client.get(reverse("coupons:wallet"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("customer:login"))


def test_one_tap_applies_my_coupon_to_my_basket(client):
    user = shopper()
    claim = coupon_claim(
        coupon_id=make_coupon(amount="20", min_spend="100").pk, user=user
    )
    basket = basket_for(user, item("150.00"))
    client.force_login(user)

    response = client.post(reverse("coupons:apply", kwargs={"pk": claim.pk}))

    assert response.status_code == 302 and response.url == reverse("basket:summary")
    assert list(basket.vouchers.all()) == [claim.voucher]
    page = client.get(reverse("basket:summary"))
    assert page.context["basket"].total_incl_tax == Decimal("130.00")


def test_below_the_minimum_spend_the_coupon_is_refused_with_what_is_missing(client):
    user = shopper()
    claim = coupon_claim(
        coupon_id=make_coupon(amount="20", min_spend="100").pk, user=user
    )
    basket = basket_for(user, item("60.00"))
    client.force_login(user)

    client.post(reverse("coupons:apply", kwargs={"pk": claim.pk}))

    (said,) = _said(client)
    assert said == f"Spend ¥40.00 more on Everything to use “{claim.coupon.name}”."
    assert not basket.vouchers.exists()


def test_a_coupon_scoped_to_a_range_discounts_only_that_range(client):
    tea, wok = item("60.00"), item("80.00")
    claim = coupon_claim(
        coupon_id=make_coupon(percent=10, min_spend="0", scope=range_of(tea)).pk,
        user=(user := shopper()),
    )
    basket = basket_for(user, wok)
    client.force_login(user)

    client.post(reverse("coupons:apply", kwargs={"pk": claim.pk}))
    (refused,) = _said(client)
    assert "doesn't cover anything in your basket" in refused
    assert not basket.vouchers.exists()

    basket.add_product(tea)
    client.post(reverse("coupons:apply", kwargs={"pk": claim.pk}))
    page = client.get(reverse("basket:summary"))
    assert list(basket.vouchers.all()) == [claim.voucher]
    assert page.context["basket"].total_incl_tax == Decimal("134.00")  # 10% of 60


def test_another_shoppers_coupon_is_refused_and_nothing_changes(client):
    owner, other = shopper(), shopper()
    claim = coupon_claim(coupon_id=make_coupon(min_spend="0").pk, user=owner)
    basket = basket_for(other, item("150.00"))
    client.force_login(other)

    by_id = client.post(reverse("coupons:apply", kwargs={"pk": claim.pk}))
    assert by_id.status_code == 404
    client.post(reverse("basket:vouchers-add"), {"code": claim.voucher.code})
    (said,) = _said(client)
    assert "another shopper's wallet" in said
    assert not basket.vouchers.exists()
    refusal = checkout_refusal(claim.voucher, user=other, email=other.email)
    assert "another shopper's wallet" in refusal
    assert checkout_refusal(claim.voucher, user=owner, email="") is None
    assert (
        client.post(reverse("coupons:apply", kwargs={"pk": 999_999})).status_code == 404
    )


def test_a_guest_cannot_use_a_claimed_coupon(client):
    claim = coupon_claim(coupon_id=make_coupon(min_spend="0").pk, user=shopper())
    from tests import checkout_steps as steps

    steps.add(client, item("150.00"))
    steps.add_voucher(client, claim.voucher.code)

    assert any("another shopper's wallet" in said for said in _said(client))
    assert not Basket.objects.filter(vouchers=claim.voucher).exists()
    response = client.post(reverse("coupons:apply", kwargs={"pk": claim.pk}))
    assert response.status_code == 302
    assert response.url == reverse("customer:login") + "?next=%2Fshop%2Fbasket%2F"
