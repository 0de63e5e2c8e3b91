"""Recording and acting on verified gateway events, crash-safely.

An event is recorded once (by gateway and id) and marked processed only in the
transaction that committed its effect: a worker that dies mid-way leaves it
unprocessed, and it is queued again by the gateway's redelivery or by the beat task
for events stuck past GATEWAY_EVENT_REQUEUE_AFTER. Processing twice is harmless:
placing an order and reconciling refunds are idempotent."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payments import (
    PAYMENT_REFUNDED,
    PAYMENT_SUCCEEDED,
    Event,
    GatewayUnavailable,
    PaymentError,
)

from .refunds import refunds_reconcile
from .services import order_place_for_intent

logger = logging.getLogger(__name__)

GatewayEvent = get_model("checkout", "GatewayEvent")
CheckoutPayment = get_model("checkout", "CheckoutPayment")

# How long an event may wait unprocessed before beat queues it again: longer than
# processing one takes, short enough that a shopper's order isn't held up.
REQUEUE_AFTER = timedelta(minutes=3)


def gateway_event_record(*, event: Event) -> GatewayEvent | None:
    """Record a delivery; return the event if it needs (re)processing: new, or
    delivered again while still unprocessed. Queues its processing after commit."""
    from .tasks import process_gateway_event

    with transaction.atomic():
        record, created = GatewayEvent.objects.get_or_create(
            gateway=event.gateway,
            event_id=event.id,
            defaults={
                "type": event.type,
                "intent_id": event.intent_id,
                "payload": {
                    **event.data,
                    "_amount_refunded": event.amount_refunded,
                    "_currency": event.currency,
                },
            },
        )
        if record.processed_at is not None:
            return None
        record.queued_at = timezone.now()
        record.save(update_fields=["queued_at"])
        process_gateway_event.delay_on_commit(record.pk)
        return record


def gateway_events_requeue(*, older_than: timedelta | None = None) -> int:
    """Queue again the events left unprocessed (a worker died, a broker lost the
    message). Returns how many."""
    from .tasks import process_gateway_event

    if older_than is None:
        older_than = getattr(settings, "GATEWAY_EVENT_REQUEUE_AFTER", REQUEUE_AFTER)
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stuck = list(
            GatewayEvent.objects.select_for_update(skip_locked=True)
            .filter(processed_at=None)
            .filter(Q(queued_at__lte=cutoff) | Q(queued_at=None))
            .values_list("pk", flat=True)
        )
        GatewayEvent.objects.filter(pk__in=stuck).update(queued_at=timezone.now())
        for pk in stuck:
            process_gateway_event.delay_on_commit(pk)
    if stuck:
        logger.warning("Queued %d unprocessed gateway events again", len(stuck))
    return len(stuck)


def gateway_event_process(*, pk: int) -> None:
    """Act on one event; marks it processed in the same transaction as the effect."""
    with transaction.atomic():
        event = GatewayEvent.objects.select_for_update().filter(pk=pk).first()
        if event is None or event.processed_at is not None:
            return
        if event.type == PAYMENT_SUCCEEDED:
            _intent_succeeded(event)
        elif event.type == PAYMENT_REFUNDED:
            refunds_reconcile(
                intent_id=event.intent_id,
                amount_refunded=event.payload.get("_amount_refunded") or 0,
                currency=event.payload.get("_currency") or "",
            )
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])


def _intent_succeeded(event) -> None:
    if not CheckoutPayment.objects.filter(
        gateway=event.gateway, intent_id=event.intent_id
    ).exists():
        logger.warning("Payment intent %s is not one of our checkouts", event.intent_id)
        return
    try:
        order_place_for_intent(intent_id=event.intent_id)
    except GatewayUnavailable:
        raise  # nothing done: the event stays unprocessed and is tried again
    except PaymentError:
        # Not paid (nothing to do until it is: a later event says so) or refunded.
        logger.exception("Could not place the order for %s", event.intent_id)
