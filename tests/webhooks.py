"""Stripe-signed webhook deliveries, made offline the way Stripe signs them."""

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings
from django.urls import reverse


def signed(payload: bytes, *, secret=None, timestamp=None) -> str:
    timestamp = int(timestamp or time.time())
    secret = secret or settings.STRIPE_WEBHOOK_SECRET
    digest = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(kind: str, obj: dict, *, event_id=None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:16]}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
    ).encode()


def deliver(client, payload: bytes, *, signature=None):
    return client.post(
        reverse("checkout:gateway-webhook", kwargs={"gateway": "stripe"}),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature or signed(payload),
    )
