"""Production: every secret and host comes from the environment, or start-up fails."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"Set the {name} environment variable for production."
        )
    return value


SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or required("ALLOWED_HOSTS").split(",")
DEBUG = False

# `make bench` collects into its own folder and serves media from a stand-in CDN.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # noqa: F405
MEDIA_URL = os.environ.get("MEDIA_URL", MEDIA_URL)  # noqa: F405
# Listing page size; `make bench` lists a 48-product category on one page.
OSCAR_PRODUCTS_PER_PAGE = int(
    os.environ.get("OSCAR_PRODUCTS_PER_PAGE", OSCAR_PRODUCTS_PER_PAGE)  # noqa: F405
)
# A constant-response view at /bench/floor/ (the framework's floor for `make bench`):
# mounted only when this is on.
BENCH_FLOOR_VIEW = env_bool("BENCH_FLOOR_VIEW", False)

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Probes and scrapes come from inside the network, by plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
OSCAR_URL_SCHEMA = "https"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The mail task holds its message's row locked while SMTP takes it: a server that
# hangs must not hold it (and the task) past the broker's visibility timeout.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
MALLARD_DELIVERY_EMAIL_BACKEND = os.environ.get(
    "DELIVERY_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
