"""Putting flash units in a basket: a line of their own (Oscar's "Flash sale"
option), as many as the pool has free and the shopper's limit allows. Nothing is
held here: units are held at the pay step, and checked again under locks there
and when the order is placed (checkout.py)."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from .lines import basket_flash_lines, flash_option
from .selectors import item_prices_at

Basket = get_model("basket", "Basket")


@dataclass(frozen=True)
class FlashAddResult:
    added: int
    message: str
    line: object = None  # the basket line the units went to, when some did

    @property
    def ok(self) -> bool:
        return self.added > 0


def _is_public(product) -> bool:
    parent = product.parent
    return product.is_public and (parent is None or parent.is_public)


def flash_basket_add(*, basket, item, quantity: int, now=None) -> FlashAddResult:
    """Add up to `quantity` flash units of `item` to `basket` (whose strategy knows
    the shopper), fewer if the pool or the shopper's limit allows fewer."""
    now = now or timezone.now()
    title = item.product.get_title()
    session = item.session
    if not session.sale.is_approved or session.ends_at <= now:
        return FlashAddResult(
            0, _("The flash sale for %(title)s is not on.") % {"title": title}
        )
    if not item_prices_at(item, now):
        return FlashAddResult(
            0,
            _("The flash sale for %(title)s starts at %(time)s.")
            % {
                "title": title,
                "time": formats.date_format(
                    timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT"
                ),
            },
        )
    if not _is_public(item.product):
        return FlashAddResult(0, _("This product is not for sale."))
    if not basket.id:
        basket.save()
    if not connection.features.has_select_for_update:
        # SQLite (the demo) has no row locks; a transaction there would only turn
        # concurrent adds into "database is locked".
        return _add(basket, item, quantity, title)
    with transaction.atomic():
        # The basket's row lock (checkout takes it first too): an account's sessions
        # share one basket, and two adds must not both see room under the limit.
        Basket.objects.select_for_update().filter(pk=basket.pk).first()
        basket._lines = None  # read its lines under the lock
        return _add(basket, item, quantity, title)


def _add(basket, item, quantity: int, title: str) -> FlashAddResult:
    in_basket = sum(
        line.quantity
        for line, pk in (basket_flash_lines(basket) if basket.id else [])
        if pk == item.pk
    )
    info = basket.strategy.fetch_for_flash_item(item, basket_id=basket.id)
    availability = info.availability
    if availability.limit_left - in_basket <= 0:
        return FlashAddResult(
            0,
            _("You have reached the flash sale limit of %(limit)d for %(title)s.")
            % {"limit": item.limit_per_shopper, "title": title},
        )
    if availability.pool_free - in_basket <= 0:
        return FlashAddResult(
            0, _("Sorry, %(title)s is sold out at the flash price.") % {"title": title}
        )
    added = min(
        quantity,
        availability.limit_left - in_basket,
        availability.pool_free - in_basket,
    )
    line, created = basket.add_product(
        item.product, added, options=[{"option": flash_option(), "value": str(item.pk)}]
    )
    if created or line.price_excl_tax != item.flash_price:
        # Oscar stores the price a line was added at, and warns when it changes: a
        # flash line's is the flash price (so the warning says when it ends).
        line.price_excl_tax = info.price.excl_tax
        line.price_incl_tax = info.price.incl_tax
        line.save(update_fields=["price_excl_tax", "price_incl_tax"])
    price = currency(info.price.incl_tax, info.price.currency)
    if added < quantity:
        return FlashAddResult(
            added,
            _(
                "You can have %(limit)d of %(title)s at the flash price; "
                "%(added)d added at %(price)s each."
            )
            % {
                "limit": min(item.limit_per_shopper, availability.pool_free),
                "title": title,
                "added": added,
                "price": price,
            },
            line,
        )
    return FlashAddResult(
        added,
        _("%(title)s is in your basket at the flash price of %(price)s.")
        % {"title": title, "price": price},
        line,
    )
