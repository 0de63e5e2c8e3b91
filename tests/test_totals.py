"""Totals that add up: the pay page and the confirmation show the lines, each offer
and voucher discount and the delivery as rows, and they reconcile to what is paid."""

import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import (
    BenefitFactory,
    ConditionalOfferFactory,
    ConditionFactory,
    RangeFactory,
    create_product,
)

from tests import checkout_steps as steps

Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

AMOUNT = re.compile(r"-?\s*¥([\d,]+\.\d\d)")


def _amount(text) -> Decimal:
    found = AMOUNT.search(text)
    value = Decimal(found.group(1).replace(",", ""))
    return -value if found.group(0).lstrip().startswith("-") else value


def _rows(html) -> list[tuple[str, Decimal]]:
    """(label, amount) for each row of the totals table that has an amount."""
    table = BeautifulSoup(html, "html.parser").select_one("#basket_totals")
    rows = []
    for row in table.select("tr"):
        text = row.get_text(" ", strip=True)
        if AMOUNT.search(text):
            rows.append((text, _amount(text)))
    return rows


def _lines_total(html) -> Decimal:
    soup = BeautifulSoup(html, "html.parser")
    return sum(
        (_amount(p.get_text()) for p in soup.select(".basket-line__price")),
        Decimal(0),
    )


def _reconciles(html) -> Decimal:
    """Lines − discounts + delivery = the total shown last; returns that total."""
    rows = _rows(html)
    discounts = [amount for label, amount in rows if amount < 0]
    shipping = [
        amount for label, amount in rows if re.search("delivery|shipping", label, re.I)
    ]
    total = rows[-1][1]
    assert discounts, "each discount has its own row"
    assert shipping, "delivery has its own row"
    assert _lines_total(html) + sum(discounts) + shipping[-1] == total, rows
    return total


@pytest.fixture
def sale_and_voucher(db):
    now = timezone.now()
    sale = RangeFactory(name="Totals sale")
    mango = create_product(
        title="Totals mango", price=Decimal("39.90"), num_in_stock=20
    )
    sale.add_product(mango)
    ConditionalOfferFactory(
        name="Totals 20% off mangoes",
        offer_type=ConditionalOffer.SITE,
        exclusive=False,
        condition=ConditionFactory(range=sale, type=Condition.COUNT, value=1),
        benefit=BenefitFactory(range=sale, type=Benefit.PERCENTAGE, value=20),
    )
    tea = create_product(title="Totals tea", price=Decimal("158.00"), num_in_stock=20)
    everything = RangeFactory(name="Totals everything", includes_all_products=True)
    voucher_offer = ConditionalOfferFactory(
        name="Totals 10% voucher",
        offer_type=ConditionalOffer.VOUCHER,
        exclusive=False,
        condition=ConditionFactory(range=everything, type=Condition.COUNT, value=1),
        benefit=BenefitFactory(range=everything, type=Benefit.PERCENTAGE, value=10),
    )
    voucher = Voucher.objects.create(
        name="Totals voucher",
        code="TOTALS10",
        usage=Voucher.MULTI_USE,
        start_datetime=now - timezone.timedelta(days=1),
        end_datetime=now + timezone.timedelta(days=1),
    )
    voucher.offers.add(voucher_offer)
    return mango, tea, voucher


@pytest.mark.django_db
def test_pay_and_confirmation_pages_show_every_discount_and_add_up(
    client, localstripe, sale_and_voucher
):
    mango, tea, voucher = sale_and_voucher
    client.post(reverse("basket:add", kwargs={"pk": mango.pk}), {"quantity": 2})
    client.post(reverse("basket:add", kwargs={"pk": tea.pk}), {"quantity": 1})
    client.post(reverse("basket:vouchers-add"), {"code": voucher.code})

    pay_page = steps.to_payment_step(client).content.decode()

    total = _reconciles(pay_page)
    assert f"Pay ¥{total}" in pay_page
    confirmation = client.get(
        steps.pay(client, localstripe.card_token()).url
    ).content.decode()
    assert _reconciles(confirmation) == total
