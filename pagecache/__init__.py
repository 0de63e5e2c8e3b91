"""A page cache for Wagtail pages whose content reads live data from other apps.

It knows no app's models but Wagtail's. Apps tell it what a render depends on and
when their data changes, with tags (plain strings, helpers in pagecache.tags):

    record(*tags)            during a cached render, before reading the data
    record_until(moment)     the output stops being true at `moment`
    invalidate(*tags)        the data changed: entries depending on it are stale
    invalidate_stock(*tags)  the same, coalesced for counters that change with
                             every order: stale within PAGE_CACHE_STOCK_SECONDS,
                             re-rendered at most once per that window
    register_instance_tags(label, describe)
                             what a page body pointing at such an instance needs

Wagtail's own changes (pages, images, documents, settings) invalidate PAGES by
themselves (wagtail_invalidation.py). Pages opt in through serve_page() and mark
their body with {% cached_page_body %} ({% load page_cache_tags %}).
"""

from .recording import (
    record,
    record_until,
    recording,
    register_instance_tags,
    stream_dependencies,
)
from .serving import HEADER, enabled, serve_page
from .versions import invalidate, invalidate_stock

__all__ = [
    "HEADER",
    "enabled",
    "invalidate",
    "invalidate_stock",
    "record",
    "record_until",
    "recording",
    "register_instance_tags",
    "serve_page",
    "stream_dependencies",
]
