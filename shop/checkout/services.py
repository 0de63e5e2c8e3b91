"""Checkout with payment: one intent per checkout, one order per paid intent.

The order is placed by whichever arrives first, the shopper coming back from
payment or the gateway's webhook; a row lock on the CheckoutPayment and its
one-to-one order make the second a no-op.
"""

import logging

from django.conf import settings
from django.db import transaction
from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_class, get_model

from shop.partner.services import (
    InsufficientStock,
    stock_alerts_raise,
    stock_confirm_for_order,
    stock_open_alert_ids,
    stock_release_basket,
    stock_reserve_basket,
)
from shop.partner.tasks import notify_low_stock
from shop.payments.interface import (
    CANCELED,
    PaymentError,
    from_minor_units,
    to_minor_units,
)
from shop.payments.stripe import api as gateway
from shop.payments.stripe.consts import GATEWAY_NAME, WALLET_CURRENCIES

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
ShippingAddress = get_model("order", "ShippingAddress")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Applicator = get_class("offer.applicator", "Applicator")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Repository = get_class("shipping.repository", "Repository")

REFUNDED = "refunded"
ADDRESS_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "line1",
    "line2",
    "line3",
    "line4",
    "state",
    "postcode",
    "country_id",
    "phone_number",
    "notes",
]


class PaymentMismatch(PaymentError):
    """What was paid is not what the basket now costs: no order, and a refund."""


def method_types(currency: str) -> list[str]:
    """Card always; WeChat Pay and Alipay where settings enable them for `currency`."""
    wallets = [
        method
        for method in settings.STRIPE_WALLETS
        if currency.upper() in WALLET_CURRENCIES.get(method, set())
    ]
    return ["card", *wallets]


def checkout_details(*, shipping_address, shipping_method, guest_email) -> dict:
    """The JSON-safe facts an order needs, kept beside the payment."""
    return {
        "shipping_address": {
            # str(): phone numbers are objects; JSON wants their E.164 text.
            name: str(value) if (value := getattr(shipping_address, name)) else ""
            for name in ADDRESS_FIELDS
        },
        "shipping_method_code": shipping_method.code,
        "guest_email": guest_email or "",
    }


def _prepared(basket, user):
    basket.strategy = Selector().strategy(user=user)
    Applicator().apply(basket, user)
    return basket


def _order_inputs(payment: CheckoutPayment):
    """Shipping and totals recomputed on the server from the stored basket."""
    basket = _prepared(payment.basket, payment.user)
    address = ShippingAddress(**payment.details["shipping_address"])
    methods = Repository().get_shipping_methods(basket, shipping_addr=address)
    try:
        method = next(
            m for m in methods if m.code == payment.details["shipping_method_code"]
        )
    except StopIteration as missing:
        raise PaymentMismatch("That shipping method is no longer offered.") from missing
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return basket, address, method, charge, total


def payment_start(*, basket, user, details: dict) -> CheckoutPayment:
    """Hold the basket's stock and return this checkout's payment intent, created on
    the gateway at most once per basket total (double taps and reloads reuse it).

    Raises InsufficientStock (nothing held, nothing created) or PaymentError.
    """
    stock_reserve_basket(basket=basket)
    with transaction.atomic():
        # Serialise concurrent starts for one basket (a double tap).
        Basket.objects.select_for_update().filter(pk=basket.pk).first()
        probe = CheckoutPayment(basket=basket, user=user, details=details)
        _, _, _, _, total = _order_inputs(probe)
        amount, currency = total.incl_tax, total.currency
        open_payments = CheckoutPayment.objects.filter(
            basket=basket, order=None
        ).exclude(status=CANCELED)
        for payment in open_payments:
            if payment.amount == amount and payment.currency == currency:
                payment.details, payment.user = details, user
                payment.save(update_fields=["details", "user", "updated_at"])
                return payment
            _cancel_quietly(payment)
        attempt = CheckoutPayment.objects.filter(basket=basket).count()
        minor = to_minor_units(amount, currency)
        intent = gateway.intent_create(
            amount=minor,
            currency=currency,
            method_types=method_types(currency),
            metadata={"basket": str(basket.pk)},
            idempotency_key=f"basket-{basket.pk}-{currency}-{minor}-{attempt}",
        )
        return CheckoutPayment.objects.create(
            intent_id=intent.id,
            basket=basket,
            user=user,
            amount=amount,
            currency=currency,
            client_secret=intent.client_secret,
            status=intent.status,
            details=details,
        )


