"""An operator's probes and scrape: /healthz, /readyz (PostgreSQL, Redis, a Celery
worker), Prometheus metrics behind a token, and request ids in logs and tasks."""

import json
import logging
import re
import socket
from datetime import timedelta

import pytest
from celery import shared_task
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_order

from monitoring import context
from monitoring.logs import JsonFormatter
from monitoring.probes import heartbeat_key, redis_client
from shop.partner.tasks import release_expired_reservations
from tests.markers import committed

StockReservation = get_model("partner", "StockReservation")

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


def test_readyz_is_ok_when_every_service_answers(client, settings):
    if settings.REDIS_URL:
        # A worker would have written this when it started (see the worker test).
        from monitoring.tasks import worker_heartbeat

        worker_heartbeat()
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "redis", "celery"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert check["latency_ms"] >= 0


def test_readyz_names_redis_when_it_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert "redis" in body["failing"]
    assert body["checks"]["redis"]["ok"] is False
    assert "Connection" in body["checks"]["redis"]["detail"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.worker
@committed
def test_readyz_counts_a_running_worker_and_names_celery_without_one(
    client, settings, celery_workers
):
    with redis_client() as redis:
        redis.delete(heartbeat_key())
    settings.CELERY_TASK_ALWAYS_EAGER = False
    down = client.get("/readyz")
    assert down.status_code == 503
    assert down.json()["failing"] == ["celery"]

    celery_workers.start()  # writes its heartbeat once ready
    up = client.get("/readyz")
    assert up.status_code == 200, up.json()
    assert up.json()["checks"]["celery"]["detail"].startswith("heartbeat")


def _scrape(client) -> dict[str, float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    values = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


@pytest.fixture
def scrape_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []


def test_metrics_refuse_anonymous_and_wrong_tokens(client, settings, scrape_token):
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed")
    assert wrong.status_code == 403
    settings.METRICS_TOKEN = ""
    empty = client.get("/metrics", HTTP_AUTHORIZATION="Bearer ")
    assert empty.status_code == 403


def test_metrics_answer_an_allowed_network_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 403


def test_an_order_placed_moves_the_orders_counter(client, scrape_token):
    before = _scrape(client)["mallard_orders_placed_total"]
    create_order(guest_email="counted@example.com")
    after = _scrape(client)
    assert after["mallard_orders_placed_total"] == before + 1
    assert after["mallard_webhook_lag_seconds"] == 0
    assert "mallard_stock_outs" in after


def test_expired_reservations_are_counted(client, scrape_token):
    basket = create_basket()
    line = basket.all_lines()[0]
    StockReservation.objects.create(
        stockrecord=line.stockrecord,
        basket=basket,
        quantity=1,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert _scrape(client)["mallard_reservations_expired_total"] == 0
    release_expired_reservations()
    assert _scrape(client)["mallard_reservations_expired_total"] == 1


def test_request_latency_and_page_cache_outcomes_are_observed(client, scrape_token):
    client.get("/healthz")
    client.get("/")
    client.get("/")
    values = _scrape(client)
    healthz = (
        "mallard_http_request_duration_seconds_count"
        '{method="GET",status="200",view="healthz"}'
    )
    assert values[healthz] >= 1
    assert values['mallard_page_cache_responses_total{outcome="hit"}'] >= 1
    assert any(name.startswith("mallard_db_query_duration_seconds") for name in values)


def test_each_response_carries_a_request_id(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-42")["X-Request-ID"] == "lb-42"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level":"ERROR"}')
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


@shared_task
def _logs_its_request_id():
    logging.getLogger("mallard.test").warning("in the task")
    return context.request_id.get()


def test_a_task_queued_by_a_request_carries_its_id(settings):
    from config.celery_app import app

    published = []

    def capture(headers=None, **kwargs):
        published.append(dict(headers))

    from celery.signals import before_task_publish

    before_task_publish.connect(capture)
    app.conf.task_always_eager = False
    token = context.request_id.set("req-from-web")
    try:
        with app.connection_for_write() as conn:
            _logs_its_request_id.apply_async(connection=conn, queue="monitoring-test")
    finally:
        context.request_id.reset(token)
        app.conf.task_always_eager = True
        before_task_publish.disconnect(capture)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("monitoring-test")
    assert published[-1][context.TASK_HEADER] == "req-from-web"


def test_a_worker_logs_under_the_request_id_its_task_brought(caplog):
    handler = logging.StreamHandler()
    handler.addFilter(context.RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    records = []
    handler.emit = lambda record: records.append(handler.format(record))
    logging.getLogger("mallard.test").addHandler(handler)
    try:
        result = _logs_its_request_id.apply(headers={context.TASK_HEADER: "req-7"})
    finally:
        logging.getLogger("mallard.test").removeHandler(handler)
    assert result.get() == "req-7"
    line = json.loads(records[-1])
    assert line["request_id"] == "req-7"
    assert line["message"] == "in the task" and line["level"] == "WARNING"
    assert context.request_id.get() is None  # nothing leaks to the next task
