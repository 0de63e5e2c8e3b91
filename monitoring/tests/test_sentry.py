"""Sentry only with SENTRY_DSN, and its reports carry the request id, not PII."""

import pytest
import sentry_sdk

from monitoring import context
from monitoring.sentry import sentry_init


def test_sentry_is_off_without_a_dsn():
    assert not sentry_sdk.get_client().is_active()


@pytest.fixture
def sent():
    events = []

    class Capture(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items)

    sentry_init(
        dsn="http://public@127.0.0.1:9/1",
        environment="test",
        traces_sample_rate=0,
        transport=Capture,
    )
    yield events
    sentry_sdk.init()  # off again for the tests that follow


def test_an_error_reaches_sentry_tagged_with_its_request(sent):
    token = context.request_id.set("req-err")
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:
            sentry_sdk.capture_exception(error)
    finally:
        context.request_id.reset(token)
    sentry_sdk.flush()
    assert sent[0]["tags"]["request_id"] == "req-err"
    assert sent[0]["exception"]["values"][0]["value"] == "boom"
    assert sent[0].get("user") in (None, {})
