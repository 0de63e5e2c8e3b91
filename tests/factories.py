"""Builders for pages the tests compose, on top of the seeded demo mall."""

from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from home.models import CampaignIndexPage, CampaignPage


def product_grid(products, *, when_unavailable="sold_out", heading="Picks"):
    return (
        "product_grid",
        {
            "heading": heading,
            "source": "picked",
            "products": list(products),
            "category": None,
            "product_range": None,
            "sort": "newest",
            "limit": 8,
            "when_unavailable": when_unavailable,
        },
    )


def page_url(path: str = "", language: str = "en") -> str:
    """The URL of the seeded page at `path` (e.g. "campaigns/spring-sale/") in
    `language`'s tree: what page.url gives for it."""
    with translation.override(language):
        return reverse("wagtail_serve", args=[path])


def campaign(
    *, slug="test-campaign", body=(), publish=True, language="en", **fields
) -> CampaignPage:
    """A campaign in `language`'s tree (English unless said)."""
    index = CampaignIndexPage.objects.get(locale__language_code=language)
    page = CampaignPage(
        title=fields.pop("title", "Test campaign"),
        slug=slug,
        body=list(body),
        live=publish,
        **fields,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return Page.objects.get(pk=page.pk).specific


def product_for_sale(*, shipped=True, variant=False, price="100.00", stock=100):
    """A product a shopper can buy: a simple product, or a variant (child) of a
    parent; of a class that needs shipping or not (digital goods). Returns what goes
    in the basket."""
    from decimal import Decimal

    from oscar.core.loading import get_model
    from oscar.test.factories import create_product, create_stockrecord

    ProductClass = get_model("catalogue", "ProductClass")
    kind, _ = ProductClass.objects.get_or_create(
        name="Shipped goods" if shipped else "Digital goods",
        defaults={"requires_shipping": shipped, "track_stock": True},
    )
    if not variant:
        return create_product(
            product_class=kind.name, price=Decimal(price), num_in_stock=stock
        )
    parent = create_product(product_class=kind.name, structure="parent")
    child = create_product(parent=parent, title="Large")
    create_stockrecord(child, price=Decimal(price), num_in_stock=stock)
    return child


def site_offer(product, *, percent=10, **fields):
    """A site-wide offer of `percent` off `product` (limits, exclusivity: `fields`)."""
    from oscar.test.factories import (
        BenefitFactory,
        ConditionalOfferFactory,
        ConditionFactory,
        RangeFactory,
    )

    products = RangeFactory(products=[product])
    return ConditionalOfferFactory(
        benefit=BenefitFactory(range=products, value=percent),
        condition=ConditionFactory(range=products, value=1),
        **fields,
    )


def voucher_for(product, *, code, amount=5, usage=None, exclusive=True):
    """A voucher taking `amount` off a basket with `product` (MULTI_USE unless
    `usage` says otherwise; non-exclusive to combine with other offers)."""
    from decimal import Decimal

    from oscar.core.loading import get_model
    from oscar.test.factories import (
        BenefitFactory,
        ConditionalOfferFactory,
        ConditionFactory,
        RangeFactory,
        VoucherFactory,
    )

    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Benefit = get_model("offer", "Benefit")
    products = RangeFactory(products=[product])
    offer = ConditionalOfferFactory(
        offer_type=ConditionalOffer.VOUCHER,
        benefit=BenefitFactory(
            range=products, type=Benefit.FIXED, value=Decimal(amount)
        ),
        condition=ConditionFactory(range=products, value=1),
        exclusive=exclusive,
    )
    voucher = VoucherFactory(code=code, **({"usage": usage} if usage else {}))
    voucher.offers.add(offer)
    return voucher
