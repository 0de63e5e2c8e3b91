"""Refunds: issued from the dashboard, or made in Stripe's own dashboard and
reconciled from the charge.refunded webhook. Both end as Oscar payment events."""

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from shop.payments.interface import PaymentError, from_minor_units, to_minor_units
from shop.payments.stripe import api as gateway
from shop.payments.stripe.consts import GATEWAY_NAME

Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")

REFUNDED = "Refunded"


class RefundError(PaymentError):
    pass


def _locked_source(order):
    return (
        Source.objects.select_for_update()
        .filter(order=order, source_type__name=GATEWAY_NAME)
        .first()
    )


def refundable(order) -> Decimal:
    source = order.sources.filter(source_type__name=GATEWAY_NAME).first()
    return source.amount_debited - source.amount_refunded if source else Decimal(0)


def order_refund(*, order, amount: Decimal, line_quantities=()) -> Decimal:
    """Refund `amount` of what the order paid; returns what is still refundable.
    `line_quantities` ((line, quantity) pairs) says which units the refund is for."""
    with transaction.atomic():
        source = _locked_source(order)
        if source is None:
            raise RefundError("This order was not paid through Stripe.")
        left = source.amount_debited - source.amount_refunded
        if amount <= 0 or amount > left:
            raise RefundError(
                f"Refund between 0.01 and {left} {source.currency}, the amount not "
                "yet refunded."
            )
        count = source.transactions.filter(txn_type="Refund").count()
        minor = to_minor_units(amount, source.currency)
        refund = gateway.refund_create(
            intent_id=source.reference,
            amount=minor,
            idempotency_key=f"refund-{order.number}-{count}-{minor}",
        )
        _record(order, source, amount, refund.id, line_quantities)
        return left - amount


def refunds_reconcile(
    *, intent_id: str, amount_refunded: int, currency: str
) -> Decimal:
    """Bring our records up to Stripe's total refunded for an intent (from a
    charge.refunded event). Returns what was newly recorded; replays record 0."""
    with transaction.atomic():
        source = (
            Source.objects.select_for_update()
            .select_related("order")
            .filter(reference=intent_id, source_type__name=GATEWAY_NAME)
            .first()
        )
        if source is None:
            return Decimal(0)
        missing = from_minor_units(amount_refunded, currency) - source.amount_refunded
        if missing <= 0:
            return Decimal(0)
        _record(source.order, source, missing, "charge.refunded")
        return missing


def _record(order, source, amount, reference, line_quantities=()) -> None:
    source.refund(amount, reference=reference, status="Succeeded")
    event_type, _ = PaymentEventType.objects.get_or_create(name=REFUNDED)
    event = PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=reference
    )
    for line, quantity in line_quantities:
        event.line_quantities.create(line=line, quantity=quantity)
