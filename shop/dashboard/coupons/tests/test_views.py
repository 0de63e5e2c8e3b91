"""Merchandisers define coupons in Oscar's dashboard; each is an Oscar voucher
offer plus a voucher set for its claims."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.coupons.models import Coupon
from shop.coupons.services import coupon_claim
from shop.coupons.tests.factories import make_coupon, range_of, shopper
from tests.factories import product_for_sale

ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")

pytestmark = pytest.mark.django_db


def _form(**changes):
    now = timezone.localtime()
    data = {
        "name": "¥20 off ¥199",
        "description": "Spring coupon",
        "discount_type": "amount",
        "discount_value": "20",
        "min_spend": "199",
        "scope": "",
        "combinable": "on",
        "total_quantity": "500",
        "per_shopper_limit": "1",
        "claim_start": now.strftime("%Y-%m-%d %H:%M"),
        "claim_end": (now + timezone.timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
        "validity": "days",
        "valid_days": "3",
        "valid_from": "",
        "valid_until": "",
    }
    return {**data, **changes}


@pytest.fixture
def merchandiser(client, demo_user):
    client.force_login(demo_user("merchandiser"))
    return client


def test_a_merchandiser_creates_a_coupon_on_an_oscar_voucher_offer(merchandiser):
    assert merchandiser.get(reverse("dashboard:coupon-list")).status_code == 200
    assert (
        "Coupon centre" in merchandiser.get(reverse("dashboard:index")).content.decode()
    )

    response = merchandiser.post(reverse("dashboard:coupon-create"), _form())

    coupon = Coupon.objects.get(name="¥20 off ¥199")
    assert response.status_code == 302
    assert response.url == reverse("dashboard:coupon-detail", kwargs={"pk": coupon.pk})
    offer = coupon.offer
    assert offer.offer_type == ConditionalOffer.VOUCHER and not offer.exclusive
    assert (offer.condition.type, offer.condition.value) == (
        Condition.VALUE,
        Decimal("199.00"),
    )
    assert offer.condition.range.includes_all_products
    assert (offer.benefit.type, offer.benefit.value) == (Benefit.FIXED, Decimal(20))
    assert (coupon.total_quantity, coupon.per_shopper_limit, coupon.valid_days) == (
        500,
        1,
        3,
    )
    assert coupon.voucher_set.end_datetime == coupon.last_valid_moment()
    page = merchandiser.get(response.url)
    assert page.status_code == 200 and "0 / 500" in page.content.decode()


def test_editing_changes_the_offer_and_claimed_coupons_keep_their_dates(merchandiser):
    tea = product_for_sale()
    coupon = make_coupon(name="Tea time", valid_days=7)
    claim = coupon_claim(coupon_id=coupon.pk, user=shopper())
    picks = range_of(tea)

    response = merchandiser.post(
        reverse("dashboard:coupon-update", kwargs={"pk": coupon.pk}),
        _form(
            name="Tea time",
            discount_type="percentage",
            discount_value="15",
            min_spend="0",
            scope=str(picks.pk),
            valid_days="1",
        ),
    )

    assert response.status_code == 302
    coupon.refresh_from_db()
    offer = ConditionalOffer.objects.get(pk=coupon.offer_id)
    assert (offer.benefit.type, offer.benefit.value) == (Benefit.PERCENTAGE, 15)
    assert (offer.condition.type, offer.condition.value) == (Condition.COUNT, 1)
    assert offer.condition.range == offer.benefit.range == picks
    assert coupon.valid_days == 1
    before = claim.voucher.end_datetime
    claim.voucher.refresh_from_db()
    assert claim.voucher.end_datetime == before


def test_bad_definitions_are_refused_and_change_nothing(merchandiser):
    coupon = make_coupon(name="Taken", total=5)
    for _ in range(3):
        coupon_claim(coupon_id=coupon.pk, user=shopper())
    count = Coupon.objects.count()

    cases = [
        (reverse("dashboard:coupon-create"), _form(name="Taken"), "name"),
        (
            reverse("dashboard:coupon-create"),
            _form(discount_type="percentage", discount_value="150"),
            "discount_value",
        ),
        (
            reverse("dashboard:coupon-create"),
            _form(claim_end=_form()["claim_start"]),
            "claim_end",
        ),
        (
            reverse("dashboard:coupon-create"),
            _form(validity="fixed", valid_from="", valid_until=""),
            "valid_from",
        ),
        (
            reverse("dashboard:coupon-update", kwargs={"pk": coupon.pk}),
            _form(name="Taken", total_quantity="2"),
            "total_quantity",
        ),
    ]
    for url, data, field in cases:
        response = merchandiser.post(url, data)
        assert response.status_code == 200, field
        assert field in response.context["form"].errors, field
    assert Coupon.objects.count() == count
    assert Coupon.objects.get(pk=coupon.pk).total_quantity == 5
    missing = reverse("dashboard:coupon-update", kwargs={"pk": 999_999})
    assert merchandiser.get(missing).status_code == 404


def test_a_coupons_voucher_set_is_edited_through_the_coupon(merchandiser):
    coupon = make_coupon(name="Guarded")
    for name in ("dashboard:voucher-set-update", "dashboard:voucher-set-delete"):
        response = merchandiser.get(reverse(name, kwargs={"pk": coupon.voucher_set_id}))
        assert response.status_code == 302
        assert response.url == reverse(
            "dashboard:coupon-detail", kwargs={"pk": coupon.pk}
        )
    detail = reverse(
        "dashboard:voucher-set-detail", kwargs={"pk": coupon.voucher_set_id}
    )
    assert merchandiser.get(detail).status_code == 200


def test_shoppers_and_editors_are_kept_out(client, demo_user):
    for username in ("shopper", "editor"):
        client.force_login(demo_user(username))
        response = client.get(reverse("dashboard:coupon-create"))
        assert response.status_code in (302, 403), username
