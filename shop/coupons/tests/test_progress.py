"""Threshold progress from the real shipping methods, site offers and claimed
coupons, and the best claimed coupon for a basket: services, no request."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory

from shop.coupons.progress import (
    COUPON,
    OFFER,
    SHIPPING,
    basket_thresholds,
    best_claim_for_basket,
)
from shop.coupons.services import coupon_claim

from .factories import basket_for, item, make_coupon, range_of, shopper

OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_rules():
    """Only this test's delivery methods and offers: free standard delivery from
    ¥99, express at a flat ¥20."""
    OrderAndItemCharges.objects.all().delete()
    WeightBased.objects.all().delete()
    ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE).update(
        status=ConditionalOffer.SUSPENDED
    )
    OrderAndItemCharges.objects.create(
        code="std",
        name="Standard delivery",
        price_per_order=Decimal("8.00"),
        free_shipping_threshold=Decimal("99.00"),
    )
    OrderAndItemCharges.objects.create(
        code="exp", name="Express delivery", price_per_order=Decimal("20.00")
    )


def _figures(thresholds):
    return [(t.kind, t.name, t.remaining, t.reached) for t in thresholds]


def test_free_delivery_and_coupon_thresholds_count_what_is_still_missing(shop_rules):
    user = shopper()
    big = coupon_claim(
        coupon_id=make_coupon(name="¥30 off ¥150", amount=30, min_spend=150).pk,
        user=user,
    )
    coupon_claim(
        coupon_id=make_coupon(name="¥5 off ¥50", amount=5, min_spend=50).pk, user=user
    )
    basket = basket_for(user, (item("30.00"), 2))  # ¥60

    thresholds = basket_thresholds(basket=basket, user=user)

    assert _figures(thresholds) == [
        ("shipping", "Standard delivery", Decimal("39.00"), False),
        ("coupon", "¥30 off ¥150", Decimal("90.00"), False),
        ("coupon", "¥5 off ¥50", Decimal("0.00"), True),
    ]
    assert thresholds[0].percent == 60
    assert thresholds[0].message == "Spend ¥39.00 more for free Standard delivery."
    assert thresholds[1].message == (
        "Spend ¥90.00 more to use your coupon ¥30 off ¥150."
    )
    assert thresholds[1].claim_id == big.pk
    assert thresholds[2].message == "You can use your coupon ¥5 off ¥50 on this basket."

    basket.add_product(item("100.00"))
    again = basket_thresholds(basket=basket, user=user, kinds=(SHIPPING,))
    assert _figures(again) == [("shipping", "Standard delivery", Decimal(0), True)]
    assert again[0].message == "You get free Standard delivery."


def test_a_coupon_counts_only_what_is_in_its_scope(shop_rules):
    tea, wok = item("40.00"), item("200.00")
    user = shopper()
    coupon_claim(
        coupon_id=make_coupon(
            name="Tea ¥10 off ¥100", amount=10, min_spend=100, scope=range_of(tea)
        ).pk,
        user=user,
    )
    basket = basket_for(user, tea, wok)

    (coupon,) = basket_thresholds(basket=basket, user=user, kinds=(COUPON,))

    assert (coupon.spent, coupon.remaining) == (Decimal("40.00"), Decimal("60.00"))


def test_a_site_offer_with_a_spend_condition_shows_until_it_applies(shop_rules):
    tea = item("40.00")
    picks = range_of(tea)
    offer = ConditionalOfferFactory(
        name="¥15 off ¥100 of tea",
        condition=Condition.objects.create(
            range=picks, type=Condition.VALUE, value=Decimal(100)
        ),
        benefit=Benefit.objects.create(
            range=picks, type=Benefit.FIXED, value=Decimal(15)
        ),
    )
    user = shopper()
    basket = basket_for(user, tea)
    from oscar.core.loading import get_class

    get_class("offer.applicator", "Applicator")().apply(basket, user)

    (short,) = basket_thresholds(basket=basket, user=user, kinds=(OFFER,))
    assert short.message == "Spend ¥60.00 more for ¥15 off ¥100 of tea."

    basket.add_product(tea, 2)
    basket.reset_offer_applications()
    get_class("offer.applicator", "Applicator")().apply(basket, user)
    assert offer.pk in {a["offer"].pk for a in basket.offer_applications}
    assert basket_thresholds(basket=basket, user=user, kinds=(OFFER,)) == []


def test_units_an_exclusive_offer_took_do_not_count_towards_a_coupon(shop_rules):
    from oscar.core.loading import get_class

    tea, wok = item("40.00"), item("100.00")
    teas = range_of(tea)
    ConditionalOfferFactory(
        name="Half-price tea, on its own",
        exclusive=True,
        condition=Condition.objects.create(range=teas, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(
            range=teas, type=Benefit.PERCENTAGE, value=Decimal(50)
        ),
    )
    user = shopper()
    coupon_claim(
        coupon_id=make_coupon(name="¥10 off ¥200", amount=10, min_spend=200).pk,
        user=user,
    )
    basket = basket_for(user, tea, wok)
    get_class("offer.applicator", "Applicator")().apply(basket, user)

    (coupon,) = basket_thresholds(basket=basket, user=user, kinds=(COUPON,))

    assert (coupon.spent, coupon.remaining) == (Decimal("100.00"), Decimal("100.00"))


def test_nothing_to_deliver_means_no_delivery_threshold(shop_rules):
    user = shopper()
    basket = basket_for(user, item("10.00", shipped=False))
    assert basket_thresholds(basket=basket, user=user, kinds=(SHIPPING,)) == []


def test_the_best_coupon_is_the_one_that_saves_most_now(shop_rules):
    user = shopper()
    amount = coupon_claim(
        coupon_id=make_coupon(name="¥20 off ¥100", amount=20, min_spend=100).pk,
        user=user,
    )
    percent = coupon_claim(
        coupon_id=make_coupon(name="10% off", percent=10, min_spend=0).pk, user=user
    )
    far = coupon_claim(
        coupon_id=make_coupon(name="¥90 off ¥1000", amount=90, min_spend=1000).pk,
        user=user,
    )
    basket = basket_for(user, item("150.00"))

    best = best_claim_for_basket(basket=basket, user=user)
    assert (best.claim, best.saving) == (amount, Decimal("20.00"))
    assert best.message == "Your coupon ¥20 off ¥100 takes ¥20.00 off this basket."
    assert basket.offer_applications.offers == {}  # the basket shown is untouched

    basket.add_product(item("100.00"))  # ¥250: 10% is ¥25
    best = best_claim_for_basket(basket=basket, user=user)
    assert (best.claim, best.saving) == (percent, Decimal("25.00"))
    assert far not in (best.claim,)

    basket.vouchers.add(percent.voucher)
    assert best_claim_for_basket(basket=basket, user=user) is None


def test_used_and_expired_coupons_are_never_suggested(shop_rules):
    user = shopper()
    past = timezone.now() - timedelta(days=10)
    coupon_claim(
        coupon_id=make_coupon(
            min_spend=0, valid_days=1, claim_start=past - timedelta(days=1)
        ).pk,
        user=user,
        now=past,
    )
    basket = basket_for(user, item("150.00"))
    assert best_claim_for_basket(basket=basket, user=user) is None
    assert basket_thresholds(basket=basket, user=user, kinds=(COUPON,)) == []


def test_the_basket_suggests_the_best_coupon_and_applies_it_in_one_tap(
    client, shop_rules
):
    user = shopper()
    claim = coupon_claim(
        coupon_id=make_coupon(name="¥20 off ¥100", amount=20, min_spend=100).pk,
        user=user,
    )
    basket = basket_for(user, item("70.00"))
    client.force_login(user)

    page = client.get(reverse("basket:summary")).content.decode()
    assert "Spend ¥29.00 more for free Standard delivery." in page
    assert "Spend ¥30.00 more to use your coupon ¥20 off ¥100." in page
    assert "Your best coupon" not in page

    basket.add_product(item("50.00"))
    page = client.get(reverse("basket:summary")).content.decode()
    apply_url = reverse("coupons:apply", kwargs={"pk": claim.pk})
    assert "Your coupon ¥20 off ¥100 takes ¥20.00 off this basket." in page
    assert f'action="{apply_url}"' in page

    client.post(apply_url)
    page = client.get(reverse("basket:summary"))
    assert list(basket.vouchers.all()) == [claim.voucher]
    assert page.context["basket"].total_incl_tax == Decimal("100.00")
    assert "Your best coupon" not in page.content.decode()


def test_the_progress_fragment_is_per_shopper_and_never_cached(client, shop_rules):
    user = shopper()
    basket_for(user, item("90.00"))
    client.force_login(user)

    response = client.get(reverse("coupons:progress"))

    assert response.status_code == 200
    assert "Spend ¥9.00 more for free Standard delivery." in response.content.decode()
    assert "no-store" in response["Cache-Control"]
