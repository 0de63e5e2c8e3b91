"""A voucher that doesn't apply tells the shopper why, in plain words."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import (
    BenefitFactory,
    ConditionalOfferFactory,
    RangeFactory,
    create_order,
)

from shop.basket.voucher_reasons import voucher_refusal

Product = get_model("catalogue", "Product")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db

WOK = "MAL-2001"  # not on the spring sale


def _voucher(code, *, usage=Voucher.MULTI_USE, condition=None, **offer_fields):
    everything = RangeFactory(name=f"All for {code}", includes_all_products=True)
    offer = ConditionalOfferFactory(
        name=f"{code} offer",
        offer_type=ConditionalOffer.VOUCHER,
        condition=condition
        or Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=BenefitFactory(range=everything, type=Benefit.PERCENTAGE, value=10),
        **offer_fields,
    )
    now = timezone.now()
    voucher = Voucher.objects.create(
        name=code,
        code=code,
        usage=usage,
        start_datetime=now - timedelta(days=1),
        end_datetime=now + timedelta(days=30),
    )
    voucher.offers.add(offer)
    return voucher


def _apply(client, code, *upcs):
    for upc in upcs:
        product = Product.objects.get(upc=upc)
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    response = client.post(reverse("basket:vouchers-add"), {"code": code}, follow=True)
    basket = response.context["basket"]
    said = [str(message) for message in response.context["messages"]]
    return [v.code for v in basket.vouchers.all()], said


@pytest.fixture
def shopper(client, demo_user):
    client.force_login(demo_user("shopper"))
    return client


def test_a_voucher_kept_off_by_an_exclusive_running_offer_names_it(shopper):
    wok = Product.objects.get(upc=WOK)
    woks = RangeFactory(name="Woks only")
    woks.add_product(wok)
    ConditionalOfferFactory(
        name="Wok week",
        offer_type=ConditionalOffer.SITE,
        exclusive=True,
        condition=Condition.objects.create(range=woks, type=Condition.COUNT, value=1),
        benefit=BenefitFactory(range=woks, type=Benefit.PERCENTAGE, value=30),
    )
    _voucher("STACKNOT", exclusive=True)

    applied, said = _apply(shopper, "STACKNOT", WOK)

    assert applied == []
    assert said[-1] == (
        "STACKNOT can't be combined with “Wok week”, which already gives the items "
        "in your basket their discount."
    )


def test_a_spend_threshold_says_how_much_more(shopper):
    everything = RangeFactory(name="Everything over 500", includes_all_products=True)
    _voucher(
        "BIGSPEND",
        condition=Condition.objects.create(
            range=everything, type=Condition.VALUE, value=Decimal("500.00")
        ),
    )
    wok = Product.objects.get(upc=WOK)
    price = wok.stockrecords.first().price

    applied, said = _apply(shopper, "BIGSPEND", WOK)

    assert applied == []
    more = f"{Decimal('500.00') - price:.2f}"
    assert said[-1].startswith("Spend ") and more in said[-1]
    assert said[-1].endswith("more on Everything over 500 to use BIGSPEND.")


def test_once_per_customer_already_used_by_you(shopper, demo_user):
    voucher = _voucher("ONCEEACH", usage=Voucher.ONCE_PER_CUSTOMER)
    voucher.applications.create(user=demo_user("shopper"), order=create_order())

    applied, said = _apply(shopper, "ONCEEACH", WOK)

    assert applied == []
    assert said[-1] == (
        "You have already used ONCEEACH on an earlier order: it is once per customer."
    )


def test_signed_in_customers_only(client):
    _voucher("MEMBERS", usage=Voucher.ONCE_PER_CUSTOMER)

    applied, said = _apply(client, "MEMBERS", WOK)

    assert applied == []
    assert said[-1] == (
        "Sign in to use MEMBERS: it is for customers with an account, once each."
    )


def test_expired_and_not_yet_started(shopper):
    expired = _voucher("OVER")
    expired.end_datetime = timezone.now() - timedelta(hours=1)
    expired.save()
    early = _voucher("SOON")
    early.start_datetime = timezone.now() + timedelta(days=2)
    early.save()

    _, said_expired = _apply(shopper, "OVER", WOK)
    _, said_early = _apply(shopper, "SOON")

    assert said_expired[-1].startswith("OVER expired on ")
    assert said_early[-1].startswith("SOON can be used from ")


def test_used_up_single_use_and_global_limit(shopper):
    single = _voucher("JUSTONCE", usage=Voucher.SINGLE_USE)
    single.applications.create(order=create_order())
    capped = _voucher("FIRST100", max_global_applications=100)
    capped.offers.update(num_applications=100)

    _, said_single = _apply(shopper, "JUSTONCE", WOK)
    _, said_capped = _apply(shopper, "FIRST100")

    assert said_single[-1] == (
        "JUSTONCE has already been used: it works for one order only."
    )
    assert said_capped[-1] == "FIRST100 has been used as many times as it can be."


def test_the_welcome_voucher_works_on_sale_items_once_per_customer(shopper):
    sale_item = "MAL-1001"  # on the demo's spring sale

    applied, said = _apply(shopper, "WELCOME10", sale_item)

    assert applied == ["WELCOME10"]
    assert said[-1] == "WELCOME10 is applied to your basket."
    assert Voucher.objects.get(code="WELCOME10").usage == Voucher.ONCE_PER_CUSTOMER


def test_the_reasons_need_no_request():
    voucher = _voucher("NOREQUEST", usage=Voucher.ONCE_PER_CUSTOMER)

    assert voucher_refusal(voucher=voucher, user=AnonymousUser()).startswith(
        "Sign in to use NOREQUEST"
    )
    assert voucher_refusal(voucher=_voucher("FINE"), user=AnonymousUser()) is None


def test_a_voucher_on_an_empty_basket_says_to_add_something_first(client):
    page = "/campaigns/spring-sale/"
    response = client.post(
        reverse("basket:vouchers-add"),
        {"code": "WELCOME10"},
        HTTP_REFERER=page,
        follow=True,
    )

    said = [str(message) for message in response.context["messages"]]
    assert said == ["Add something to your basket first, then use WELCOME10."]
