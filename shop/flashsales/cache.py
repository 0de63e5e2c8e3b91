"""What a cached page showing a flash sale depends on, and the writes that make it
stale (the page cache, pagecache/, knows only tags).

- `sale_tag`: the sale's terms: sessions, items, prices, pools, limits, approval.
  Any dashboard change invalidates it at once.
- `pool_tag`: units sold and held. Changes with every checkout, so it goes through
  `invalidate_stock` (a page re-renders at most once per few seconds), except when
  an item sells out or comes back, which shows at once.
- Session starts and ends are moments: a page body showing the sale is not served
  past the next one (the block records them while rendering; a page pointing at a
  sale through its StreamField gets them from `register`).
"""

from collections.abc import Iterable

from django.utils import timezone

import pagecache
from pagecache.tags import stock_tag


def sale_tag(pk) -> str:
    return f"flash-sale:{pk}"


def pool_tag(pk) -> str:
    return f"flash-pool:{pk}"


def record_sale(sale, sessions: Iterable) -> None:
    """While rendering a block showing `sale` and `sessions`: its terms and pool,
    and the next start or end of any of its sessions."""
    pagecache.record(sale_tag(sale.pk), pool_tag(sale.pk))
    now = timezone.now()
    for session in sessions:
        for moment in (session.starts_at, session.ends_at):
            if moment > now:
                pagecache.record_until(moment)


def sale_changed(sale_pk, *, product_ids: Iterable[int] = ()) -> None:
    """The sale's terms or approval changed: pages showing it, and the stock shown
    on tiles of its products (units ring-fenced or given back), at once."""
    ids = {pk for pk in product_ids if pk}
    pagecache.invalidate(sale_tag(sale_pk), pool_tag(sale_pk), *map(stock_tag, ids))


def pool_changed(sale_pks: Iterable[int], *, at_once: bool = False) -> None:
    """Units sold, held or returned: coalesced, unless an item sold out or came
    back (`at_once`)."""
    tags = [pool_tag(pk) for pk in set(sale_pks)]
    if not tags:
        return
    if at_once:
        pagecache.invalidate(*tags)
    else:
        pagecache.invalidate_stock(*tags)


def _sale(sale):
    sessions = list(sale.sessions.all())
    moments = [m for s in sessions for m in (s.starts_at, s.ends_at)]
    return [sale_tag(sale.pk), pool_tag(sale.pk)], moments


def register() -> None:
    pagecache.register_instance_tags("flashsales.flashsale", _sale)
