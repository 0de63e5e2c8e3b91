"""What the shop knows about a payment, whichever gateway took it: neutral types,
the errors a gateway raises, and the operations every gateway offers."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

SUCCEEDED = "succeeded"
REQUIRES_ACTION = "requires_action"
CANCELED = "canceled"

# Neutral webhook event types; each gateway maps its own names onto these.
PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_REFUNDED = "payment.refunded"
OTHER = "other"

# Currencies without a minor unit, for amounts in the gateway's integer form.
ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND"}


class PaymentError(Exception):
    """The gateway refused or failed: the message is safe to show the shopper."""


class GatewayUnavailable(PaymentError):
    """The gateway could not be reached or failed: worth trying again later."""


class InvalidWebhook(Exception):
    """A webhook whose signature or timestamp does not check out."""


class UnknownGateway(LookupError):
    """No gateway is configured under that name."""


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
    """A verified webhook event. `type` is one of the neutral types above; `intent_id`
    names the payment it is about; refund events carry the total refunded so far."""

    gateway: str
    id: str
    type: str
    intent_id: str = ""
    amount_refunded: int = 0  # minor units
    currency: str = ""
    data: dict = field(default_factory=dict)


class Gateway(Protocol):
    """What checkout, refunds and the dashboard may ask of any gateway."""

    name: str  # how settings, URLs and stored payments name it
    display_name: str  # how Oscar's payment sources name it
    token_field: str  # the pay form's field carrying the browser's card token

    def method_types(self, currency: str) -> list[str]: ...

    def checkout_context(self) -> dict: ...

    def intent_create(
        self,
        *,
        amount: int,
        currency: str,
        method_types: list[str],
        metadata: dict,
        idempotency_key: str,
    ) -> Intent: ...

    def intent_retrieve(self, intent_id: str) -> Intent: ...

    def intent_pay(self, intent_id: str, *, token: str) -> Intent: ...

    def intent_cancel(self, intent_id: str) -> Intent: ...

    def refund_create(
        self, *, intent_id: str, amount: int, idempotency_key: str
    ) -> Refund: ...

    def webhook_event(self, payload: bytes, headers) -> Event: ...
