"""What a render depends on: the tags it recorded (with the versions they had before
the data they guard was read) and the moment its output stops being true."""

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

from . import versions


@dataclass
class Dependencies:
    versions: dict[str, str] = field(default_factory=dict)
    until: float = math.inf  # epoch seconds

    def add(self, tags: Iterable[str]) -> None:
        if new := [tag for tag in tags if tag not in self.versions]:
            found, until = versions.settle(new)
            self.versions.update(found)
            self.until = min(self.until, until)

    def add_boundaries(self, moments: Iterable[datetime | None]) -> None:
        t = versions.now()
        for moment in moments:
            if moment is not None and (at := moment.timestamp()) > t:
                self.until = min(self.until, at)

    def adopt(self, entry: dict) -> None:
        """Take on a valid cached body's dependencies (for the response around it)."""
        for tag, seen in entry["versions"].items():
            if self.versions.setdefault(tag, seen) != seen:
                self.versions[tag] = "changed meanwhile"  # matches no real version
        self.until = min(self.until, entry["until"])


_recording: ContextVar[Dependencies | None] = ContextVar(
    "pagecache_recording", default=None
)


def record(*tags: str) -> None:
    """Note that the output being rendered depends on `tags`. Call it before reading
    the data they guard. Outside a cached render it does nothing."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add(tags)


def record_until(moment: datetime | None) -> None:
    """Note that the output being rendered stops being true at `moment` (a start or
    end of something it shows). Past moments and None change nothing."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add_boundaries([moment])


def recording() -> bool:
    """Whether a cached render is under way (so callers can skip work that only
    finds tags)."""
    return _recording.get() is not None


@contextmanager
def recording_into(dependencies: Dependencies) -> Iterator[None]:
    token = _recording.set(dependencies)
    try:
        yield
    finally:
        _recording.reset(token)


# --- Instances a page's StreamField points at ---------------------------------------

InstanceTags = Callable[[models.Model], tuple[Iterable[str], Iterable[datetime | None]]]
_instance_tags: dict[str, InstanceTags] = {}


def register_instance_tags(label: str, describe: InstanceTags) -> None:
    """Say what a page showing an instance of the model `label` ("app.model") depends
    on: `describe(instance)` returns (tags, moments). The app owning the model
    registers it; the page cache knows no models but Wagtail's."""
    _instance_tags[label.lower()] = describe


def _objects_in(value) -> Iterator[models.Model]:
    """The model instances a StreamField value points at, at any depth."""
    from wagtail.blocks import StreamValue

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
    """Tags and time boundaries for the instances a page body points at (link
    targets, category strips, offer banners, vouchers). Pages, images and documents
    need none of their own: every cached page depends on PAGES."""
    tags, moments = set(), []
    for obj in _objects_in(body):
        describe = _instance_tags.get(obj._meta.label_lower)
        if describe is not None:
            found, when = describe(obj)
            tags.update(found)
            moments.extend(when)
    return tags, moments
