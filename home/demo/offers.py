"""Demo offers and vouchers: a site-wide sale on a range, and a welcome voucher."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

SPRING_UPCS = ["MAL-1001", "MAL-1002", "MAL-1003", "MAL-1008", "MAL-1009", "MAL-3001"]


def _offer(name, *, range_, offer_type, percentage, start=None, end=None):
    offer = ConditionalOffer.objects.filter(name=name).first()
    if offer is not None:
        return offer
    condition = Condition.objects.create(range=range_, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(
        range=range_, type=Benefit.PERCENTAGE, value=Decimal(percentage)
    )
    return ConditionalOffer.objects.create(
        name=name,
        description=f"<p>{percentage}% off selected products.</p>",
        offer_type=offer_type,
        condition=condition,
        benefit=benefit,
        start_datetime=start,
        end_datetime=end,
    )


def seed_offers():
    """The spring sale (a site offer, linked to the demo campaign) and WELCOME10."""
    spring, created = Range.objects.get_or_create(
        name="Spring picks", defaults={"description": "Seasonal favourites"}
    )
    if created:
        for product in Product.objects.filter(upc__in=SPRING_UPCS).order_by("upc"):
            spring.add_product(product)
    now = timezone.now()
    sale = _offer(
        "Spring sale: 20% off spring picks",
        range_=spring,
        offer_type=ConditionalOffer.SITE,
        percentage=20,
        start=now - timedelta(days=1),
        end=now + timedelta(days=13),
    )
    everything, _ = Range.objects.get_or_create(
        name="Everything", defaults={"includes_all_products": True}
    )
    welcome_offer = _offer(
        "Welcome: 10% off your basket",
        range_=everything,
        offer_type=ConditionalOffer.VOUCHER,
        percentage=10,
    )
    voucher, created = Voucher.objects.get_or_create(
        code="WELCOME10",
        defaults={
            "name": "Welcome 10% off",
            "usage": Voucher.SINGLE_USE,
            "start_datetime": now - timedelta(days=1),
            "end_datetime": now + timedelta(days=365),
        },
    )
    if created:
        voucher.offers.add(welcome_offer)
    return sale, spring, voucher
