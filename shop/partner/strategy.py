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
- Flash sales (shop/flashsales/): a basket line buying flash units (it carries
  the "Flash sale" option) costs the flash price while its session runs, and can
  have as many units as the pool has free and the shopper's limit allows; units
  ring-fenced for a session are unavailable at the regular price.
  `fetch_flash_unit_prices` prices a flash tile the same way as `fetch_unit_prices`
  (offers apply on top, as they would in the basket).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Min, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import prices as oscar_prices
from oscar.apps.partner import strategy as oscar_strategy
from oscar.apps.partner.availability import StockRequired as StockRequiredAvailability
from oscar.core.loading import get_class, get_model

from shop.flashsales import lines as flash_lines
from shop.flashsales import selectors as flash

Applicator = get_class("offer.applicator", "Applicator")
Basket = get_model("basket", "Basket")
ConditionalOffer = get_model("offer", "ConditionalOffer")
OrderDiscount = get_model("order", "OrderDiscount")
Line = get_model("basket", "Line")
StockReservation = get_model("partner", "StockReservation")
# Which rows of the union in `prefetch_holds` are flash fences, not holds.
FALSE, TRUE = Value(False, BooleanField()), Value(True, BooleanField())


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
    """Oscar's StockRequired, counting units other shoppers hold at the pay step, and
    units ring-fenced for flash sessions, as unavailable: a shopper can't add what
    someone else is paying for, or what a flash sale has set aside."""

    def availability_policy(self, product, stockrecord):
        if not stockrecord or not product.get_product_class().track_stock:
            return super().availability_policy(product, stockrecord)
        held = self.units_held(stockrecord.pk) + self.units_fenced(stockrecord.pk)
        return StockRequiredAvailability((stockrecord.net_stock_level or 0) - held)


