"""Refunds: issued from the dashboard, or made in the gateway's own dashboard and
reconciled from its refund webhook. Both end as Oscar payment events."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from insights.attribution import refund_record
from shop.coupons.services import restore_for_order
from shop.flashsales.returns import flash_order_return
from shop.payments import PaymentError, from_minor_units, get_gateway, to_minor_units

CheckoutPayment = get_model("checkout", "CheckoutPayment")
Source = get_model("payment", "Source")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")

REFUNDED = "Refunded"


class RefundError(PaymentError):
    pass


def _payment_of(order):
    return CheckoutPayment.objects.filter(order=order).first()


def _sources(payment):
    """The order's payment source for the gateway payment (reference: the intent)."""
    return Source.objects.filter(order=payment.order_id, reference=payment.intent_id)


def order_refund(*, order, amount: Decimal, line_quantities=()) -> Decimal:
    """Refund `amount` of what the order paid; returns what is still refundable.
    `line_quantities` ((line, quantity) pairs) says which units the refund is for:
    Oscar's payment event records them, so refunds by line can count them."""
    payment = _payment_of(order)
    with transaction.atomic():
        source = _sources(payment).select_for_update().first() if payment else None
        if source is None:
            raise RefundError(_("This order was not paid through a payment gateway."))
        left = source.amount_debited - source.amount_refunded
        if amount <= 0 or amount > left:
            raise RefundError(
                _(
                    "Refund between 0.01 and %(left)s %(currency)s, the amount not "
                    "yet refunded."
                )
                % {"left": left, "currency": source.currency}
            )
        count = source.transactions.filter(txn_type="Refund").count()
        minor = to_minor_units(amount, source.currency)
        refund = get_gateway(payment.gateway).refund_create(
            intent_id=payment.intent_id,
            amount=minor,
            idempotency_key=f"refund-{order.number}-{count}-{minor}",
        )
        _record(order, source, amount, refund.id, line_quantities)
        return left - amount


def refunds_reconcile(
    *, intent_id: str, amount_refunded: int, currency: str
) -> Decimal:
    """Bring our records up to the gateway's total refunded for an intent (from its
    refund event). Returns what was newly recorded; replays record 0."""
    with transaction.atomic():
        source = (
            Source.objects.select_for_update(of=("self",))
            .select_related("order")
            .filter(reference=intent_id, order__checkout_payment__intent_id=intent_id)
            .first()
        )
        if source is None or not currency:
            return Decimal(0)
        missing = from_minor_units(amount_refunded, currency) - source.amount_refunded
        if missing <= 0:
            return Decimal(0)
        _record(source.order, source, missing, "refund reconciled")
        return missing


def _record(order, source, amount, reference, line_quantities=()) -> None:
    source.refund(amount, reference=reference, status="Succeeded")
    event_type, _created = PaymentEventType.objects.get_or_create(name=REFUNDED)
    event = PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=reference
    )
    for line, quantity in line_quantities:
        event.line_quantities.create(line=line, quantity=quantity)
    refund_record(order=order, amount=amount, line_quantities=line_quantities)
    # Refunded in full: its claimed coupons go back to the wallet (if still valid).
    restore_for_order(order)
    if source.amount_refunded >= source.amount_debited:
        # Fully refunded: its flash units go back to the pool while the session runs.
        flash_order_return(order=order)
