"""Merchandisers' writes to flash sales, and the approval that makes one live.

Every change goes through `_changed`, which withdraws an approval: a sale prices
only as a second merchandiser approved it. Approval is refused to anyone who
created or changed the sale since it was last approved, and to anyone without
the `flashsales.approve_flashsale` permission.

Pools are checked against free stock when an item is saved (so the form can say
so) and again, under the stock records' row locks, when the sale is approved (the
moment its units are ring-fenced).
"""

from collections import defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from . import cache
from .models import FlashItem, FlashSale, FlashSaleEvent, FlashSession
from .schedule import repeated_times
from .selectors import fences

StockRecord = get_model("partner", "StockRecord")
StockReservation = get_model("partner", "StockReservation")
Selector = get_class("partner.strategy", "Selector")

APPROVE_PERMISSION = "flashsales.approve_flashsale"


def _product_ids(sale) -> list[int]:
    return list(
        FlashItem.objects.filter(session__sale=sale).values_list(
            "product_id", flat=True
        )
    )


def _changed(sale, *, by, note: str) -> FlashSale:
    """Record a change by `by`; an approved sale stops pricing until approved again."""
    now = timezone.now()
    sale = FlashSale.objects.select_for_update().get(pk=sale.pk)
    was_approved = sale.is_approved
    sale.approved_by, sale.approved_at, sale.changed_at = None, None, now
    sale.save(update_fields=["approved_by", "approved_at", "changed_at"])
    FlashSaleEvent.objects.create(
        sale=sale, action=FlashSaleEvent.CHANGED, user=by, note=note[:255], at=now
    )
    if was_approved:
        FlashSaleEvent.objects.create(
            sale=sale, action=FlashSaleEvent.UNAPPROVED, user=by, at=now
        )
    # The page cache invalidates now and again after commit.
    cache.sale_changed(sale.pk, product_ids=_product_ids(sale))
    return sale


def sale_create(*, name: str, by) -> FlashSale:
    with transaction.atomic():
        sale = FlashSale.objects.create(name=name, created_by=by)
        FlashSaleEvent.objects.create(sale=sale, action=FlashSaleEvent.CREATED, user=by)
    return sale


def sale_rename(*, sale, name: str, by) -> FlashSale:
    if name == sale.name:
        return sale
    with transaction.atomic():
        FlashSale.objects.filter(pk=sale.pk).update(name=name)
        return _changed(sale, by=by, note=_("renamed to “%(name)s”") % {"name": name})


# --- Sessions ------------------------------------------------------------------------


