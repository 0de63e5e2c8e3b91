"""The Celery app: Redis broker when REDIS_URL is set, eager in-process otherwise."""

from celery import Celery

from .settings_required import require_settings_module

require_settings_module("the Celery app (config.celery_app)")

app = Celery("mallard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
