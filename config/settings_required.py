"""Entry points that serve traffic or run tasks start only with settings named outright.

A default would fail open: a bare `celery -A config worker` once ran with the dev
settings (DEBUG on, the dev secret key, mail to the console). `manage.py` alone keeps
the dev default, for the zero-setup demo; its settings answer only loopback hosts.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def require_settings_module(entry_point: str) -> None:
    if not os.environ.get("DJANGO_SETTINGS_MODULE", "").strip():
        raise ImproperlyConfigured(
            f"DJANGO_SETTINGS_MODULE is not set, and {entry_point} will not "
            "guess. Set it, e.g. DJANGO_SETTINGS_MODULE=config.settings.production "
            "(with SECRET_KEY and ALLOWED_HOSTS), or config.settings.dev on a "
            "developer's machine."
        )
