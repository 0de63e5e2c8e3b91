"""Error reporting to Sentry, switched on by SENTRY_DSN (see config.settings)."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from .context import request_id


def _tag_request(event, hint):
    if (current := request_id.get()) is not None:
        event.setdefault("tags", {})["request_id"] = current
    return event


# The SDK's defaults keep shoppers' addresses, e-mails and cookies out of reports
# (no send_default_pii); the request id ties a report to its log lines.
def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, **extra):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_request,
        **extra,
    )