def _check_session_times(sale, starts_at, ends_at, *, excluding=None) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("A session must end after it starts."))
    if ends_at <= timezone.now():
        raise ValidationError(_("That session would already be over."))
    overlapping = FlashSession.objects.filter(
        sale=sale, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if excluding is not None:
        overlapping = overlapping.exclude(pk=excluding.pk)
    if clash := overlapping.first():
        raise ValidationError(
            _("It overlaps the session %(session)s of this sale.") % {"session": clash}
        )


def session_add(*, sale, starts_at, ends_at, by) -> FlashSession:
    with transaction.atomic():
        _check_session_times(sale, starts_at, ends_at)
        session = FlashSession.objects.create(
            sale=sale, starts_at=starts_at, ends_at=ends_at
        )
        _changed(
            sale, by=by, note=_("session %(session)s added") % {"session": session}
        )
    return session


def sessions_repeat(
    *, sale, first_day, days: int, times, duration: timedelta, copy_from=None, by
) -> list[FlashSession]:
    """Sessions at `times` on `days` days from `first_day`, each `duration` long,
    with the products, prices, pools and limits of `copy_from` (a session of this
    sale) if given. All or nothing."""
    moments = repeated_times(
        first_day=first_day, days=days, times=times, duration=duration
    )
    for (_start, end), (next_start, _end) in zip(moments, moments[1:], strict=False):
        if next_start < end:
            raise ValidationError(
                _("Sessions this long would overlap each other; shorten them.")
            )
    created = []
    with transaction.atomic():
        for starts_at, ends_at in moments:
            _check_session_times(sale, starts_at, ends_at)
            session = FlashSession.objects.create(
                sale=sale, starts_at=starts_at, ends_at=ends_at
            )
            created.append(session)
            for item in copy_from.items.all() if copy_from is not None else ():
                _check_pool(
                    sale=sale,
                    stockrecord=item.stockrecord,
                    extra=item.pool,
                    title=item.product.get_title(),
                )
                FlashItem.objects.create(
                    session=session,
                    product=item.product,
                    stockrecord=item.stockrecord,
                    flash_price=item.flash_price,
                    pool=item.pool,
                    limit_per_shopper=item.limit_per_shopper,
                )
        _changed(
            sale,
            by=by,
            note=_("%(count)d repeated sessions added") % {"count": len(created)},
        )
    return created


def _not_ended(session) -> None:
    if session.ends_at <= timezone.now() or session.closed_at is not None:
        raise ValidationError(_("That session is over; it can't be changed."))


def session_delete(*, session, by) -> None:
    if session.items.filter(purchases__isnull=False).exists():
        raise ValidationError(
            _("Shoppers have bought in this session; it can't be deleted.")
        )
    with transaction.atomic():
        sale = session.sale
        text = str(session)
        session.delete()
        _changed(sale, by=by, note=_("session %(session)s deleted") % {"session": text})


# --- Items ---------------------------------------------------------------------------


def selling_stockrecord(product):
    """The stock record the partner strategy sells `product` from."""
    if product.is_parent:
        raise ValidationError(
            _("Choose a variant (size, colour…), not the product that groups them.")
        )
    record = Selector().strategy().select_stockrecord(product)
    if record is None or record.price is None:
        raise ValidationError(_("This product has no price or stock record to sell."))
    return record


def _pools_of_sale(sale, stockrecord, *, excluding_item=None) -> int:
    """Units this sale's sessions that haven't ended set aside from `stockrecord`
    (unsold pools), besides `excluding_item`."""
    items = FlashItem.objects.filter(
        session__sale=sale,
        stockrecord=stockrecord,
        session__ends_at__gt=timezone.now(),
        session__closed_at=None,
    )
    if excluding_item is not None:
        items = items.exclude(pk=excluding_item.pk)
    return sum(max(0, pool - sold) for pool, sold in items.values_list("pool", "sold"))


def free_for_sale(*, sale, stockrecord, excluding_item=None) -> int:
    """Units of `stockrecord` this sale could still set aside: not allocated, not
    held at anyone's pay step, not fenced by other sales or this sale's other
    sessions."""
    now = timezone.now()
    held = (
        StockReservation.objects.filter(
            stockrecord=stockrecord, expires_at__gt=now
        ).aggregate(total=Sum("quantity"))["total"]
        or 0
    )
    others = fences([stockrecord.pk], now=now, excluding_sale=sale).get(stockrecord.pk)
    return (
        (stockrecord.net_stock_level or 0)
        - held
        - (others.units if others else 0)
        - _pools_of_sale(sale, stockrecord, excluding_item=excluding_item)
    )


def _check_pool(*, sale, stockrecord, extra: int, title: str, excluding_item=None):
    free = free_for_sale(
        sale=sale, stockrecord=stockrecord, excluding_item=excluding_item
    )
    if extra > free:
        raise ValidationError(
            _(
                "Only %(free)d units of %(title)s are free to set aside (not sold, "
                "held or in another session's pool); a pool can't be larger."
            )
            % {"free": max(free, 0), "title": title}
        )


def _check_terms(*, flash_price, pool: int, limit_per_shopper: int, regular) -> None:
    if pool < 1 or limit_per_shopper < 1:
        raise ValidationError(_("A pool and a limit are at least one unit."))
    if flash_price <= 0:
        raise ValidationError(_("A flash price is more than nothing."))
    if flash_price >= regular:
        raise ValidationError(
            _("The flash price must be below the regular price (%(price)s).")
            % {"price": regular}
        )


def item_add(
    *, session, product, flash_price, pool: int, limit_per_shopper: int, by
) -> FlashItem:
    _not_ended(session)
    record = selling_stockrecord(product)
    _check_terms(
        flash_price=flash_price,
        pool=pool,
        limit_per_shopper=limit_per_shopper,
        regular=record.price,
    )
    if session.items.filter(product=product).exists():
        raise ValidationError(_("This product is already in this session."))
    with transaction.atomic():
        sale = _changed(
            session.sale,
            by=by,
            note=_("%(title)s added to session %(session)s")
            % {"title": product.get_title(), "session": session},
        )
        _check_pool(
            sale=sale, stockrecord=record, extra=pool, title=product.get_title()
        )
        return FlashItem.objects.create(
            session=session,
            product=product,
            stockrecord=record,
            flash_price=flash_price,
            pool=pool,
            limit_per_shopper=limit_per_shopper,
        )


def item_update(
    *, item, flash_price, pool: int, limit_per_shopper: int, by
) -> FlashItem:
    _not_ended(item.session)
    title = item.product.get_title()
    _check_terms(
        flash_price=flash_price,
        pool=pool,
        limit_per_shopper=limit_per_shopper,
        regular=item.stockrecord.price,
    )
    with transaction.atomic():
        item = FlashItem.objects.select_for_update().get(pk=item.pk)
        if pool < item.sold:
            raise ValidationError(
                _("%(sold)d units are sold already; the pool can't be smaller.")
                % {"sold": item.sold}
            )
        changes = {
            "flash_price": flash_price,
            "pool": pool,
            "limit_per_shopper": limit_per_shopper,
        }
        if all(getattr(item, name) == value for name, value in changes.items()):
            return item
        sale = _changed(
            item.session.sale,
            by=by,
            note=_("%(title)s: price %(price)s, pool %(pool)d, limit %(limit)d")
            % {
                "title": title,
                "price": flash_price,
                "pool": pool,
                "limit": limit_per_shopper,
            },
        )
        _check_pool(
            sale=sale,
            stockrecord=item.stockrecord,
            extra=pool - item.sold,
            title=title,
            excluding_item=item,
        )
        for name, value in changes.items():
            setattr(item, name, value)
        item.save(update_fields=list(changes))
        return item


def item_remove(*, item, by) -> None:
    _not_ended(item.session)
    if item.purchases.exists():
        raise ValidationError(_("Shoppers have bought this item; it can't be removed."))
    with transaction.atomic():
        sale, title = item.session.sale, item.product.get_title()
        item.delete()
        _changed(sale, by=by, note=_("%(title)s removed") % {"title": title})


# --- Approval ------------------------------------------------------------------------


def sale_authors(sale) -> set[int]:
    """Who created or changed the sale since it was last approved: none of them may
    approve it."""
    events = FlashSaleEvent.objects.filter(sale=sale)
    last = events.filter(action=FlashSaleEvent.APPROVED).order_by("-at", "-pk").first()
    if last is not None:
        events = events.filter(pk__gt=last.pk)
    return set(
        events.filter(
            action__in=[FlashSaleEvent.CREATED, FlashSaleEvent.CHANGED],
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )


def approval_refusal(*, sale, by) -> str | None:
    """Why `by` can't approve `sale` now, or None."""
    if sale.is_approved:
        return _("This sale is approved already.")
    if not by.has_perm(APPROVE_PERMISSION):
        return _("You don't have permission to approve flash sales.")
    if by.pk in sale_authors(sale):
        return _(
            "You created or changed this sale since it was last approved; another "
            "merchandiser must approve it."
        )
    now = timezone.now()
    upcoming = FlashItem.objects.filter(session__sale=sale, session__ends_at__gt=now)
    if not upcoming.exists():
        return _("Add a session that hasn't ended, with at least one product.")
    return None


def sale_approve(*, sale, by) -> FlashSale:
    """Approve the sale: its pools are ring-fenced and it prices in its sessions.
    Raises ValidationError if `by` may not approve it, or a pool no longer fits in
    free stock."""
    now = timezone.now()
    with transaction.atomic():
        sale = FlashSale.objects.select_for_update().get(pk=sale.pk)
        if refusal := approval_refusal(sale=sale, by=by):
            raise ValidationError(refusal)
        items = list(
            FlashItem.objects.filter(
                session__sale=sale, session__ends_at__gt=now, session__closed_at=None
            ).select_related("product")
        )
        needed: dict[int, int] = defaultdict(int)
        titles = {}
        for item in items:
            needed[item.stockrecord_id] += item.unsold
            titles[item.stockrecord_id] = item.product.get_title()
        # The stock records by primary key, as checkout locks them: no checkout
        # can take units between this check and the fence.
        records = StockRecord.objects.select_for_update().filter(pk__in=needed)
        for record in records.order_by("pk"):
            free = free_for_sale(sale=sale, stockrecord=record) + _pools_of_sale(
                sale, record
            )
            if needed[record.pk] > free:
                raise ValidationError(
                    _(
                        "Only %(free)d units of %(title)s are free now, and this "
                        "sale's pools need %(needed)d. Lower the pools first."
                    )
                    % {
                        "free": max(free, 0),
                        "title": titles[record.pk],
                        "needed": needed[record.pk],
                    }
                )
        sale.approved_by, sale.approved_at = by, now
        sale.save(update_fields=["approved_by", "approved_at"])
        FlashSaleEvent.objects.create(
            sale=sale, action=FlashSaleEvent.APPROVED, user=by, at=now
        )
        cache.sale_changed(sale.pk, product_ids=[item.product_id for item in items])
    return sale
