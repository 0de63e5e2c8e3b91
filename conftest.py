"""Shared fixtures: one seeded demo mall per test session, users per role, a real
Celery worker when Redis is there."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from shop.payments.stripe.localstripe import localstripe_start


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_report_header(config):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = (
        "Redis (real worker tests on)" if settings.REDIS_URL else "none: eager Celery"
    )
    return [f"mallard: database={database}, broker={broker}"]


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    skip_worker = pytest.mark.skip(
        reason="needs Redis for a real Celery worker: set REDIS_URL"
    )
    for item in items:
        if "postgres" in item.keywords and not _on_postgres():
            item.add_marker(skip_pg)
        if "worker" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_worker)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo mall once; each test runs in a transaction rolled back after."""
    from oscar.core.loading import get_class

    # Oscar links its "missing image" into MEDIA_ROOT on first use, racily under
    # concurrent requests (a 500); this run's media folder gets it up front, as a
    # deployment does at start-up.
    get_class("catalogue.abstract_models", "MissingProductImage")()
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        # Transactional tests restore this snapshot (serialized_rollback), so they
        # start from the seeded mall, not from an empty database (with --reuse-db
        # too, where Django itself would not have taken one).
        connection._test_serialized_contents = (
            connection.creation.serialize_db_to_string()
        )
    yield
    if _on_postgres():
        # Live-server request threads may still hold a session; the test database
        # can only be dropped once they are gone.
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache. On Redis only this run's prefixed keys
    go: the broker's queues share the server."""
    from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches

    caches["thumbnails"].clear()  # this process's own, whatever the default is
    if not settings.REDIS_URL:
        cache.clear()
        return
    import redis

    client = redis.Redis.from_url(settings.CACHES[DEFAULT_CACHE_ALIAS]["LOCATION"])
    prefix = settings.CACHES[DEFAULT_CACHE_ALIAS]["KEY_PREFIX"]
    with client:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture(autouse=True)
def _english_speaking_clients(monkeypatch):
    """Test clients ask for English (Accept-Language: en) unless a test says
    otherwise: the site's default is Chinese, and most tests read English text. A
    language cookie, a /zh-hans/ URL or a test's own Accept-Language still win."""
    from django.test import Client
    from django.utils import translation

    plain_init = Client.__init__

    def init(self, *args, headers=None, **defaults):
        if "HTTP_ACCEPT_LANGUAGE" not in defaults:
            headers = {"Accept-Language": "en", **(headers or {})}
        plain_init(self, *args, headers=headers, **defaults)

    monkeypatch.setattr(Client, "__init__", init)
    # Test code outside requests reads English too (translated model fields such
    # as an offer's name follow the active language, Chinese by default).
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _mail_goes_through_celery(settings):
    """Django's test runner swaps EMAIL_BACKEND for locmem; put ours back so tests see
    the real path (queue → task → delivery backend, which is locmem in tests)."""
    settings.EMAIL_BACKEND = "shop.communication.backends.CeleryEmailBackend"


@pytest.fixture
def demo_user(django_user_model):
    def get(username: str):
        return django_user_model.objects.get(username=username)

    return get


@pytest.fixture
def run_tasks(request):
    """Where queued tasks run: a real worker when Redis is there, else inline."""
    if settings.REDIS_URL:
        return request.getfixturevalue("celery_worker")
    return None


@pytest.fixture
def celery_workers(tmp_path, django_db_blocker):
    """Start real Celery worker processes on this test run's queue on Redis:
    `start(**environment)` returns one (its `process`, and the `outbox` folder where
    the mail it delivers lands as files); a test may kill one and start another. All
    are stopped after the test.

    They run with the test settings against the test database.
    """
    from config.celery_app import app

    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_for(database),
        "DELIVERY_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
    }
    app.control.purge()
    processes = []

    def start(**extra_env):
        name = f"test-worker-{os.getpid()}-{len(processes)}@{socket.gethostname()}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--queues=" + ",".join(queue.name for queue in app.conf.task_queues),
                f"--hostname={name}",
            ],
            cwd=settings.BASE_DIR,
            env={**env, **extra_env},
        )
        processes.append(process)
        # Generous: a worker imports the whole site, slowly on a loaded machine.
        deadline = time.monotonic() + 90
        while not app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        return SimpleNamespace(process=process, outbox=outbox)

    app.conf.task_always_eager = False
    try:
        yield SimpleNamespace(start=start, outbox=outbox)
    finally:
        app.conf.task_always_eager = True
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def celery_worker(celery_workers):
    """A real Celery worker process consuming this test run's queue on Redis; the
    mail it sends lands as files in `worker.outbox`, so a test can see what the
    worker, not this process, delivered."""
    return celery_workers.start()


def _database_url_for(name: str) -> str:
    """DATABASE_URL pointing at the test database this session created."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{name}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{name}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3-protocol server on a loopback port for this session."""
    executable = shutil.which("moto_server", path=os.path.dirname(sys.executable))
    if not executable:
        pytest.skip("moto_server not installed: pip install -r requirements-test.txt")
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen(
        [executable, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def localstripe_server(tmp_path_factory):
    """localstripe, the fake stateful Stripe, on a loopback port for this session."""
    port = _free_port()
    log = tmp_path_factory.mktemp("localstripe") / "localstripe.log"
    process = localstripe_start(port, log=log)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def localstripe(settings, localstripe_server):
    """Point the gateway at localstripe; `card_token()` does what Stripe.js's
    createToken does in the shopper's browser."""
    settings.STRIPE_API_BASE = localstripe_server
    settings.STRIPE_SECRET_KEY = "sk_test_mallard"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_mallard"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_mallard_tests"
    settings.STRIPE_JS_URL = f"{localstripe_server}/js.stripe.com/v3/"

    def card_token(number="4242424242424242"):
        body = urllib.parse.urlencode(
            {
                "card[number]": number,
                "card[exp_month]": "12",
                "card[exp_year]": "2030",
                "card[cvc]": "123",
                "key": settings.STRIPE_PUBLISHABLE_KEY,
            }
        ).encode()
        with urllib.request.urlopen(f"{localstripe_server}/v1/tokens", body) as reply:
            import json

            return json.loads(reply.read())["id"]

    return SimpleNamespace(url=localstripe_server, card_token=card_token)
