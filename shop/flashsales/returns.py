"""Flash units coming back: from cancelled or refunded orders while their session
runs, and every unsold unit when a session ends."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.core.loading import get_class

from . import cache
from .models import FlashHold, FlashItem, FlashPurchase, FlashSession

# Order statuses that give an order's flash units back (Oscar's status names are
# the project's to choose; a cancelled order is "Cancelled" in Oscar's examples).
RETURNING_STATUSES = frozenset({"Cancelled", "Canceled"})


def flash_order_return(*, order, now=None) -> int:
    """An order was cancelled or fully refunded: its flash units stop counting
    against the shopper's limit and, while their session runs, go back to the
    pool for other shoppers. Safe to call twice. Returns the units given back to
    pools."""
    now = now or timezone.now()
    back_to_pool, sales = 0, set()
    with transaction.atomic():
        purchases = list(
            FlashPurchase.objects.filter(order=order, returned__lt=F("quantity"))
            .select_related("item__session")
            .order_by("item_id")
        )
        if not purchases:
            return 0
        # Items locked by primary key, as checkout locks them.
        items = {
            item.pk: item
            for item in FlashItem.objects.select_for_update()
            .filter(pk__in=[p.item_id for p in purchases])
            .select_related("session")
            .order_by("pk")
        }
        for purchase in purchases:
            units = purchase.quantity - purchase.returned
            purchase.returned = purchase.quantity
            purchase.save(update_fields=["returned"])
            item = items[purchase.item_id]
            session = item.session
            if session.closed_at is None and now < session.ends_at:
                FlashItem.objects.filter(pk=item.pk).update(
                    sold=F("sold") - min(units, item.sold)
                )
                back_to_pool += units
                sales.add(session.sale_id)
    cache.pool_changed(sales, at_once=True)
    return back_to_pool


def _on_status_change(sender, order, old_status, new_status, **kwargs):
    if new_status in RETURNING_STATUSES:
        flash_order_return(order=order)


def connect() -> None:
    order_status_changed = get_class("order.signals", "order_status_changed")
    order_status_changed.connect(
        _on_status_change, dispatch_uid="flashsales:order_status_changed"
    )


def sessions_close_ended(*, now=None) -> int:
    """Close every session that has ended: record the unsold units that went back
    to regular stock and drop its holds. A closed session is skipped, so running it
    twice gives the same result. Returns how many sessions it closed."""
    now = now or timezone.now()
    closed = 0
    ended = FlashSession.objects.filter(ends_at__lte=now, closed_at=None).order_by("pk")
    for pk in ended.values_list("pk", flat=True):
        with transaction.atomic():
            session = (
                FlashSession.objects.select_for_update(skip_locked=True)
                .select_related("sale")
                .filter(pk=pk, closed_at=None)
                .first()
            )
            if session is None:
                continue  # closed meanwhile, or being closed by another worker
            items = list(
                FlashItem.objects.select_for_update()
                .filter(session=session)
                .order_by("pk")
            )
            unsold = sum(item.unsold for item in items)
            session.units_returned = unsold if session.sale.is_approved else 0
            session.closed_at = now
            session.save(update_fields=["units_returned", "closed_at"])
            FlashHold.objects.filter(item__session=session).delete()
            closed += 1
            cache.sale_changed(
                session.sale_id, product_ids=[item.product_id for item in items]
            )
    return closed
