"""What one unit costs this shopper now, and whether it can be bought.

The one place prices and availability come from (loaded with
`get_class("partner.strategy", "Selector")`, as Oscar's basket middleware does):

- `fetch_for_product` / `fetch_for_line` are Oscar's: the stock record's price (the
  price basket lines are recorded at), and availability net of the units other
  shoppers hold at the pay step (shop/partner/services.py reservations).
- `fetch_unit_prices` prices one unit of each of many products with Oscar's own
  offer engine: an in-memory one-line basket per product run through Oscar's
  Applicator, so stacking, exclusivity, priorities and per-customer limits are
  Oscar's, and a tile shows what the basket will charge. Batched: the offers and
  their range memberships are read once for all products, however many.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils import timezone
from oscar.apps.partner import strategy as oscar_strategy
from oscar.apps.partner.availability import StockRequired as StockRequiredAvailability
from oscar.core.loading import get_class, get_model

Applicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")
ConditionalOffer = get_model("offer", "ConditionalOffer")
OrderDiscount = get_model("order", "OrderDiscount")
Line = get_model("basket", "Line")
StockReservation = get_model("partner", "StockReservation")


@dataclass(frozen=True)
class UnitPrice:
    """One unit of a product for this shopper now: its price before offers (`base`)
    and after them (`price`), tax included where known, and the offers that make
    the difference. Both are None for a product without a price."""

    currency: str | None
    base: Decimal | None
    price: Decimal | None
    offers: tuple = ()

    @property
    def is_discounted(self) -> bool:
        return (
            self.price is not None and self.base is not None and self.price < self.base
        )


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Strategy(request=request, user=user)


class HeldStockRequired(oscar_strategy.StockRequired):
    """Oscar's StockRequired, counting units other shoppers hold at the pay step as
    unavailable: a shopper can't add what someone else is paying for."""

    def availability_policy(self, product, stockrecord):
        if not stockrecord or not product.get_product_class().track_stock:
            return super().availability_policy(product, stockrecord)
        held = self.units_held(stockrecord.pk)
        return StockRequiredAvailability((stockrecord.net_stock_level or 0) - held)


