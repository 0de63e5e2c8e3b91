"""Acting on recorded gateway events. Each is processed at most once; placing an
order is itself idempotent, so a redelivery or a race with the shopper's return
changes nothing."""

import logging

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payments.interface import PaymentError

from .refunds import refunds_reconcile
from .services import order_place_for_intent

logger = logging.getLogger(__name__)

GatewayEvent = get_model("checkout", "GatewayEvent")
CheckoutPayment = get_model("checkout", "CheckoutPayment")


def gateway_event_process(*, event_id: str) -> None:
    with transaction.atomic():
        event = GatewayEvent.objects.select_for_update().get(event_id=event_id)
        if event.processed_at is not None:
            return
        if event.type == "payment_intent.succeeded":
            _intent_succeeded(event)
        elif event.type == "charge.refunded":
            refunds_reconcile(
                intent_id=event.payload.get("payment_intent") or "",
                amount_refunded=event.payload.get("amount_refunded") or 0,
                currency=event.payload.get("currency") or "",
            )
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])


def _intent_succeeded(event) -> None:
    if not CheckoutPayment.objects.filter(intent_id=event.object_id).exists():
        logger.warning("Payment intent %s is not one of our checkouts", event.object_id)
        return
    try:
        order_place_for_intent(intent_id=event.object_id)
    except PaymentError:
        logger.exception("Could not place the order for %s", event.object_id)