class FlashAvailability(StockRequiredAvailability):
    """Flash units for one shopper: what the pool has free for their basket, up to
    what is left of their limit."""

    def __init__(self, *, pool_free: int, limit_left: int, limit: int):
        super().__init__(max(0, min(pool_free, limit_left)))
        self.pool_free, self.limit_left, self.limit = pool_free, limit_left, limit

    def is_purchase_permitted(self, quantity):
        if quantity > self.limit_left:
            return False, _(
                "the flash sale limit is %(limit)d per shopper, and you have "
                "%(left)d left"
            ) % {"limit": self.limit, "left": max(0, self.limit_left)}
        if quantity > self.pool_free:
            if self.pool_free <= 0:
                return False, _("the flash sale units are sold out")
            return False, _("only %(left)d left at the flash price") % {
                "left": self.pool_free
            }
        return True, ""

    @property
    def message(self):
        if self.limit_left <= 0:
            return _("Flash sale: your limit is reached")
        if self.pool_free <= 0:
            return _("Flash sale: sold out")
        return _("Flash sale price: %(left)d left") % {"left": self.pool_free}

    short_message = message


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
        self._fenced: dict[int, int] = {}
        self._flash_items: dict[int, object] = {}
        self.now = timezone.now()

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
        """Read the units held on many stock records, and those ring-fenced for
        flash sessions, in one query."""
        wanted = {pk for pk in stockrecord_ids if pk not in self._held}
        if not wanted:
            return
        holds = StockReservation.objects.filter(
            stockrecord__in=wanted, expires_at__gt=timezone.now()
        )
        if (own := self._holder()) is not None:
            holds = holds.exclude(basket_id=own)
        held = (
            holds.order_by()
            .values_list("stockrecord")
            .annotate(total=Sum("quantity"), lapse=Min("expires_at"), fence=FALSE)
        )
        fenced = flash.fence_rows(wanted, excluding_basket=own, now=self.now).annotate(
            fence=TRUE
        )
        found, fence_rows = {}, []
        for pk, units, moment, is_fence in held.union(fenced, all=True):
            if is_fence:
                fence_rows.append((pk, units, moment))
                continue
            found[pk] = units
            if self.holds_lapse_at is None or moment < self.holds_lapse_at:
                self.holds_lapse_at = moment
        fences = flash.fences_from(fence_rows)
        for pk in wanted:
            self._held[pk] = found.get(pk, 0)
            fence = fences.get(pk)
            self._fenced[pk] = fence.units if fence else 0
            if fence and (
                self.holds_lapse_at is None or fence.until < self.holds_lapse_at
            ):
                self.holds_lapse_at = fence.until

    def units_held(self, stockrecord_id: int) -> int:
        if stockrecord_id not in self._held:
            self.prefetch_holds([stockrecord_id])
        return self._held[stockrecord_id]

    def units_fenced(self, stockrecord_id: int) -> int:
        """Units set aside for flash sessions that no other basket holds."""
        if stockrecord_id not in self._fenced:
            self.prefetch_holds([stockrecord_id])
        return self._fenced[stockrecord_id]

    def fetch_for_line(self, line, stockrecord=None):
        if (info := self._flash_line_info(line)) is not None:
            return info
        if line.basket_id is None or line.basket_id == self._holder():
            return super().fetch_for_line(line, stockrecord)
        # Another basket's line (e.g. a merged or saved basket): its own holds are
        # its own, so count availability against that basket.
        previous, self._own_basket_id, self._held, self._fenced = (
            (self._own_basket_id, self._held, self._fenced),
            line.basket_id,
            {},
            {},
        )
        try:
            return super().fetch_for_line(line, stockrecord)
        finally:
            self._own_basket_id, self._held, self._fenced = previous

    # --- Flash units --------------------------------------------------------------

    def flash_items(self, item_ids) -> dict[int, object]:
        if missing := {pk for pk in item_ids if pk not in self._flash_items}:
            self._flash_items.update(
                (item.pk, item) for item in flash.items_with_sale(missing)
            )
            for pk in missing:
                self._flash_items.setdefault(pk, None)
        return {pk: self._flash_items[pk] for pk in item_ids}

    def _flash_line_info(self, line):
        """A flash line's price and availability while its session runs; None for
        a regular line, or a flash line whose session is over (regular price)."""
        item_id = flash_lines.line_item_id(line)
        if item_id is None:
            return None
        item = self.flash_items([item_id])[item_id]
        if (
            item is None
            or item.product_id != line.product_id
            or not flash.item_prices_at(item, self.now)
        ):
            return None
        return self.fetch_for_flash_item(item, basket_id=line.basket_id)

    def fetch_for_flash_item(self, item, *, basket_id=None):
        """Oscar's PurchaseInfo for flash units of `item` in basket `basket_id` (or
        any basket): the flash price, and the flash units this shopper can have."""
        record = item.stockrecord
        used = flash.shopper_used(
            [item.pk],
            flash.ShopperKey.of(user=self.user),
            holds_excluding_basket=basket_id,
            now=self.now,
        ).get(item.pk, 0)
        return oscar_strategy.PurchaseInfo(
            price=oscar_prices.FixedPrice(
                currency=record.price_currency,
                excl_tax=item.flash_price,
                tax=Decimal(0),
            ),
            availability=FlashAvailability(
                pool_free=flash.pool_free(
                    item, excluding_basket=basket_id, now=self.now
                ),
                limit_left=item.limit_per_shopper - used,
                limit=item.limit_per_shopper,
            ),
            stockrecord=record,
        )

    def fetch_flash_unit_prices(self, items, *, offers=None) -> dict[int, UnitPrice]:
        """What one flash unit of each item costs this shopper, keyed by item id,
        offers included as the basket would apply them; `base` is the flash price
        before offers. Call it for items that price at the moment shown."""
        items = list(items)
        if not items:
            return {}
        offers = self._prepared_offers(
            offers, product_ids={item.product_id for item in items}
        )
        prices = {}
        for item in items:
            info = self.fetch_for_flash_item(item)
            prices[item.pk] = self._unit_price(
                item.product, item.stockrecord, info, offers, line_info=info
            )
        return prices

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

    def _unit_price(self, unit, record, info, offers, line_info=None) -> UnitPrice:
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
        line._info = line_info or self.fetch_for_product(unit, record)
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
    cached pages: the running offers whose per-customer limit they have used up,
    and the flash items whose limit they have reached. Empty for everyone else
    (anonymous shoppers and most signed-in ones)."""
    if user is None or not user.is_authenticated:
        return ""
    parts = []
    limits = dict(
        ConditionalOffer.active.filter(max_user_applications__isnull=False).values_list(
            "pk", "max_user_applications"
        )
    )
    if limits:
        used = (
            OrderDiscount.objects.filter(order__user=user, offer_id__in=limits)
            .values_list("offer_id")
            .annotate(times=Sum("frequency"))
        )
        if used_up := sorted(pk for pk, times in used if times >= limits[pk]):
            parts.append("used:" + ",".join(map(str, used_up)))
    if flash_used_up := flash.used_up_items(user=user):
        parts.append("flash:" + ",".join(map(str, flash_used_up)))
    return ";".join(parts)