def _cancel_quietly(payment: CheckoutPayment) -> None:
    try:
        gateway.intent_cancel(payment.intent_id)
    except PaymentError:
        logger.warning("Could not cancel superseded intent %s", payment.intent_id)
    payment.status = CANCELED
    payment.save(update_fields=["status", "updated_at"])


def payment_pay_with_card(*, payment: CheckoutPayment, token: str) -> CheckoutPayment:
    """Charge the card Stripe.js tokenised. The amount is the server's, never the
    browser's: the intent was created for it before the card was seen.

    The stock hold is renewed first: a shopper whose hold lapsed and whose units
    sold meanwhile gets InsufficientStock and the intent is cancelled, uncharged.
    """
    try:
        stock_reserve_basket(basket=payment.basket)
    except InsufficientStock:
        _cancel_quietly(payment)
        raise
    intent = gateway.intent_pay_with_card_token(payment.intent_id, token=token)
    payment.status = intent.status
    payment.save(update_fields=["status", "updated_at"])
    return payment


def order_place_for_intent(*, intent_id: str):
    """Place the order for a paid intent exactly once and return it.

    Raises PaymentError when the intent has not succeeded, and PaymentMismatch
    (after refunding) when the basket no longer matches what was paid or its stock
    has gone.
    """
    try:
        with transaction.atomic():
            payment = (
                CheckoutPayment.objects.select_for_update(of=("self",))
                .select_related("order", "basket", "user")
                .get(intent_id=intent_id)
            )
            if payment.order is not None:
                return payment.order
            intent = gateway.intent_retrieve(intent_id)
            payment.status = intent.status
            if not intent.succeeded:
                payment.save(update_fields=["status", "updated_at"])
                raise PaymentError("The payment has not gone through.")
            payment.order = _place(payment, intent)
            payment.save(update_fields=["order", "status", "updated_at"])
            return payment.order
    except (PaymentMismatch, InsufficientStock) as problem:
        _refund_unfulfillable(intent_id, reason=str(problem))
        raise PaymentMismatch(
            "Sorry, we could not complete your order; your payment is refunded."
        ) from problem


def _refund_unfulfillable(intent_id: str, *, reason: str) -> None:
    with transaction.atomic():
        payment = CheckoutPayment.objects.select_for_update().get(intent_id=intent_id)
        if payment.status == REFUNDED:
            return
        logger.warning("Refunding %s: %s", intent_id, reason)
        gateway.refund_create(
            intent_id=intent_id,
            amount=to_minor_units(payment.amount, payment.currency),
            idempotency_key=f"refund-whole-{intent_id}",
        )
        payment.status = REFUNDED
        payment.save(update_fields=["status", "updated_at"])


def _place(payment, intent):
    basket, address, method, charge, total = _order_inputs(payment)
    if to_minor_units(total.incl_tax, total.currency) != intent.amount or (
        total.currency != intent.currency
    ):
        raise PaymentMismatch("The basket changed after payment.")
    stock_confirm_for_order(basket=basket)
    records = [line.stockrecord_id for line in basket.all_lines()]
    alerts_before = stock_open_alert_ids(stockrecord_ids=records)
    address.save()
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=payment.user,
        shipping_address=address,
        order_number=OrderNumberGenerator().order_number(basket),
        guest_email=payment.details.get("guest_email", ""),
    )
    _record_payment(order, intent)
    basket.submit()
    stock_release_basket(basket=basket)
    for alert_id in stock_alerts_raise(stockrecord_ids=records) - alerts_before:
        notify_low_stock.delay_on_commit(alert_id)
    # The mail is queued by the site's e-mail backend and leaves after commit.
    OrderDispatcher(logger=logger).send_order_placed_email_for_user(
        order, {"order": order, "lines": order.lines.all(), "user": payment.user}
    )
    return order


def _record_payment(order, intent) -> None:
    amount = from_minor_units(intent.amount, intent.currency)
    source_type, _ = SourceType.objects.get_or_create(name=GATEWAY_NAME)
    source = Source(
        order=order,
        source_type=source_type,
        currency=intent.currency,
        amount_allocated=amount,
        reference=intent.id,
    )
    source.debit(amount, reference=intent.charge_id or intent.id, status="Succeeded")
    source.save()
    _payment_event(order, "Paid", amount, intent.id)


def _payment_event(order, name, amount, reference) -> None:
    event_type, _ = PaymentEventType.objects.get_or_create(name=name)
    event = PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=amount, reference=reference
    )
    for line in order.lines.all():
        PaymentEventQuantity.objects.create(
            event=event, line=line, quantity=line.quantity
        )
