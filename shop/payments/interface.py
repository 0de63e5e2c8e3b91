"""What the shop knows about a payment, whichever gateway took it."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SUCCEEDED = "succeeded"
REQUIRES_ACTION = "requires_action"
CANCELED = "canceled"

# Currencies without a minor unit, for amounts in the gateway's integer form.
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND"}


class PaymentError(Exception):
    """The gateway refused or failed: the message is safe to show the shopper."""


class InvalidWebhook(Exception):
    """A webhook whose signature or timestamp does not check out."""


def to_minor_units(amount: Decimal, currency: str) -> int:
    exponent = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    return int((amount * 10**exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str) -> Decimal:
    exponent = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    return (Decimal(amount) / 10**exponent).quantize(Decimal(1) / 10**exponent)


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount: int  # minor units
    currency: str  # upper case, as Oscar stores it
    client_secret: str
    charge_id: str | None = None
    amount_refunded: int = 0
    method_types: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEEDED


@dataclass(frozen=True)
class Refund:
    id: str
    amount: int
    status: str


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    object_id: str
    data: dict
