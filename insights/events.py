"""Raw events: pushed to a Redis list as they happen (one round trip, no SQL), and
written to PostgreSQL in batches by a Celery task (`events_drain`). Without Redis
(the demo) they wait in this process's memory instead."""

import json
import logging
import threading
from collections import deque
from decimal import Decimal

import redis
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Event
from .tracking import Visit, enabled

logger = logging.getLogger(__name__)

BATCH = 1000
_FIELDS = {field.name for field in Event._meta.fields} - {"id"}
_local = deque()
_client_lock = threading.Lock()
_client: redis.Redis | None = None


def _buffer_key() -> str:
    return f"{settings.CELERY_TASK_DEFAULT_QUEUE}:insights-events"


def _redis() -> redis.Redis | None:
    global _client
    if not settings.REDIS_URL:
        return None
    with _client_lock:
        if _client is None:
            _client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
            )
        return _client


def _encode(fields: dict) -> str:
    return json.dumps(fields, default=str, separators=(",", ":"))


def events_push(events: list[dict]) -> None:
    """Queue events (dicts of Event fields). Analytics never breaks a page: a Redis
    failure loses the events and is logged."""
    if not events or not enabled():
        return
    now = timezone.now().isoformat()
    encoded = [_encode({"at": now, **event}) for event in events]
    client = _redis()
    if client is None:
        _local.extend(encoded)
        return
    try:
        client.rpush(_buffer_key(), *encoded)
    except redis.RedisError:
        logger.warning("analytics events lost: Redis unavailable", exc_info=True)


def visit_event(visit: Visit, kind: str, **fields) -> dict:
    visit.recorded = True
    return {
        "kind": kind,
        "session_id": visit.session_id,
        **visit.landing_fields(),
        **fields,
    }


def _take(count: int) -> list[str]:
    client = _redis()
    if client is None:
        taken = []
        while _local and len(taken) < count:
            taken.append(_local.popleft())
        return taken
    key = _buffer_key()
    pipe = client.pipeline()
    pipe.lrange(key, 0, count - 1)
    pipe.ltrim(key, count, -1)
    return [item.decode() for item in pipe.execute()[0]]


def _decode(raw: str) -> Event | None:
    try:
        data = json.loads(raw)
        fields = {name: value for name, value in data.items() if name in _FIELDS}
        at = parse_datetime(fields.pop("at"))
        if "amount" in fields:
            fields["amount"] = Decimal(str(fields["amount"]))
        event = Event(at=at, **fields)
        event.clean_fields()
        return event
    except (ValidationError, ValueError, TypeError, KeyError, ArithmeticError):
        logger.warning("dropping a malformed analytics event: %.200s", raw)
        return None


def _put_back(raw: list[str]) -> None:
    client = _redis()
    if client is None:
        _local.extendleft(reversed(raw))
    else:
        client.lpush(_buffer_key(), *reversed(raw))


def events_drain(*, batch: int = BATCH) -> int:
    """Move queued events into the database, a batch per transaction; returns how
    many were written. Taken off the list in the same step that reads them (a
    MULTI of LRANGE and LTRIM), so two drains never write one event twice."""
    written = 0
    while raw := _take(batch):
        rows = [event for item in raw if (event := _decode(item)) is not None]
        try:
            with transaction.atomic():
                Event.objects.bulk_create(rows)
        except Exception:
            _put_back(raw)
            raise
        written += len(rows)
        if len(raw) < batch:
            break
    return written
