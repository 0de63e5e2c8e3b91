"""Flash units through checkout, under the checkout's locks.

shop/checkout/services.py calls these inside the transaction that holds the
checkout's row locks, after its vouchers and offers and before its stock records
(the fixed lock order: basket, payment, vouchers, offers, flash items, stock
records), at the pay step (holding units) and again when the order is placed. So
a pool can't be oversold and a shopper can't pass their limit, however many
checkouts race: each waits for the item's row lock and sees what the one before
it sold.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from . import cache
from .lines import basket_flash_lines, flash_option_id
from .models import FlashHold, FlashItem, FlashPurchase
from .selectors import (
    ShopperKey,
    item_prices_at,
    items_with_sale,
    pool_free,
    shopper_used,
)


class FlashRefusal(Exception):
    """A flash line can't be bought as it stands; the message tells the shopper
    why (the checkout turns it into its own refusal)."""


@dataclass(frozen=True)
class FlashWant:
    item: FlashItem
    quantity: int


def _ended_text(item, now) -> str:
    title = item.product.get_title()
    session = item.session
    if session.ends_at <= now:
        return _(
            "The flash sale for %(title)s ended at %(time)s, so it is now at the "
            "regular price."
        ) % {
            "title": title,
            "time": formats.time_format(timezone.localtime(session.ends_at)),
        }
    return _("The flash sale for %(title)s is not on now.") % {"title": title}


def flash_units_by_record(basket, *, now=None) -> dict[int, int]:
    """Units of each stock record this basket buys at the flash price now (they
    come from the ring-fenced pool, not from the regular stock)."""
    now = now or timezone.now()
    pairs = basket_flash_lines(basket)
    if not pairs:
        return {}
    items = {item.pk: item for item in items_with_sale(pk for _, pk in pairs)}
    units: dict[int, int] = defaultdict(int)
    for line, pk in pairs:
        item = items.get(pk)
        if (
            item is not None
            and item.stockrecord_id == line.stockrecord_id
            and item_prices_at(item, now)
        ):
            units[item.stockrecord_id] += line.quantity
    return dict(units)


def flash_lock_and_check(
    *, basket, shopper: ShopperKey, holding: bool, now=None
) -> list[FlashWant]:
    """Lock the flash items the basket's flash lines buy (by primary key) and check
    each: its session is on, its pool has the units free (other baskets' holds
    count), and they keep the shopper within the limit (their orders count, and
    when `holding`, units they hold in other baskets). Raises FlashRefusal."""
    now = now or timezone.now()
    pairs = basket_flash_lines(basket)
    if not pairs:
        return []
    wanted: dict[int, int] = defaultdict(int)
    for line, pk in pairs:
        wanted[pk] += line.quantity
    items = {
        item.pk: item
        for item in FlashItem.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted)
        .select_related("session__sale", "product", "stockrecord")
        .order_by("pk")
    }
    for line, pk in pairs:
        item = items.get(pk)
        if item is None or item.product_id != line.product_id:
            raise FlashRefusal(
                _("The flash sale for %(title)s is over.")
                % {"title": line.product.get_title()}
            )
        if not item_prices_at(item, now):
            raise FlashRefusal(_ended_text(item, now))
    used = shopper_used(
        items,
        shopper,
        holds_excluding_basket=basket.pk if holding else False,
        now=now,
    )
    wants = []
    for pk, quantity in wanted.items():
        item = items[pk]
        title = item.product.get_title()
        free = pool_free(item, excluding_basket=basket.pk, now=now)
        if quantity > free:
            if free <= 0:
                raise FlashRefusal(
                    _("Sorry, the flash sale units of %(title)s are all taken.")
                    % {"title": title}
                )
            raise FlashRefusal(
                _(
                    "Sorry, only %(left)d of %(title)s are left at the flash price; "
                    "please lower the quantity."
                )
                % {"left": free, "title": title}
            )
        if used.get(pk, 0) + quantity > item.limit_per_shopper:
            raise FlashRefusal(
                _(
                    "The flash sale limit for %(title)s is %(limit)d per shopper; "
                    "you have %(used)d already."
                )
                % {
                    "title": title,
                    "limit": item.limit_per_shopper,
                    "used": used.get(pk, 0),
                }
            )
        wants.append(FlashWant(item=item, quantity=quantity))
    return wants


def _sold_out_or_back(item, before: int, after: int) -> bool:
    return (before > 0) != (after > 0)


def flash_hold_basket(
    *, basket, wants: list[FlashWant], shopper: ShopperKey, minutes=None, now=None
) -> None:
    """Replace the basket's flash holds by `wants` (checked and locked by
    flash_lock_and_check in this transaction); they lapse with its stock hold."""
    now = now or timezone.now()
    minutes = minutes or settings.STOCK_RESERVATION_MINUTES
    before = {want.item.pk: pool_free(want.item, now=now) for want in wants}
    previous = set(
        FlashHold.objects.filter(basket=basket).values_list(
            "item__session__sale_id", flat=True
        )
    )
    FlashHold.objects.filter(basket=basket).delete()
    FlashHold.objects.bulk_create(
        FlashHold(
            item=want.item,
            basket=basket,
            quantity=want.quantity,
            expires_at=now + timedelta(minutes=minutes),
            **shopper.fields(),
        )
        for want in wants
    )
    at_once = any(
        _sold_out_or_back(
            want.item, before[want.item.pk], pool_free(want.item, now=now)
        )
        for want in wants
    )
    cache.pool_changed(
        previous | {want.item.session.sale_id for want in wants}, at_once=at_once
    )


def flash_record_order(
    *, order, basket, wants: list[FlashWant], shopper: ShopperKey
) -> None:
    """Inside the order's transaction, with the items locked: the order's flash
    units are sold (they leave the pool, and count against the shopper's limit),
    and the basket's flash holds end."""
    now = timezone.now()
    for want in wants:
        FlashPurchase.objects.create(
            item=want.item, order=order, quantity=want.quantity, **shopper.fields()
        )
        FlashItem.objects.filter(pk=want.item.pk).update(sold=F("sold") + want.quantity)
    flash_release_basket(basket=basket)
    at_once = False
    for want in wants:
        want.item.refresh_from_db(fields=["sold"])
        if pool_free(want.item, now=now) <= 0:
            at_once = True  # the last units went: "sold out" shows at once
    cache.pool_changed({want.item.session.sale_id for want in wants}, at_once=at_once)


def flash_release_basket(*, basket) -> None:
    holds = FlashHold.objects.filter(basket=basket)
    sales = set(holds.values_list("item__session__sale_id", flat=True))
    if sales:
        holds.delete()
        cache.pool_changed(sales)


def flash_lines_reprice(*, basket, now=None) -> list[str]:
    """At the pay step: a flash line whose session has ended (or whose sale is no
    longer approved) becomes a regular line at the regular price, joining any
    regular line of the same product. Returns what to tell the shopper."""
    now = now or timezone.now()
    pairs = basket_flash_lines(basket)
    if not pairs:
        return []
    items = {item.pk: item for item in items_with_sale(pk for _, pk in pairs)}
    option_id = flash_option_id()
    notices = []
    for line, pk in pairs:
        item = items.get(pk)
        if item is not None and item_prices_at(item, now):
            continue
        line.attributes.filter(option_id=option_id).delete()
        options = [
            {"option": attribute.option, "value": attribute.value}
            for attribute in line.attributes.select_related("option")
        ]
        reference = basket._create_line_reference(
            line.product, line.stockrecord, options
        )
        info = basket.strategy.fetch_for_product(line.product, line.stockrecord)
        regular = basket.lines.filter(line_reference=reference).exclude(pk=line.pk)
        if (other := regular.first()) is not None:
            other.quantity += line.quantity
            other.save(update_fields=["quantity"])
            line.delete()
        else:
            line.line_reference = reference
            line.price_excl_tax = info.price.excl_tax
            if info.price.is_tax_known:
                line.price_incl_tax = info.price.incl_tax
            line.save()
        price = currency(
            info.price.incl_tax if info.price.is_tax_known else info.price.excl_tax,
            info.price.currency,
        )
        facts = {"title": line.product.get_title(), "price": price}
        if item is not None and item.session.ends_at <= now:
            facts["time"] = formats.time_format(
                timezone.localtime(item.session.ends_at)
            )
            text = _(
                "The flash sale for %(title)s ended at %(time)s, so it is now at the "
                "regular price of %(price)s."
            )
        else:
            text = _(
                "The flash sale for %(title)s is not on now, so it is at the regular "
                "price of %(price)s."
            )
        notices.append(
            text % facts + " " + _("Please check your order before you pay.")
        )
    if notices:
        basket._lines = None  # Oscar's cached lines
        basket.reset_offer_applications()
    return notices
