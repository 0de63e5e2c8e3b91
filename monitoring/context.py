"""The request id: set per request (or taken from a trusted-looking X-Request-ID),
carried into every Celery task the request queues as a task header, and put on
every log record."""

import logging
import re
import uuid
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

HEADER = "X-Request-ID"
TASK_HEADER = "mallard_request_id"
# A proxy's id is kept only when it can't smuggle anything into a log line.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


def _add_header(headers=None, **kwargs):
    current = request_id.get()
    if current and headers is not None:
        headers.setdefault(TASK_HEADER, current)


def _task_started(task=None, **kwargs):
    # A worker's request carries message headers as attributes; Task.apply (eager)
    # keeps them under .headers.
    incoming = getattr(task.request, TASK_HEADER, None) or (
        task.request.headers or {}
    ).get(TASK_HEADER)
    # An eagerly run task (demo, tests) inherits the caller's id as it is.
    if incoming is None and request_id.get() is not None:
        task.request._mallard_token = None
        return
    task.request._mallard_token = request_id.set(incoming or new_request_id())


def _task_finished(task=None, **kwargs):
    token = getattr(task.request, "_mallard_token", None) if task else None
    if token is not None:
        request_id.reset(token)


def connect_celery() -> None:
    from celery import signals

    signals.before_task_publish.connect(_add_header, weak=False)
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