class Strategy(
    oscar_strategy.UseFirstStockRecord,
    HeldStockRequired,
    oscar_strategy.NoTax,
    oscar_strategy.Structured,
):
    def __init__(self, request=None, user=None):
        super().__init__(request)
        if user is None and request is not None:
            user = getattr(request, "user", None)
        self.user = user if user is not None and user.is_authenticated else None
        self._held: dict[int, int] = {}
        # When the first of the holds read so far lapses (availability changes then).
        self.holds_lapse_at = None
        self._own_basket_id: int | None = None
        self._unit_prices: dict[int, UnitPrice] = {}

    # --- Held units ---------------------------------------------------------------

    def _holder(self) -> int | None:
        """The basket whose holds count as this shopper's own: the line's basket
        while pricing a line, else the request's basket once it has been loaded
        (Oscar loads it lazily; a page that never touches it sees every hold)."""
        if self._own_basket_id is not None:
            return self._own_basket_id
        basket = getattr(self.request, "_basket_cache", None)
        return basket.pk if basket is not None else None

    def prefetch_holds(self, stockrecord_ids: Iterable[int]) -> None:
        """Read the units held on many stock records in one query."""
        wanted = {pk for pk in stockrecord_ids if pk not in self._held}
        if not wanted:
            return
        holds = StockReservation.objects.filter(
            stockrecord__in=wanted, expires_at__gt=timezone.now()
        )
        if (own := self._holder()) is not None:
            holds = holds.exclude(basket_id=own)
        found = {}
        for pk, total, lapse in holds.values_list("stockrecord").annotate(
            total=Sum("quantity"), lapse=Min("expires_at")
        ):
            found[pk] = total
            if self.holds_lapse_at is None or lapse < self.holds_lapse_at:
                self.holds_lapse_at = lapse
        for pk in wanted:
            self._held[pk] = found.get(pk, 0)

    def units_held(self, stockrecord_id: int) -> int:
        if stockrecord_id not in self._held:
            self.prefetch_holds([stockrecord_id])
        return self._held[stockrecord_id]

    def fetch_for_line(self, line, stockrecord=None):
        if line.basket_id is None or line.basket_id == self._holder():
            return super().fetch_for_line(line, stockrecord)
        # Another basket's line (e.g. a merged or saved basket): its own holds are
        # its own, so count availability against that basket.
        previous, self._own_basket_id, self._held = (
            (self._own_basket_id, self._held),
            line.basket_id,
            {},
        )
        try:
            return super().fetch_for_line(line, stockrecord)
        finally:
            self._own_basket_id, self._held = previous

    # --- One unit, offers included ------------------------------------------------

    def fetch_unit_prices(self, products, *, offers=None) -> dict[int, UnitPrice]:
        """What one unit of each product costs this shopper now, keyed by product
        id. A parent is priced by the variant whose price it shows ("from").
        `offers` defaults to the offers Oscar's Applicator would apply for this
        shopper (site, user and session offers, not vouchers)."""
        products = [p for p in products if p.pk not in self._unit_prices]
        if not products:
            return self._unit_prices
        units = {product.pk: self._unit_for(product) for product in products}
        self.prefetch_holds(
            record.pk for _, record, _ in units.values() if record is not None
        )
        offers = self._prepared_offers(
            offers,
            product_ids={unit.pk for unit, _, _ in units.values() if unit is not None},
        )
        for pk, (unit, record, info) in units.items():
            self._unit_prices[pk] = self._unit_price(unit, record, info, offers)
        return self._unit_prices

    def _unit_for(self, product):
        """(the product one unit of which is bought, its stock record, base info)."""
        if product.is_parent:
            for child, record in self.select_children_stockrecords(product):
                if record is not None and record.price is not None:
                    return child, record, self.fetch_for_parent(product)
            return None, None, self.fetch_for_parent(product)
        record = self.select_stockrecord(product)
        return product, record, None

    def _unit_price(self, unit, record, info, offers) -> UnitPrice:
        if info is None:
            info = self.fetch_for_product(unit, record)
        if not info.price.exists:
            return UnitPrice(currency=None, base=None, price=None)
        base = _incl_tax(info.price)
        if unit is None or record is None or not offers:
            return UnitPrice(currency=info.price.currency, base=base, price=base)
        basket = Basket(owner=self.user)
        basket.strategy = self
        line = Line(
            basket=basket,
            product=unit,
            stockrecord=record,
            quantity=1,
            price_currency=info.price.currency,
            price_excl_tax=info.price.excl_tax,
            price_incl_tax=base,
        )
        line._info = self.fetch_for_product(unit, record)
        # An unsaved basket has no lines as far as Oscar's all_lines() knows.
        basket.all_lines = lambda: [line]
        Applicator().apply_offers(basket, offers)
        price = line.line_price_incl_tax_incl_discounts
        applied = tuple(
            application["offer"]
            for application in basket.offer_applications
            if application["discount"] > 0
        )
        return UnitPrice(
            currency=info.price.currency,
            base=base,
            price=max(price, Decimal(0)),
            offers=applied,
        )

    def _prepared_offers(self, offers, *, product_ids: set[int]) -> list:
        """The offers to price with, each readied to price many baskets without a
        query per basket: range memberships for `product_ids` read once per range,
        per-customer limits read once per offer."""
        if offers is None:
            offers = Applicator().get_offers(Basket(), self.user, self.request)
        else:  # as Oscar's get_offers orders them: exclusivity depends on it
            offers = sorted(offers, key=lambda offer: offer.priority, reverse=True)
        ranges: dict[int, object] = {}
        members: dict[int, set[int]] = {}

        def ready_range(range_):
            if range_ is None:
                return None
            if range_.pk not in ranges:
                found = set(
                    range_.all_products()
                    .filter(pk__in=product_ids)
                    .values_list("pk", flat=True)
                )
                members[range_.pk] = found
                range_.contains_product = lambda product, ids=found: product.pk in ids
                ranges[range_.pk] = range_
            return ranges[range_.pk]

        for offer in offers:
            # proxy() returns the same object once it is one: ranges stay attached.
            condition, benefit = offer.condition.proxy(), offer.benefit.proxy()
            condition.range = ready_range(condition.range)
            benefit.range = ready_range(benefit.range)
            offer.condition, offer.benefit = condition, benefit
            limit = offer.get_max_applications(self.user)
            offer.get_max_applications = lambda user=None, n=limit: n
        return offers


def _incl_tax(price) -> Decimal:
    return price.incl_tax if price.is_tax_known else price.excl_tax


def price_variant(*, user) -> str:
    """What about this shopper changes the prices tiles show, as a short key for
    cached pages: the running offers whose per-customer limit they have used up.
    Empty for everyone else (anonymous shoppers and most signed-in ones)."""
    if user is None or not user.is_authenticated:
        return ""
    limits = dict(
        ConditionalOffer.active.filter(max_user_applications__isnull=False).values_list(
            "pk", "max_user_applications"
        )
    )
    if not limits:
        return ""
    used = (
        OrderDiscount.objects.filter(order__user=user, offer_id__in=limits)
        .values_list("offer_id")
        .annotate(times=Sum("frequency"))
    )
    used_up = sorted(pk for pk, times in used if times >= limits[pk])
    return "used:" + ",".join(map(str, used_up)) if used_up else ""
