"""A page cache for the shop's Wagtail pages that stays correct while Oscar's prices,
stock and offers move underneath it.

One render fills two layers:

- The *body* layer keeps the expensive part of a page (its blocks and product tiles)
  for every shopper. The chrome around it (basket badge, messages, Wagtail's user bar)
  is rendered for each request, so logged-in shoppers and shoppers with a basket get
  their own.
- The *response* layer keeps the whole page for requests whose chrome is the same for
  everyone asking for that URL: anonymous, no basket cookie, no pending messages.
  `PageCacheMiddleware` answers those before Wagtail routes the request: a hit costs
  one cache round trip and no SQL.

The one per-shopper thing inside cached HTML is the CSRF token: pages render with a
sentinel in its place, and each response swaps in the shopper's own `get_token()`.

Correctness comes from dependency tags. While a body renders it records what it
depends on (the page tree, each product its tiles show, the categories and ranges of
rule grids, offers, vouchers). Each tag has a version in the cache; an entry stays
valid while all its tags keep the versions read *before* the data they guard was
read, so a change that lands mid-render still invalidates what it stored. Writes
call `invalidate()` (page_cache_invalidation.py says which write bumps which tag).
Things that change by the clock (site offers starting or ending, offer banners,
vouchers, campaign expiry) cap an entry's lifetime at their next boundary.

Not covered: the instances a body's blocks point at directly (link targets, category
strips, offer banners, vouchers) are read a moment before their tags' versions, so a
change committing in that instant can show late, for at most PAGE_CACHE_TIMEOUT.
"""

import hashlib
import math
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache as memoize
from functools import partial
from importlib.metadata import version

from django.conf import settings
from django.contrib import messages
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import models, transaction
from django.db.models import Min, Q
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from oscar.core.loading import get_model
from wagtail.blocks import StreamValue

# Letters and digits only, so HTML escaping leaves it intact wherever it lands.
CSRF_SENTINEL = "pagecacheCSRFtoken7f3a9c1e5b"

# Tags shared by many pages. Per-object tags come from the helpers below.
PAGES = "pages"  # the page tree, sites, images, documents, view restrictions
OFFERS = "offers"  # offers, their conditions, benefits and ranges (with members)
CATEGORIES = "categories"  # the category tree: names, images, slugs, visibility
CATALOGUE = "catalogue"  # any product's data (range rule grids list by it)

# Not a dependency: changes whenever any tag does (see _LocalCopies).
CHANGES = "changes"

HEADER = "X-Page-Cache"


def product_tag(pk) -> str:
    return f"product:{pk}"


def category_tag(path: str) -> str:
    """Rule grids over a category depend on its products and its subcategories'
    products: tagged by materialised path, a change bumps each ancestor's prefix."""
    return f"category:{path}"


def voucher_tag(pk) -> str:
    return f"voucher:{pk}"


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


# --- Tag versions -------------------------------------------------------------------


def _tag_key(tag: str) -> str:
    return f"pagecache:tag:{tag}"


def _redis():
    """Django's default cache and, when that is Redis, the redis-py client behind it
    (one per cache backend: Django builds a client object for every operation)."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return backend, None
    client = _redis_clients.get(backend)
    if client is None:
        client = _redis_clients[backend] = backend._cache.get_client(write=True)
    return backend, client


_redis_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_versions(tags: Iterable[str]) -> dict[str, str | None]:
    """The current version of each tag (None: it has none).

    Every hit reads a version per product its page shows. On Redis that is one MGET;
    Django's get_many would spend several times the round trip's cost on per-key
    checks and unpickling. Other caches (local memory in development and tests) go
    through the cache API."""
    tags = list(tags)
    if not tags:
        return {}
    backend, client = _redis()
    if client is None:
        found = backend.get_many([_tag_key(tag) for tag in tags])
        return {tag: found.get(_tag_key(tag)) for tag in tags}
    values = client.mget([backend.make_key(_tag_key(tag)) for tag in tags])
    # latin-1 reads any bytes: a value written some other way is just a version no
    # entry holds.
    return {
        tag: v.decode("latin-1") if v else None
        for tag, v in zip(tags, values, strict=True)
    }


def _write_versions(versions: dict[str, str]) -> None:
    # Random versions, not counters: if the cache loses a tag, its version reads as
    # None, which no entry holds, while a counter starting over could repeat one.
    backend, client = _redis()
    if client is None:
        backend.set_many({_tag_key(t): v for t, v in versions.items()}, timeout=None)
    else:
        client.mset({backend.make_key(_tag_key(t)): v for t, v in versions.items()})


def _bump(tags: Iterable[str]) -> None:
    # The tags first, then the changes marker (one MSET on Redis: both at once).
    versions = {tag: uuid.uuid4().hex for tag in tags}
    _write_versions({**versions, CHANGES: uuid.uuid4().hex})


def invalidate(*tags: str) -> None:
    """Give `tags` new versions: now, and again once the surrounding transaction
    commits. The first bump lets this connection (and tests, which never commit) see
    the change at once; the second beats the race where another request renders from
    the not yet committed rows and stores its page under the first bump's version."""
    tags = set(tags)
    if not tags:
        return
    _bump(tags)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(_bump, tags), robust=True)


