"""Demo offers and vouchers: a site-wide sale on a range, and a welcome voucher.

The two stack: neither offer is exclusive, so WELCOME10 takes its 10% off sale items'
already reduced price as well as everything else. That is the demo shop's intent (a
welcome present on top of the season's sale); Oscar's default, exclusive offers,
refused the voucher whenever the basket held only sale items. A merchandiser who
wants them exclusive ticks "exclusive" in the dashboard, and shoppers are then told
which offer keeps the voucher off (shop/basket/voucher_reasons.py).
WELCOME10 is once per customer (signed in), not once in the whole shop."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import override
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

SPRING_UPCS = ["MAL-1001", "MAL-1002", "MAL-1003", "MAL-1008", "MAL-1009", "MAL-3001"]


def _chinese(obj, **fields) -> None:
    """Fill the Chinese columns still empty (a merchandiser's text stands)."""
    empty = {
        f"{k}_zh_hans": v for k, v in fields.items() if not getattr(obj, f"{k}_zh_hans")
    }
    if empty:
        type(obj).objects.filter(pk=obj.pk).update(**empty)
        for name, value in empty.items():
            setattr(obj, name, value)


def _offer(name, *, chinese, range_, offer_type, percentage, start=None, end=None):
    """Created once; a merchandiser's later edits stand."""
    offer = ConditionalOffer.objects.filter(name_en=name).first()
    if offer is None:
        offer = _create_offer(
            name,
            range_=range_,
            offer_type=offer_type,
            percentage=percentage,
            start=start,
            end=end,
        )
    _chinese(offer, name=chinese, description=f"<p>指定商品 {percentage}% 折扣。</p>")
    return offer


def _create_offer(name, *, range_, offer_type, percentage, start, end):
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
        exclusive=False,
    )


# Seeding writes the English columns whatever language the command runs in.
@override("en")
def seed_offers():
    """The spring sale (a site offer, linked to the demo campaign) and WELCOME10."""
    spring, created = Range.objects.get_or_create(
        name="Spring picks", defaults={"description": "Seasonal favourites"}
    )
    if created:
        for product in Product.objects.filter(upc__in=SPRING_UPCS).order_by("upc"):
            spring.add_product(product)
    _chinese(spring, name="春季精选")
    now = timezone.now()
    sale = _offer(
        "Spring sale: 20% off spring picks",
        chinese="春季特惠：精选商品 8 折",
        range_=spring,
        offer_type=ConditionalOffer.SITE,
        percentage=20,
        start=now - timedelta(days=1),
        end=now + timedelta(days=13),
    )
    everything, _ = Range.objects.get_or_create(
        name="Everything", defaults={"includes_all_products": True}
    )
    _chinese(everything, name="全场商品")
    welcome_offer = _offer(
        "Welcome: 10% off your basket",
        chinese="新人礼：全场 9 折",
        range_=everything,
        offer_type=ConditionalOffer.VOUCHER,
        percentage=10,
    )
    voucher, created = Voucher.objects.get_or_create(
        code="WELCOME10",
        defaults={
            "name": "Welcome 10% off",
            "usage": Voucher.ONCE_PER_CUSTOMER,
            "start_datetime": now - timedelta(days=1),
            "end_datetime": now + timedelta(days=365),
        },
    )
    if created:
        voucher.offers.add(welcome_offer)
    _chinese(voucher, name="新人 9 折券")
    return sale, spring, voucher
