"""Prometheus metrics.

Per-process metrics (request latency, SQL, page cache) are observed in memory and
cost no I/O; under gunicorn set PROMETHEUS_MULTIPROC_DIR so a scrape sums every
worker process. Business figures are read when scraped, from the database and
Redis, so they are the same whichever process answers and survive restarts."""

import os
import time

from django.db.backends.signals import connection_created
from django.db.models import F, Q
from django.utils import timezone
from oscar.core.loading import get_model
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from . import counters

REQUEST_SECONDS = Histogram(
    "mallard_http_request_duration_seconds",
    "Time to answer a request, by view and status",
    ["method", "view", "status"],
)
SQL_SECONDS = Histogram(
    "mallard_db_query_duration_seconds",
    "Time per SQL statement, by database alias",
    ["alias"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
PAGE_CACHE = Counter(
    "mallard_page_cache_responses",
    "Wagtail page responses by page-cache outcome (hit, body, miss)",
    ["outcome"],
)


def _timed_sql(alias):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            SQL_SECONDS.labels(alias).observe(time.perf_counter() - started)

    wrapper.mallard_metrics = True
    return wrapper


def _on_connection(sender, connection, **kwargs):
    if not any(
        getattr(w, "mallard_metrics", False) for w in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_timed_sql(connection.alias))


def connect() -> None:
    connection_created.connect(_on_connection, weak=False)


class BusinessCollector:
    """Figures operators watch, read at scrape time."""

    def collect(self):
        Order = get_model("order", "Order")
        StockRecord = get_model("partner", "StockRecord")
        GatewayEvent = get_model("checkout", "GatewayEvent")

        orders = CounterMetricFamily(
            "mallard_orders_placed", "Orders placed (every channel)"
        )
        orders.add_metric([], Order.objects.count())
        yield orders

        counted = counters.counter_values()
        failures = CounterMetricFamily(
            "mallard_payment_failures", "Payments the gateway declined"
        )
        failures.add_metric([], counted[counters.PAYMENT_FAILURES])
        yield failures
        expired = CounterMetricFamily(
            "mallard_reservations_expired",
            "Stock reservations released because the shopper did not pay in time",
        )
        expired.add_metric([], counted[counters.RESERVATIONS_EXPIRED])
        yield expired

        oldest = (
            GatewayEvent.objects.filter(processed_at__isnull=True)
            .order_by("received_at")
            .values_list("received_at", flat=True)
            .first()
        )
        lag = GaugeMetricFamily(
            "mallard_webhook_lag_seconds",
            "Age of the oldest payment webhook event not yet processed (0: none)",
        )
        lag.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
        yield lag

        stock_outs = GaugeMetricFamily(
            "mallard_stock_outs", "Tracked stock records with no unit left to sell"
        )
        stock_outs.add_metric(
            [],
            StockRecord.objects.filter(num_in_stock__isnull=False)
            .filter(
                Q(num_in_stock__lte=F("num_allocated"))
                | Q(num_allocated__isnull=True, num_in_stock__lte=0)
            )
            .count(),
        )
        yield stock_outs

        length = _queue_length()
        if length is not None:
            queue = GaugeMetricFamily(
                "mallard_celery_queue_length", "Tasks waiting in the Celery queue"
            )
            queue.add_metric([], length)
            yield queue


def _queue_length() -> int | None:
    from celery import current_app

    from .probes import redis_client

    client = redis_client()
    if client is None:
        return None
    # Kombu's Redis transport keeps one list per priority step beside the plain one.
    lists = [
        key
        for queue in current_app.conf.task_queues
        for key in [queue.name] + [f"{queue.name}\x06\x16{step}" for step in (3, 6, 9)]
    ]
    with client:
        pipe = client.pipeline(transaction=False)
        for key in lists:
            pipe.llen(key)
        return sum(pipe.execute())


def metrics_text() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = CollectorRegistry()
        MultiProcessCollector(process)
    else:
        process = REGISTRY
    business = CollectorRegistry(auto_describe=False)
    business.register(BusinessCollector())
    return generate_latest(process) + generate_latest(business)
