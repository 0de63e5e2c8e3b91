"""Readiness probes: PostgreSQL, Redis and a Celery worker, each timed.

The worker probe reads a heartbeat a worker writes to Redis from a beat task (and
when it starts), so it proves the whole path (beat → broker → worker) works
without asking workers anything at probe time."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connections

# Probes answer fast or count as down: a hung dependency must not hang the probe.
TIMEOUT_SECONDS = 0.5


@dataclass
class Probe:
    ok: bool
    latency_ms: float
    detail: str = ""

    def as_json(self) -> dict:
        data = {"ok": self.ok, "latency_ms": round(self.latency_ms, 2)}
        if self.detail:
            data["detail"] = self.detail
        return data


def _timed(check: Callable[[], str]) -> Probe:
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except Exception as error:  # noqa: BLE001  any failure means "not ready"
        detail, ok = f"{type(error).__name__}: {error}"[:200], False
    return Probe(
        ok=ok, latency_ms=(time.perf_counter() - started) * 1000, detail=detail
    )


def redis_client() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=TIMEOUT_SECONDS,
        socket_timeout=TIMEOUT_SECONDS,
    )


def heartbeat_key() -> str:
    return f"{settings.CELERY_TASK_DEFAULT_QUEUE}:worker-heartbeat"


def heartbeat_write() -> None:
    client = redis_client()
    if client is None:
        return
    with client:
        client.set(
            heartbeat_key(),
            repr(time.time()),
            ex=settings.CELERY_HEARTBEAT_MAX_AGE * 2,
        )


def _database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ""


def _redis() -> str:
    client = redis_client()
    if client is None:
        return "not configured (local-memory cache, inline Celery)"
    with client:
        client.ping()
    return ""


def _celery_worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "tasks run inline"
    client = redis_client()
    with client:
        beat = client.get(heartbeat_key())
    if beat is None:
        raise RuntimeError("no worker heartbeat")
    age = time.time() - float(beat)
    if age > settings.CELERY_HEARTBEAT_MAX_AGE:
        raise RuntimeError(f"last worker heartbeat {age:.0f} s ago")
    return f"heartbeat {age:.0f} s ago"


PROBES = {"database": _database, "redis": _redis, "celery": _celery_worker}


def probes_run() -> dict[str, Probe]:
    return {name: _timed(check) for name, check in PROBES.items()}
