"""Local development and the demo shop: SQLite, no services unless the env asks."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# Off while developing, so an edited template shows at once; MALLARD_PAGE_CACHE=1
# turns it on (production and the tests have it on).
PAGE_CACHE_ENABLED = os.environ.get("MALLARD_PAGE_CACHE", "0").strip() != "0"
# Read by eye while developing: plain lines unless LOG_FORMAT asks for JSON.
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "text")  # noqa: F405
