"""The Celery app: Redis broker when REDIS_URL is set, eager in-process otherwise."""

from celery import Celery
from kombu import Queue

from .settings_required import require_settings_module

require_settings_module("the Celery app (config.celery_app)")

# Tasks by kind, each kind on its own queue, so a backlog of one (a mail storm, a
# reindex) can't hold up another: a deployment runs a worker per kind, or one
# worker for all (README, Deployment). Exact names win over the patterns.
TASK_KINDS = {
    "payments": ("shop.checkout.tasks.*",),
    "mail": ("shop.communication.tasks.*", "shop.partner.tasks.notify_low_stock"),
    "indexing": ("search.tasks.*",),
    "housekeeping": (
        "home.tasks.*",
        "shop.partner.tasks.*",
        "shop.flashsales.tasks.*",
        "shop.fulfilment.tasks.*",
        "insights.tasks.*",
    ),
}

app = Celery("mallard")
app.config_from_object("django.conf:settings", namespace="CELERY")


def queue_name(kind: str) -> str:
    """The queue a kind's tasks go to, under the deployment's queue prefix (the
    default queue's name, CELERY_QUEUE), so two deployments on one Redis don't meet."""
    return f"{app.conf.task_default_queue}.{kind}"


# Anything not routed (the worker heartbeat) stays on the default queue; a worker
# started without -Q consumes every queue.
app.conf.task_queues = [Queue(app.conf.task_default_queue)] + [
    Queue(queue_name(kind)) for kind in TASK_KINDS
]
app.conf.task_routes = {
    pattern: {"queue": queue_name(kind)}
    for kind, patterns in TASK_KINDS.items()
    for pattern in patterns
}
app.autodiscover_tasks()
