"""What a flash sale block shows: its sessions on now and upcoming, each product's
flash and regular price (both from the partner strategy), how much of the pool is
sold, and whether this shopper can still buy ("starts at 20:00", "sold out",
"limit reached")."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from oscar.core.loading import get_class

from . import cache
from .models import FlashItem
from .selectors import ShopperKey, item_prices_at, shopper_used

Selector = get_class("partner.strategy", "Selector")

ON, UPCOMING = "on", "upcoming"
OPEN, NOT_STARTED, SOLD_OUT, LIMIT_REACHED = "open", "starts", "sold_out", "limit"
UPCOMING_SHOWN = 4


@dataclass(frozen=True)
class Card:
    item: FlashItem
    currency: str
    flash_price: Decimal
    regular_price: Decimal | None
    sold_percent: int
    left: int
    state: str

    @property
    def product(self):
        return self.item.product

    @property
    def can_add(self) -> bool:
        return self.state == OPEN


@dataclass(frozen=True)
class Tab:
    session: object
    kind: str  # ON or UPCOMING
    cards: list[Card] = field(default_factory=list)

    @property
    def countdown_to(self) -> datetime:
        """The session's end while it runs, its start before."""
        return self.session.ends_at if self.kind == ON else self.session.starts_at


@dataclass(frozen=True)
class Board:
    sale: object
    at: datetime
    tabs: list[Tab]
    approved: bool

    @property
    def is_empty(self) -> bool:
        return not self.tabs


def flash_sale_board(*, sale, user=None, at: datetime | None = None) -> Board:
    """The sale as a shopper (`user`, or anonymous) sees it at `at` (now, or the
    moment a preview shows). Records the page cache's dependencies."""
    at = at or timezone.now()
    sessions = list(
        sale.sessions.filter(ends_at__gt=at)
        .order_by("starts_at")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=FlashItem.objects.select_related(
                    "stockrecord", "product__parent", "session__sale"
                )
                .prefetch_related("holds")
                .order_by("pk"),
            )
        )
    )
    on = [s for s in sessions if s.starts_at <= at]
    upcoming = [s for s in sessions if s.starts_at > at][:UPCOMING_SHOWN]
    cache.record_sale(sale, on + upcoming)
    shown = on + upcoming
    items = [item for session in shown for item in session.items.all()]
    if items:
        from shop import cache_dependencies

        cache_dependencies.record_products({item.product_id for item in items})
        cache_dependencies.record_site_offers()
    strategy = Selector().strategy(user=user)
    if at > timezone.now():
        # A preview of a later moment: priced as a session running then would be.
        strategy.now = at
    live = [item for item in items if item_prices_at(item, at)]
    flash_prices = strategy.fetch_flash_unit_prices(live)
    regular = strategy.fetch_unit_prices([item.product for item in items])
    used = shopper_used(
        [item.pk for item in items],
        ShopperKey.of(user=user),
        holds_excluding_basket=None,
    )
    tabs = []
    for session in shown:
        kind = ON if session in on else UPCOMING
        cards = [
            _card(item, kind, flash_prices.get(item.pk), regular, used, strategy)
            for item in session.items.all()
        ]
        tabs.append(Tab(session=session, kind=kind, cards=cards))
    return Board(sale=sale, at=at, tabs=tabs, approved=sale.is_approved)


def _card(item, kind, flash_unit, regular, used, strategy) -> Card:
    unit = regular.get(item.product_id)
    left = max(
        0,
        item.pool
        - item.sold
        - sum(h.quantity for h in item.holds.all() if h.expires_at > strategy.now),
    )
    if kind == UPCOMING:
        state = NOT_STARTED
    elif left <= 0:
        state = SOLD_OUT
    elif used.get(item.pk, 0) >= item.limit_per_shopper:
        state = LIMIT_REACHED
    else:
        state = OPEN
    return Card(
        item=item,
        currency=item.stockrecord.price_currency,
        flash_price=flash_unit.price if flash_unit else item.flash_price,
        regular_price=unit.price if unit else None,
        sold_percent=item.sold_percent,
        left=left,
        state=state,
    )
