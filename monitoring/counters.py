"""Business counters kept in the shared cache (Redis in production), so every web
process and worker adds to the same number and a scrape of any one of them sees it.

Counting never gets in the way of what it counts: a cache failure is logged and
the event goes uncounted."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

PAYMENT_FAILURES = "payment_failures"
RESERVATIONS_EXPIRED = "reservations_expired"
NAMES = (PAYMENT_FAILURES, RESERVATIONS_EXPIRED)


def _key(name: str) -> str:
    return f"monitoring:count:{name}"


def counter_add(name: str, amount: int = 1) -> None:
    if amount <= 0:
        return
    try:
        cache.add(_key(name), 0, timeout=None)
        cache.incr(_key(name), amount)
    except Exception:  # noqa: BLE001  see the module docstring
        logger.warning("could not count %s", name, exc_info=True)


def counter_values() -> dict[str, int]:
    stored = cache.get_many([_key(name) for name in NAMES])
    return {name: int(stored.get(_key(name)) or 0) for name in NAMES}
