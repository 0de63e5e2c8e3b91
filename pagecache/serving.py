"""Serving Wagtail pages through the cache.

One render fills two layers:

- The *body* layer keeps the expensive part of a page (what its template wraps in
  {% cached_page_body %}) for every visitor. The chrome around it (basket badge,
  messages, Wagtail's user bar) is rendered for each request, so signed-in visitors
  and visitors with a private cookie get their own.
- The *response* layer keeps the whole page for requests whose chrome is the same
  for everyone asking for that URL: anonymous, no private cookie
  (PAGE_CACHE_PRIVATE_COOKIES), no pending messages. `PageCacheMiddleware` answers
  those before Wagtail routes the request: a hit costs one cache round trip, no SQL.

The one per-visitor thing inside cached HTML is the CSRF token: pages render with a
sentinel in its place, and each response swaps in the visitor's own `get_token()`.

A cacheable request is rendered with only the query parameters pages read
(PAGE_CACHE_QUERY_PARAMS): a tracking parameter can neither show up in the HTML
(forms' `next`, the search box) nor add an entry.
"""

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.safestring import mark_safe

from . import versions
from .entries import (
    body_key,
    canonical_query,
    local_copies,
    response_key,
    store,
    valid_until,
)
from .recording import Dependencies, recording_into, stream_dependencies
from .tags import CHANGES, PAGES

# Letters and digits only, so HTML escaping leaves it intact wherever it lands.
CSRF_SENTINEL = "pagecacheCSRFtoken7f3a9c1e5b"

HEADER = "X-Page-Cache"


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def request_is_cacheable(request) -> bool:
    """Only GETs of published pages; Wagtail previews render drafts."""
    return (
        enabled()
        and request.method == "GET"
        and not getattr(request, "is_preview", False)
    )


def chrome_is_shared(request) -> bool:
    """Whether everything around the body is the same for every such request: no
    user (user bar, account links), no private cookie (a basket's badge count), no
    messages."""
    if request.user.is_authenticated:
        return False
    private = getattr(settings, "PAGE_CACHE_PRIVATE_COOKIES", ())
    if any(name in request.COOKIES for name in private):
        return False
    return not (hasattr(request, "_messages") and len(messages.get_messages(request)))


def canonical_request(request) -> None:
    """Drop the query parameters pages don't read, before anything renders."""
    query = canonical_query(request.GET)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


class PageRequest:
    """The cache's state for one page request."""

    def __init__(self, request):
        canonical_request(request)
        self.response_key = response_key(request) if chrome_is_shared(request) else None
        # Read before Wagtail routing loads the page: the page tree's version (so a
        # publish that commits meanwhile invalidates what this request stores) and
        # the changes marker (whether this process's copies are still current).
        self.seen = versions.read([PAGES, CHANGES])
        if missing := [tag for tag, version in self.seen.items() if version is None]:
            self.seen.update(versions.settle(missing)[0])
        pages = versions.parse(self.seen[PAGES])[0]  # never dirty: always invalidate()d
        self.dependencies = Dependencies(versions={PAGES: pages})
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
        changes, t = self.seen[CHANGES], versions.now()
        local, checked_at, until = local_copies.get(key)
        if local is not None and until > t:
            if checked_at == changes:
                return local
            if (until := valid_until(local, known=self.seen)) is not None:
                local_copies.put(key, local, changes, until)
                return local
        shared = cache.get(key)
        if shared is None:
            return None
        until = valid_until(shared, known=self.seen)
        if until is None:
            return None
        local_copies.put(key, shared, changes, until)
        return shared


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
        request.wagtail_page_id = entry.get("page_id")
        return response


def serve_page(
    page, request, serve: Callable[[], HttpResponse], *, variant: str = ""
) -> HttpResponse:
    """Serve `page` through the cache: `serve()` is Wagtail's own Page.serve. Its
    template marks the body with {% cached_page_body %}. Bodies are kept per
    `variant` (see entries.body_key); whole responses only for anonymous shoppers.
    `request.wagtail_page_id` says which page answered, on a hit too (analytics)."""
    request.wagtail_page_id = page.pk
    if not request_is_cacheable(request):
        return serve()
    state = PageRequest.of(request)
    state.page = page
    state.body_key = body_key(page, request, variant)
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
        store(
            state.response_key,
            html,
            state.dependencies,
            checked_at=state.seen[CHANGES],
            content_type=response["Content-Type"],
            page_id=state.page.pk,
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
    tags, moments = stream_dependencies(getattr(state.page, "body", None))
    dependencies.add(tags)
    dependencies.add_boundaries([*moments, getattr(state.page, "expire_at", None)])
    with recording_into(dependencies):
        html = render()
    store(state.body_key, html, dependencies, checked_at=state.seen[CHANGES])
    state.body_ready = True
    return html
