"""Where the bench keeps its data and how its processes are configured: production
settings against its own PostgreSQL database and Redis db, on ports 8100-8199 (each
overridable: BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_PORTS=8600-8699, so two
benches on one machine keep apart)."""

import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
LOGS = OUT / "logs"
MEDIA = OUT / "media"
STATIC = OUT / "static"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mallard_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
PRODUCTS = 10_000


def _port_range(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


PORT_RANGE = _port_range(os.environ.get("BENCH_PORTS", "8100-8199"))
LISTING_PAGE_SIZE = 48


def free_port(taken: set[int]) -> int:
    for port in PORT_RANGE:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError(
        f"no free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1} (BENCH_PORTS)"
    )


@dataclass(frozen=True)
class Ports:
    web: int
    media: int
    stripe: int

    @classmethod
    def pick(cls) -> "Ports":
        taken: set[int] = set()
        return cls(free_port(taken), free_port(taken), free_port(taken))


# One secret per run: production settings refuse to start without one.
SECRET_KEY = secrets.token_urlsafe(50)


def django_env(ports: Ports, *, page_cache: bool) -> dict[str, str]:
    """The environment of every Django process of the bench: production settings,
    plain HTTP on loopback, the bench's own database, Redis db and folders."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=DATABASE_URL,
        # Persistent connections, as a production deployment configures them.
        DB_CONN_MAX_AGE="60",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX="mallard-bench",
        CELERY_QUEUE="mallard-bench",
        MEDIA_ROOT=str(MEDIA),
        # Media from a separate server, as from a CDN (production has no media view).
        MEDIA_URL=f"http://127.0.0.1:{ports.media}/",
        STATIC_ROOT=str(STATIC),
        OSCAR_PRODUCTS_PER_PAGE=str(LISTING_PAGE_SIZE),
        BENCH_FLOOR_VIEW="1",
        MALLARD_PAGE_CACHE="1" if page_cache else "0",
        STRIPE_SECRET_KEY="sk_test_bench",
        STRIPE_PUBLISHABLE_KEY="pk_test_bench",
        STRIPE_WEBHOOK_SECRET="whsec_bench",
        STRIPE_API_BASE=f"http://127.0.0.1:{ports.stripe}",
        STRIPE_JS_URL=f"http://127.0.0.1:{ports.stripe}/js.stripe.com/v3/",
        SITE_URL=f"http://127.0.0.1:{ports.web}",
        DELIVERY_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env
