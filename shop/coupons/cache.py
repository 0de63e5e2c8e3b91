"""What a cached page showing a coupon depends on (pagecache tags are plain
strings), and telling the page cache when it changes.

A coupon block's cached HTML holds what every shopper sees: the coupon's name and
terms, its claim window (a boundary: the page re-renders when it opens or closes)
and how much of it is claimed. Per-shopper state (claimed already, limit reached)
never goes into it: the block asks /shop/coupons/state/ for that.

Claims change the claimed share with every tap, so they go through
`invalidate_stock` (re-rendered at most once per PAGE_CACHE_STOCK_SECONDS); an
edit, or running out, goes through `invalidate` at once.
"""

import pagecache
from pagecache.tags import offer_tag, range_tag


def coupon_tag(pk) -> str:
    """A coupon's terms, window, quantity, and whether any are left."""
    return f"coupon:{pk}"


def coupon_claims_tag(pk) -> str:
    """How many of a coupon are claimed (coalesced: changes with every claim)."""
    return f"coupon-claims:{pk}"


def _coupon(coupon):
    offer = coupon.offer
    tags = [coupon_tag(coupon.pk), coupon_claims_tag(coupon.pk), offer_tag(offer.pk)]
    tags += [
        range_tag(r) for r in (offer.condition.range_id, offer.benefit.range_id) if r
    ]
    return tags, [coupon.claim_start, coupon.claim_end, coupon.valid_until]


def register() -> None:
    pagecache.register_instance_tags("coupons.coupon", _coupon)


def coupon_changed(pk) -> None:
    pagecache.invalidate(coupon_tag(pk))


def coupon_claimed(pk) -> None:
    pagecache.invalidate_stock(coupon_claims_tag(pk))
