"""Tag versions without a request: precise and coalesced invalidation."""

import ast
import time
from pathlib import Path

import pytest
from django.core.cache import cache

import pagecache
from pagecache import entries, versions
from pagecache.recording import Dependencies, recording_into
from pagecache.tags import PAGES, product_tag, stock_tag


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        offset = 0.0

        def __call__(self):
            return time.time() + self.offset

        def advance(self, seconds):
            self.offset += seconds

    clock = Clock()
    monkeypatch.setattr(versions, "now", clock)
    return clock


@pytest.fixture(autouse=True)
def window(settings):
    settings.PAGE_CACHE_STOCK_SECONDS = 5


def _entry(*tags):
    """An entry as a render that read `tags` stores it."""
    dependencies = Dependencies()
    dependencies.add(tags)
    return {"versions": dependencies.versions, "until": min(dependencies.until, 1e12)}


def test_an_entry_recorded_before_a_change_is_stale_after_it():
    entry = _entry(product_tag(1), PAGES)
    assert entries.is_fresh(entry)

    pagecache.invalidate(product_tag(1))

    assert not entries.is_fresh(entry)


def test_a_flushed_cache_leaves_no_entry_valid():
    entry = _entry(product_tag(1))

    cache.clear()

    assert not entries.is_fresh(entry)


def test_a_stock_change_leaves_entries_valid_until_the_window_ends(clock):
    entry = _entry(stock_tag(1), product_tag(1))

    pagecache.invalidate_stock(stock_tag(1))

    assert entries.is_fresh(entry)
    clock.advance(4.9)
    assert entries.is_fresh(entry)
    clock.advance(0.2)
    assert not entries.is_fresh(entry)


def test_more_stock_changes_within_the_window_do_not_extend_it(clock):
    entry = _entry(stock_tag(1))

    for _ in range(4):
        pagecache.invalidate_stock(stock_tag(1))
        clock.advance(1)

    assert entries.is_fresh(entry)
    clock.advance(1.1)
    assert not entries.is_fresh(entry)


def test_a_render_during_the_window_lasts_until_its_end(clock):
    _entry(stock_tag(1))
    pagecache.invalidate_stock(stock_tag(1))
    clock.advance(2)

    rendered = _entry(stock_tag(1))

    assert rendered["until"] == pytest.approx(versions.now() + 3, abs=0.5)


def test_the_first_render_after_the_window_is_valid_until_the_next_change(clock):
    before = _entry(stock_tag(1))
    pagecache.invalidate_stock(stock_tag(1))
    clock.advance(6)

    after = _entry(stock_tag(1))

    assert not entries.is_fresh(before) and entries.is_fresh(after)
    clock.advance(60)
    assert entries.is_fresh(after)
    pagecache.invalidate_stock(stock_tag(1))
    assert entries.is_fresh(after)
    clock.advance(5.1)
    assert not entries.is_fresh(after)


def test_a_change_after_an_unrendered_window_does_not_revive_old_entries(clock):
    old = _entry(stock_tag(1))
    pagecache.invalidate_stock(stock_tag(1))
    clock.advance(6)  # nobody rendered meanwhile

    pagecache.invalidate_stock(stock_tag(1))

    assert not entries.is_fresh(old)


def test_a_precise_invalidation_of_a_stock_tag_is_immediate():
    entry = _entry(stock_tag(1))
    pagecache.invalidate_stock(stock_tag(1))

    pagecache.invalidate(stock_tag(1))

    assert not entries.is_fresh(entry)


def test_record_until_caps_the_entry_and_ignores_the_past(clock):
    from datetime import UTC, datetime, timedelta

    dependencies = Dependencies()
    soon = datetime.now(UTC) + timedelta(minutes=5)
    with recording_into(dependencies):
        pagecache.record_until(None)
        pagecache.record_until(datetime.now(UTC) - timedelta(minutes=1))
        pagecache.record_until(soon)

    assert dependencies.until == soon.timestamp()


def test_recording_outside_a_render_does_nothing():
    pagecache.record(product_tag(1))
    pagecache.record_until(None)
    assert not pagecache.recording()


def test_the_page_cache_imports_no_shop_code():
    """It caches Wagtail pages; what shop data pages depend on is the shop's."""
    root = Path(pagecache.__file__).parent
    imported = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert not imported & {"oscar", "shop", "home", "search"}
