"""Cache entries: their keys, where they are kept, and whether one is still valid."""

import hashlib
import threading
from collections import OrderedDict
from functools import cache as memoize
from importlib.metadata import version
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from . import versions
from .recording import Dependencies


@memoize
def _release() -> str:
    """Entries belong to one release: a deploy that changes templates, static files,
    translations or code must not serve HTML rendered by the previous one."""
    digest = hashlib.sha1()
    for package in ("django", "wagtail", "django-oscar"):
        digest.update(version(package).encode())
    suffixes = {".html", ".css", ".js", ".mo", ".py"}
    folders = getattr(settings, "PAGE_CACHE_RELEASE_FOLDERS", ("templates", "static"))
    for folder in folders:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in suffixes and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def query_params() -> tuple[str, ...]:
    """The query parameters cached pages read (PAGE_CACHE_QUERY_PARAMS); a cacheable
    request is rendered with the others removed (serving.canonical_request)."""
    return tuple(getattr(settings, "PAGE_CACHE_QUERY_PARAMS", ()))


def canonical_query(query) -> str:
    """`query` (a QueryDict) reduced to the parameters pages read, in a fixed order:
    tracking or junk parameters neither reach the page nor make a new entry."""
    kept = sorted(
        (name, value)
        for name in query_params()
        for value in query.getlist(name)
        if name in query
    )
    return urlencode(kept)


def _variant(request) -> str:
    """What besides the page changes its HTML: site (scheme and host), language,
    path and the query parameters pages read."""
    parts = "|".join(
        (
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            request.path,
            canonical_query(request.GET),
        )
    )
    return hashlib.sha1(parts.encode()).hexdigest()


def response_key(request) -> str:
    return f"pagecache:{_release()}:response:{_variant(request)}"


def body_key(page, request, variant: str = "") -> str:
    """`variant` is what the page says besides the request changes its body (e.g.
    prices that differ for this signed-in shopper)."""
    return (
        f"pagecache:{_release()}:body:{page.pk}:{page.live_revision_id}:"
        f"{_variant(request)}:{variant}"
    )


def valid_until(entry: dict | None, *, known: dict[str, str | None]) -> float | None:
    """Until when `entry` stays valid (None: not now). Tag values already read during
    this request are in `known`; the others are read and added to it."""
    if entry is None or entry["until"] <= versions.now():
        return None
    if missing := [tag for tag in entry["versions"] if tag not in known]:
        known.update(versions.read(missing))
    until = versions.valid_until(entry["versions"], known)
    return None if until is None else min(until, entry["until"])


def is_fresh(entry: dict | None) -> bool:
    return valid_until(entry, known={}) is not None


class _LocalCopies:
    """This process's copies of the entries it served last, each with the CHANGES
    marker read before its tags were last found current and the moment it stops
    being valid by itself. While the marker is the same no tag has changed since,
    so a hit reads two small keys (the marker and the page tree's version) rather
    than a version per product shown. Otherwise a copy goes through the same check
    as the shared entry, so it is never staler than that."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, tuple[dict, str | None, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[dict | None, str | None, float]:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None, None, 0.0
            self._entries.move_to_end(key)
            return found

    def put(self, key: str, entry: dict, checked_at: str | None, until: float) -> None:
        with self._lock:
            self._entries[key] = (entry, checked_at, until)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


local_copies = _LocalCopies(size=256)


def store(
    key: str, html: str, dependencies: Dependencies, checked_at: str, **extra
) -> None:
    """Store an entry; `checked_at` is the CHANGES marker read before any of its
    tags' versions were."""
    t = versions.now()
    timeout = min(settings.PAGE_CACHE_TIMEOUT, dependencies.until - t)
    if timeout < 1:
        return
    entry = {
        "html": html,
        "versions": dict(dependencies.versions),
        "until": t + timeout,
        **extra,
    }
    cache.set(key, entry, int(timeout))
    local_copies.put(key, entry, checked_at, entry["until"])
