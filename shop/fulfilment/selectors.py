"""What the dashboard and the shopper read about an order's money and parcels."""

from dataclasses import dataclass
from decimal import Decimal

from oscar.core.loading import get_model

from . import statuses
from .lifecycle import refunded_quantity

Transaction = get_model("payment", "Transaction")

REFUND = "Refund"


@dataclass(frozen=True)
class Movement:
    """One payment transaction as the shopper sees it: refunds are negative."""

    date: object
    source: str
    amount: Decimal
    is_refund: bool
    reference: str
    status: str


def order_money_movements(order) -> list[Movement]:
    transactions = Transaction.objects.filter(source__order=order).select_related(
        "source__source_type"
    )
    return [
        Movement(
            date=txn.date_created,
            source=str(txn.source.source_type),
            amount=-txn.amount if txn.txn_type == REFUND else txn.amount,
            is_refund=txn.txn_type == REFUND,
            reference=txn.reference,
            status=txn.status,
        )
        for txn in transactions.order_by("date_created", "pk")
    ]


def order_refund_state(order) -> str:
    """ "none", "partly" or "fully": how much of what was paid went back."""
    paid = sum((s.amount_debited for s in order.sources.all()), Decimal(0))
    refunded = sum((s.amount_refunded for s in order.sources.all()), Decimal(0))
    if not refunded:
        return "none"
    return "fully" if refunded >= paid else "partly"


def order_shipments(order):
    return order.shipments.select_related("carrier")


def line_refundable_quantities(order) -> dict[int, int]:
    """For each line: how many units can still be refunded (0 when its status
    can't be refunded)."""
    return {
        line.pk: (
            line.quantity - refunded_quantity(line)
            if statuses.REFUNDED in statuses.LINE_PIPELINE.get(line.status, ())
            else 0
        )
        for line in order.lines.all()
    }
