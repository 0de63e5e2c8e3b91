"""A page cache for the shop's Wagtail pages that stays correct while Oscar's prices,
stock and offers move underneath it.

One render fills two layers:

- The *body* layer keeps the expensive part of a page (its blocks and product tiles)
  for every shopper. The chrome around it (basket badge, messages, Wagtail's user bar)
  is rendered for each request, so logged-in shoppers and shoppers with a basket get
  their own.
- The *response* layer keeps the whole page for requests whose chrome is the same for
  everyone asking for that URL: anonymous, no basket cookie, no pending messages.
  `PageCacheMiddleware` answers those before Wagtail routes the request, so a hit
  costs no page queries at all.

The one per-shopper thing inside cached HTML is the CSRF token: pages render with a
sentinel in its place, and each response swaps in the shopper's own `get_token()`.

Correctness comes from dependency tags. While a body renders it records what it
depends on (the page tree, each product its tiles show, the categories and ranges of
rule grids, offer banners, vouchers). Each tag has a version in the cache; an entry
stays valid while all its tags keep the versions read *before* the data they guard
was read, so a change that lands mid-render still invalidates what it stored.
Writes call `invalidate()` (see page_cache_invalidation.py). Things that change by the
clock (campaign expiry, voucher and offer banner windows) cap an entry's lifetime.
The open site offers, which every tile's price follows, are re-read on each hit of a
page with tiles (one small query), so an offer starting, ending or being edited shows
at once, whether or not the write sent a signal.
"""

import hashlib
import math
import time
import uuid
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
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.blocks import StreamValue

from shop.offer_prices import site_offers_at

# Letters and digits only, so HTML escaping leaves it intact wherever it lands.
CSRF_SENTINEL = "pagecacheCSRFtoken7f3a9c1e5b"

# Tags shared by many pages. Per-object tags come from the helpers below.
PAGES = "pages"  # the page tree, sites, images, documents, view restrictions
OFFERS = "offers"  # offers as offer banners show them
RANGES = "ranges"  # which products ranges hold: offer prices, range rule grids
CATEGORIES = "categories"  # the category tree: names, images, slugs, visibility
CATALOGUE = "catalogue"  # any product's data (range rule grids list by it)

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


def _bump(tags: Iterable[str]) -> None:
    # A random version, not a counter: if the cache evicts a tag, its version reads
    # as None, which no stored entry holds, and a counter restarting could repeat one.
    cache.set_many({_tag_key(tag): uuid.uuid4().hex for tag in tags}, timeout=None)


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


# --- What a render depends on ---------------------------------------------------------


@dataclass
class Dependencies:
    """Tags with the versions they had when first recorded, and the moment (epoch
    seconds) the output stops being true by itself."""

    versions: dict[str, str | None] = field(default_factory=dict)
    until: float = math.inf
    offers: str | None = None  # fingerprint of the open site offers, if tiles use them

    def add(self, tags: Iterable[str]) -> None:
        new = [tag for tag in tags if tag not in self.versions]
        if new:
            found = cache.get_many([_tag_key(tag) for tag in new])
            for tag in new:
                self.versions[tag] = found.get(_tag_key(tag))

    def add_boundaries(self, moments: Iterable[datetime | None]) -> None:
        now = time.time()
        for moment in moments:
            if moment is not None and (at := moment.timestamp()) > now:
                self.until = min(self.until, at)

    def adopt(self, entry: dict) -> None:
        """Take on a valid cached body's dependencies (for the response around it)."""
        for tag, seen in entry["versions"].items():
            if self.versions.setdefault(tag, seen) != seen:
                self.versions[tag] = "changed-meanwhile"  # matches no real version
        self.until = min(self.until, entry["until"])
        self.offers = self.offers or entry.get("offers")


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
    """Note moments at which the body being rendered changes by itself."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add_boundaries(moments)


@contextmanager
def _recording_into(dependencies: Dependencies) -> Iterator[None]:
    token = _recording.set(dependencies)
    try:
        yield
    finally:
        _recording.reset(token)


def offers_fingerprint(offers: Iterable) -> str:
    """The terms of `offers` that a tile's price follows."""
    terms = [
        (
            offer.pk,
            offer.priority,
            offer.start_datetime,
            offer.end_datetime,
            offer.max_discount,
            offer.condition.type,
            offer.condition.value,
            offer.condition.range_id,
            offer.benefit.type,
            offer.benefit.value,
            offer.benefit.range_id,
        )
        for offer in offers
    ]
    return hashlib.sha1(repr(terms).encode()).hexdigest()


def record_site_offers(offers: Iterable) -> None:
    """Note that the body prices tiles with `offers`, the site offers open now. A hit
    re-reads them (one small query) rather than trusting timers and signals, so an
    offer starting, ending or edited by any means shows on the next request."""
    dependencies = _recording.get()
    if dependencies is not None:
        seen = offers_fingerprint(offers)
        if dependencies.offers not in (None, seen):
            seen = "changed-meanwhile"
        dependencies.offers = seen


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
            tags.add(RANGES)
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
    for folder in ("templates", "static", "locale", "home", "shop"):
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and path.suffix in {
                ".html",
                ".css",
                ".js",
                ".mo",
                ".py",
            }:
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


def _is_fresh(entry: dict | None, state: "PageRequest") -> bool:
    if entry is None or entry["until"] <= time.time():
        return False
    versions = entry["versions"]
    current = cache.get_many([_tag_key(tag) for tag in versions])
    if any(current.get(_tag_key(tag)) != seen for tag, seen in versions.items()):
        return False
    return entry.get("offers") is None or entry["offers"] == state.site_offers()


def _store(key: str, html: str, dependencies: Dependencies, **extra) -> None:
    now = time.time()
    timeout = min(settings.PAGE_CACHE_TIMEOUT, dependencies.until - now)
    if timeout < 1:
        return
    cache.set(
        key,
        {
            "html": html,
            "versions": dict(dependencies.versions),
            "until": now + timeout,
            "offers": dependencies.offers,
            **extra,
        },
        int(timeout),
    )


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
        self.dependencies = Dependencies()
        # Read before Wagtail routing loads the page, so a publish that commits
        # meanwhile invalidates what this request stores.
        self.dependencies.add([PAGES])
        self.response_key = response_key(request) if chrome_is_shared(request) else None
        self.body_key: str | None = None
        self.page = None
        self.body_ready = False
        self.outcome = "miss"
        self._site_offers: str | None = None

    @classmethod
    def of(cls, request) -> "PageRequest":
        if not hasattr(request, "_page_cache"):
            request._page_cache = cls(request)
        return request._page_cache

    def site_offers(self) -> str:
        if self._site_offers is None:
            self._site_offers = offers_fingerprint(site_offers_at())
        return self._site_offers


def _with_token(html: str, request) -> str:
    return (
        html.replace(CSRF_SENTINEL, get_token(request))
        if CSRF_SENTINEL in html
        else html
    )


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
        entry = cache.get(state.response_key)
        if not _is_fresh(entry, state):
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
    entry = cache.get(state.body_key)
    if _is_fresh(entry, state):
        state.dependencies.adopt(entry)
        state.body_ready, state.outcome = True, "body"
        return mark_safe(entry["html"])  # noqa: S308  our own rendered template output
    dependencies = state.dependencies
    tags, moments = stream_dependencies(state.page.body)
    dependencies.add(tags)
    dependencies.add_boundaries([*moments, getattr(state.page, "expire_at", None)])
    with _recording_into(dependencies):
        html = render()
    _store(state.body_key, html, dependencies)
    state.body_ready = True
    return html
