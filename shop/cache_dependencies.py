"""What a cached page showing shop data depends on, recorded while it renders
(pagecache.record) before the data is read. shop/cache_invalidation.py invalidates
the same tags when the data changes.

A tile depends on its product's catalogue data (product_tag), its stock
(stock_tag, coalesced), and the open site offers that price it: which offers are
open (SITE_OFFERS), and for each its own terms (offer_tag) and the members of its
condition and benefit ranges (range_tag). So editing one offer re-renders only the
pages priced with it, and an order (usage counters, stock) re-renders none at once.
"""

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

import pagecache
from pagecache.tags import (
    CATEGORIES,
    SALES_RANKING,
    SITE_OFFERS,
    category_tag,
    offer_tag,
    product_tag,
    range_tag,
    stock_tag,
    voucher_tag,
)


def record_products(product_ids) -> None:
    """Tiles of these products: their catalogue data and their stock."""
    ids = {pk for pk in product_ids if pk is not None}
    pagecache.record(*map(product_tag, ids), *map(stock_tag, ids))


def record_site_offers() -> None:
    """Prices from the site offers open now: which are open, each one's terms and
    ranges; and the output changes by itself when the next one starts or ends. Call
    it before the offers are read."""
    if not pagecache.recording():
        return
    pagecache.record(SITE_OFFERS)
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    now = timezone.now()
    offers = ConditionalOffer.objects.filter(
        Q(end_datetime__gte=now) | Q(end_datetime=None),
        offer_type=ConditionalOffer.SITE,
        status=ConditionalOffer.OPEN,
    ).values_list(
        "pk",
        "condition__range_id",
        "benefit__range_id",
        "start_datetime",
        "end_datetime",
    )
    tags = []
    for pk, condition_range, benefit_range, start, end in offers:
        if start is not None and start > now:
            pagecache.record_until(start)
            continue
        pagecache.record_until(end)
        tags.append(offer_tag(pk))
        tags += [range_tag(r) for r in (condition_range, benefit_range) if r]
    pagecache.record(*tags)


def record_category(category) -> None:
    """A grid of the products in `category` and below it."""
    pagecache.record(CATEGORIES, category_tag(category.path))


def record_range(range_) -> None:
    """A grid of the products in `range_`."""
    pagecache.record(range_tag(range_.pk))


def record_sales_ranking() -> None:
    """A grid sorted by sales counts (coalesced: they change with every order)."""
    pagecache.record(SALES_RANKING)


# --- Instances a page body points at -----------------------------------------------


def _product(product):
    return [product_tag(product.pk), stock_tag(product.pk)], []


def _category(category):
    return [CATEGORIES], []


def _range(range_):
    return [range_tag(range_.pk)], []


def _offer(offer):
    return [offer_tag(offer.pk)], [offer.start_datetime, offer.end_datetime]


def _voucher(voucher):
    return [voucher_tag(voucher.pk)], [voucher.start_datetime, voucher.end_datetime]


def register() -> None:
    for label, describe in (
        ("catalogue.product", _product),
        ("catalogue.category", _category),
        ("offer.range", _range),
        ("offer.conditionaloffer", _offer),
        ("voucher.voucher", _voucher),
    ):
        pagecache.register_instance_tags(label, describe)