def _current_versions(tags: Iterable[str]) -> dict[str, str]:
    """The versions of `tags` now. A tag without one gets one, so no entry is ever
    stored against "no version", which a cache flush or eviction would bring back."""
    versions = _read_versions(tags)
    if missing := {tag: uuid.uuid4().hex for tag, v in versions.items() if v is None}:
        _write_versions(missing)
        versions.update(missing)
    return versions


# --- What a render depends on ---------------------------------------------------------


@dataclass
class Dependencies:
    """Tags with the versions they had when first recorded, and the moment (epoch
    seconds) the output stops being true by itself."""

    versions: dict[str, str] = field(default_factory=dict)
    until: float = math.inf

    def add(self, tags: Iterable[str]) -> None:
        if new := [tag for tag in tags if tag not in self.versions]:
            self.versions.update(_current_versions(new))

    def add_boundaries(self, moments: Iterable[datetime | None]) -> None:
        now = time.time()
        for moment in moments:
            if moment is not None and (at := moment.timestamp()) > now:
                self.until = min(self.until, at)

    def adopt(self, entry: dict) -> None:
        """Take on a valid cached body's dependencies (for the response around it)."""
        for tag, seen in entry["versions"].items():
            if self.versions.setdefault(tag, seen) != seen:
                self.versions[tag] = "changed meanwhile"  # matches no real version
        self.until = min(self.until, entry["until"])


_recording: ContextVar[Dependencies | None] = ContextVar(
    "page_cache_recording", default=None
)


def record(*tags: str) -> None:
    """Note that the body being rendered depends on `tags`. Call it before reading
    the data they guard. Outside a cached render it does nothing."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add(tags)


def record_until(*moments: datetime | None) -> None:
    """Note that the body being rendered stops being true by itself at the first of
    `moments` (e.g. when held stock comes back). Outside a cached render it does
    nothing."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add_boundaries(moments)


