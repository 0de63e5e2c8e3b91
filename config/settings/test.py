"""The test suite: PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set."""

import os
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each test run gets its own throwaway media folder (two checkouts on one machine
# must not share files); the environment carries it to worker processes a test
# starts, so they write where this run reads.
os.environ.setdefault("TEST_MEDIA_ROOT", tempfile.mkdtemp(prefix="mallard-test-media-"))
MEDIA_ROOT = Path(os.environ["TEST_MEDIA_ROOT"])  # noqa: F405
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / "private"
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405

# Tasks run inline unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_DEFAULT_QUEUE = "mallard-test"

# Delivered mail stays in memory (mail.outbox); a worker process started by a test
# writes files instead (see conftest.celery_worker).
MALLARD_DELIVERY_EMAIL_BACKEND = os.environ.get(
    "DELIVERY_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH")
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "mallard-test"  # noqa: F405

# A fault test's restarted worker takes back the task a killed worker held after this
# many seconds, not the deployment's visibility timeout, and looks for it every second.
if os.environ.get("TEST_VISIBILITY_TIMEOUT"):
    from . import base

    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **getattr(base, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "visibility_timeout": int(os.environ["TEST_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
