"""Reads about flash units: which items price now, how much of a pool is free,
how many units a shopper has used, and how many units are ring-fenced from each
stock record (for everyone buying at the regular price)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import FlashHold, FlashItem, FlashPurchase


@dataclass(frozen=True)
class ShopperKey:
    """Who a limit is counted for: the account, and the checkout e-mail and mobile
    number (a guest is known by those; an account by all three)."""

    user_id: int | None = None
    email: str = ""
    phone: str = ""

    @classmethod
    def of(cls, *, user=None, email: str = "", phone: str = "") -> "ShopperKey":
        user_id = user.pk if user is not None and user.is_authenticated else None
        if user_id is not None and not email:
            email = user.email or ""
        return cls(
            user_id=user_id,
            email=(email or "").strip().lower(),
            phone="".join(str(phone or "").split()),
        )

    @property
    def is_known(self) -> bool:
        return bool(self.user_id or self.email or self.phone)

    def records(self) -> Q:
        """Purchases or holds made by this shopper under any of their keys."""
        query = Q(pk__in=[])
        if self.user_id:
            query |= Q(user_id=self.user_id)
        if self.email:
            query |= Q(email=self.email)
        if self.phone:
            query |= Q(phone=self.phone)
        return query

    def fields(self) -> dict:
        return {"user_id": self.user_id, "email": self.email, "phone": self.phone}


def items_with_sale(ids: Iterable[int]):
    return FlashItem.objects.filter(pk__in=set(ids)).select_related(
        "session__sale", "stockrecord", "product"
    )


def item_prices_at(item, at: datetime) -> bool:
    """Whether `item` sells at its flash price at `at`: its sale approved and its
    session running."""
    session = item.session
    return session.sale.is_approved and session.starts_at <= at < session.ends_at


def item_fenced_at(item, at: datetime) -> bool:
    """Whether `item`'s unsold units are set aside at `at`: from approval until its
    session ends (and the beat task has not closed it)."""
    session = item.session
    return (
        session.sale.is_approved and at < session.ends_at and session.closed_at is None
    )


def _fenced_items(stockrecord_ids, now):
    return FlashItem.objects.filter(
        stockrecord__in=set(stockrecord_ids),
        session__sale__approved_at__isnull=False,
        session__ends_at__gt=now,
        session__closed_at=None,
    )


def _flash_held(item_ids, *, excluding_basket, now) -> dict[int, int]:
    holds = FlashHold.objects.filter(item__in=set(item_ids), expires_at__gt=now)
    if excluding_basket is not None:
        holds = holds.exclude(basket=excluding_basket)
    return dict(holds.values_list("item").annotate(total=Sum("quantity")))


@dataclass(frozen=True)
class Fence:
    """Units of one stock record set aside for flash sessions that other baskets
    don't already hold (their holds count as held stock), and when the earliest of
    those fences falls."""

    units: int
    until: datetime | None


def fences(
    stockrecord_ids, *, excluding_basket=None, excluding_sale=None, now=None
) -> dict[int, Fence]:
    """Per stock record: the ring-fenced units nobody else holds, which nobody can
    buy at the regular price. Records without a fence are absent."""
    rows = fence_rows(
        stockrecord_ids,
        excluding_basket=excluding_basket,
        excluding_sale=excluding_sale,
        now=now,
    )
    return fences_from(rows)


def fence_rows(
    stockrecord_ids, *, excluding_basket=None, excluding_sale=None, now=None
):
    """`fences` as a query of (stock record, units, until) rows, one per flash item,
    for a caller that reads them in the same query as its own holds (a union)."""
    now = now or timezone.now()
    items = _fenced_items(stockrecord_ids, now)
    if excluding_sale is not None:
        items = items.exclude(session__sale=excluding_sale)
    # Other baskets' holds of each item, in the same query.
    holds = FlashHold.objects.filter(item=OuterRef("pk"), expires_at__gt=now)
    if excluding_basket is not None:
        holds = holds.exclude(basket=excluding_basket)
    held = Subquery(
        holds.values("item").annotate(total=Sum("quantity")).values("total")[:1]
    )
    return (
        items.order_by()
        .annotate(
            units=Greatest(
                F("pool") - F("sold") - Coalesce(held, 0),
                Value(0),
                output_field=IntegerField(),
            ),
            until=F("session__ends_at"),
        )
        .values_list("stockrecord_id", "units", "until")
    )


def fences_from(rows) -> dict[int, Fence]:
    """Fences per stock record from `fence_rows`' (stock record, units, until)."""
    units: dict[int, int] = defaultdict(int)
    until: dict[int, datetime] = {}
    for record, free, ends_at in rows:
        units[record] += free
        until[record] = min(until.get(record, ends_at), ends_at)
    return {record: Fence(units[record], until[record]) for record in units}


def pool_free(item, *, excluding_basket=None, now=None) -> int:
    """Units of `item`'s pool not sold and not held by another basket."""
    held = _flash_held(
        [item.pk], excluding_basket=excluding_basket, now=now or timezone.now()
    )
    return max(0, item.pool - item.sold - held.get(item.pk, 0))


def shopper_used(
    item_ids, shopper: ShopperKey, *, holds_excluding_basket=False, now=None
) -> dict[int, int]:
    """Flash units of each item this shopper bought (less any returned), plus, when
    `holds_excluding_basket` is a basket (or None for every basket), the units they
    hold elsewhere at the pay step."""
    if not shopper.is_known:
        return {}
    ids = set(item_ids)
    used: dict[int, int] = defaultdict(int)
    bought = (
        FlashPurchase.objects.filter(shopper.records(), item__in=ids)
        .values_list("item")
        .annotate(total=Sum(F("quantity") - F("returned")))
    )
    for pk, total in bought:
        used[pk] += total or 0
    if holds_excluding_basket is not False:
        holds = FlashHold.objects.filter(
            shopper.records(), item__in=ids, expires_at__gt=now or timezone.now()
        )
        if holds_excluding_basket is not None:
            holds = holds.exclude(basket=holds_excluding_basket)
        for pk, total in holds.values_list("item").annotate(total=Sum("quantity")):
            used[pk] += total
    return dict(used)


def used_up_items(*, user, now=None) -> list[int]:
    """Items pricing now whose limit this account has used up (their tiles say
    "limit reached" for this shopper: cached pages vary on it)."""
    now = now or timezone.now()
    key = ShopperKey.of(user=user)
    return sorted(
        FlashPurchase.objects.filter(
            key.records(),
            item__session__sale__approved_at__isnull=False,
            item__session__starts_at__lte=now,
            item__session__ends_at__gt=now,
        )
        .values("item", "item__limit_per_shopper")
        .annotate(total=Sum(F("quantity") - F("returned")))
        .filter(total__gte=F("item__limit_per_shopper"))
        .values_list("item", flat=True)
    )