def record_site_offers() -> None:
    """Note that the body prices tiles with the site offers open now: it depends on
    the offers, and changes by itself when the next one starts or ends. Call it
    before reading the offers."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add([OFFERS])
        dependencies.add_boundaries(site_offer_boundaries())


def site_offer_boundaries() -> list[datetime | None]:
    """The next start and the next end of an open site offer, as site_offers_at()
    (shop/offer_prices.py) chooses them."""
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    now = timezone.now()
    found = ConditionalOffer.objects.filter(
        offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN
    ).aggregate(
        start=Min("start_datetime", filter=Q(start_datetime__gt=now)),
        end=Min("end_datetime", filter=Q(end_datetime__gte=now)),
    )
    return [found["start"], found["end"]]


@contextmanager
def _recording_into(dependencies: Dependencies) -> Iterator[None]:
    token = _recording.set(dependencies)
    try:
        yield
    finally:
        _recording.reset(token)


def _objects_in(value) -> Iterator[models.Model]:
    """The model instances a StreamField value points at, at any depth."""
    if isinstance(value, models.Model):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from _objects_in(child.value)
    elif isinstance(value, dict):  # StructValue
        for item in value.values():
            yield from _objects_in(item)
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        for item in value:  # ListValue
            yield from _objects_in(item)


def stream_dependencies(body) -> tuple[set[str], list[datetime | None]]:
    """Tags and time boundaries for what a page body shows besides product tiles
    (which product_tiles records itself): link targets, category strips, offer
    banners, vouchers. Pages, images and documents fall under PAGES."""
    tags, moments = set(), []
    for obj in _objects_in(body):
        label = obj._meta.label_lower
        if label == "catalogue.product":
            tags.add(product_tag(obj.pk))
        elif label == "catalogue.category":
            tags.add(CATEGORIES)
        elif label == "offer.range":
            tags.add(OFFERS)
        elif label == "offer.conditionaloffer":
            tags.add(OFFERS)
            moments += [obj.start_datetime, obj.end_datetime]
        elif label == "voucher.voucher":
            tags.add(voucher_tag(obj.pk))
            moments += [obj.start_datetime, obj.end_datetime]
    return tags, moments


# --- Cache entries --------------------------------------------------------------------


@memoize
def _release() -> str:
    """Entries belong to one release: a deploy that changes templates, static files,
    translations or our code must not serve HTML rendered by the previous one."""
    digest = hashlib.sha1()
    for package in ("django", "wagtail", "django-oscar"):
        digest.update(version(package).encode())
    suffixes = {".html", ".css", ".js", ".mo", ".py"}
    for folder in ("templates", "static", "locale", "home", "shop"):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in suffixes and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _variant(request) -> str:
    """What besides the page changes its HTML: site (host and scheme), language, and
    the full path (the search box and forms' `next` echo the query string)."""
    parts = "|".join(
        (
            request.scheme,
            request.get_host(),
            translation.get_language() or "",
            request.get_full_path(),
        )
    )
    return hashlib.sha1(parts.encode()).hexdigest()


def response_key(request) -> str:
    return f"pagecache:{_release()}:response:{_variant(request)}"


def body_key(page, request) -> str:
    return (
        f"pagecache:{_release()}:body:{page.pk}:{page.live_revision_id}:"
        f"{_variant(request)}"
    )


def is_fresh(entry: dict | None, *, known: dict[str, str | None] | None = None) -> bool:
    """Whether every tag of `entry` still has the version it was stored under. Tags
    in `known` were read already during this request."""
    if entry is None or entry["until"] <= time.time():
        return False
    known = known or {}
    current = _read_versions(tag for tag in entry["versions"] if tag not in known)
    return all(
        (known[tag] if tag in known else current[tag]) == seen
        for tag, seen in entry["versions"].items()
    )


class _LocalCopies:
    """This process's copies of the entries it served last, each with the CHANGES
    marker read before its tags were last found current. While the marker is the
    same no tag has changed since, so a hit reads two small keys (the marker and the
    page tree's version) rather than a version per product shown and the page.
    Otherwise a copy goes through the same check as the shared entry, so it is never
    staler than that."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[str, tuple[dict, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[dict | None, str | None]:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None, None
            self._entries.move_to_end(key)
            return found

    def put(self, key: str, entry: dict, checked_at: str | None) -> None:
        with self._lock:
            self._entries[key] = (entry, checked_at)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


_local = _LocalCopies(size=256)


def _store(
    key: str, html: str, dependencies: Dependencies, checked_at: str, **extra
) -> None:
    """Store an entry; `checked_at` is the CHANGES marker read before any of its
    tags' versions were."""
    now = time.time()
    timeout = min(settings.PAGE_CACHE_TIMEOUT, dependencies.until - now)
    if timeout < 1:
        return
    entry = {
        "html": html,
        "versions": dict(dependencies.versions),
        "until": now + timeout,
        **extra,
    }
    cache.set(key, entry, int(timeout))
    _local.put(key, entry, checked_at)


# --- Serving ------------------------------------------------------------------------


def request_is_cacheable(request) -> bool:
    """Only GETs of published pages; Wagtail previews render drafts."""
    return (
        enabled()
        and request.method == "GET"
        and not getattr(request, "is_preview", False)
    )


def chrome_is_shared(request) -> bool:
    """Whether everything around the body is the same for every such request: no
    user (user bar, account links), no basket (badge count), no messages."""
    if request.user.is_authenticated:
        return False
    if settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES:
        return False
    return not (hasattr(request, "_messages") and len(messages.get_messages(request)))


class PageRequest:
    """The cache's state for one page request."""

    def __init__(self, request):
        self.response_key = response_key(request) if chrome_is_shared(request) else None
        # Read before Wagtail routing loads the page: the page tree's version (so a
        # publish that commits meanwhile invalidates what this request stores) and
        # the changes marker (whether this process's copies are still current).
        self.seen = _read_versions([PAGES, CHANGES])
        if missing := [tag for tag, version in self.seen.items() if version is None]:
            self.seen.update(_current_versions(missing))
        self.dependencies = Dependencies(versions={PAGES: self.seen[PAGES]})
        self.body_key: str | None = None
        self.page = None
        self.body_ready = False
        self.outcome = "miss"

    @classmethod
    def of(cls, request) -> "PageRequest":
        if not hasattr(request, "_page_cache"):
            request._page_cache = cls(request)
        return request._page_cache

    def lookup(self, key: str) -> dict | None:
        """A valid entry for `key`: this process's copy, else the shared one."""
        changes = self.seen[CHANGES]
        local, checked_at = _local.get(key)
        if local is not None and local["until"] > time.time():
            if checked_at == changes:
                return local
            if self.is_fresh(local):
                _local.put(key, local, changes)
                return local
        shared = cache.get(key)
        if shared is None or not self.is_fresh(shared):
            return None
        _local.put(key, shared, changes)
        return shared

    def is_fresh(self, entry: dict | None) -> bool:
        if entry is not None:
            others = [tag for tag in entry["versions"] if tag not in self.seen]
            self.seen.update(_read_versions(others))
        return is_fresh(entry, known=self.seen)


def _with_token(html: str, request) -> str:
    if CSRF_SENTINEL not in html:
        return html
    return html.replace(CSRF_SENTINEL, get_token(request))


class PageCacheMiddleware:
    """Answers requests for cached pages before Wagtail routes them (process_view:
    only for Wagtail's serve view, after Django's own middleware has run)."""

    def __init__(self, get_response):
        from wagtail.views import serve  # not at import: it loads models

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.wagtail_serve or not request_is_cacheable(request):
            return None
        state = PageRequest.of(request)
        if state.response_key is None:
            return None
        entry = state.lookup(state.response_key)
        if entry is None:
            return None
        response = HttpResponse(
            _with_token(entry["html"], request), content_type=entry["content_type"]
        )
        response[HEADER] = "hit"
        return response


def serve_page(page, request, serve: Callable[[], HttpResponse]) -> HttpResponse:
    """Serve `page` through the cache: `serve()` is Wagtail's own Page.serve. Its
    template marks the body with {% cached_page_body %}."""
    if not request_is_cacheable(request):
        return serve()
    state = PageRequest.of(request)
    state.page = page
    state.body_key = body_key(page, request)
    response = serve()
    if not isinstance(response, SimpleTemplateResponse) or response.is_rendered:
        return response
    response.context_data["csrf_token"] = CSRF_SENTINEL
    response.add_post_render_callback(partial(_finish, request, state))
    return response


def _finish(request, state: PageRequest, response) -> None:
    html = response.content.decode(response.charset)
    if (
        state.response_key
        and state.body_ready
        and response.status_code == 200
        # Wagtail checks view restrictions per request; a cached response skips that.
        and not state.page.get_view_restrictions().exists()
    ):
        _store(
            state.response_key,
            html,
            state.dependencies,
            checked_at=state.seen[CHANGES],
            content_type=response["Content-Type"],
        )
    response.content = _with_token(html, request)
    response[HEADER] = state.outcome


def body_html(request, render: Callable[[], str]) -> str:
    """The page body: from the body layer, or rendered by `render()` while recording
    what it depends on, then stored."""
    state = getattr(request, "_page_cache", None)
    if state is None or state.body_key is None:
        return render()
    entry = state.lookup(state.body_key)
    if entry is not None:
        state.dependencies.adopt(entry)
        state.body_ready, state.outcome = True, "body"
        return mark_safe(entry["html"])  # noqa: S308  our own rendered template output
    dependencies = state.dependencies
    tags, moments = stream_dependencies(state.page.body)
    dependencies.add(tags)
    dependencies.add_boundaries([*moments, getattr(state.page, "expire_at", None)])
    with _recording_into(dependencies):
        html = render()
    _store(state.body_key, html, dependencies, checked_at=state.seen[CHANGES])
    state.body_ready = True
    return html
