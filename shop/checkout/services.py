"""Checkout with payment: one intent per checkout, one order per paid intent, and
no charge that could not become an order.

Every check that can refuse a checkout (stock, vouchers, offer limits, the total)
runs under the checkout's row locks before the card is charged, and again when the
order is placed, in the same transaction as the charge where the charge is
synchronous. Locks are always taken in one order: basket, checkout payment,
vouchers, offers, flash sale items, stock records (each by primary key), so
checkouts queue, never deadlock. The shopper's return, the pay step and the
gateway's webhook all place through `order_place_for_intent` / `_place_verified`.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from monitoring.counters import PAYMENT_FAILURES, counter_add
from shop.flashsales.checkout import (
    FlashRefusal,
    flash_hold_basket,
    flash_lock_and_check,
    flash_record_order,
)
from shop.flashsales.selectors import ShopperKey
from shop.partner.services import (
    InsufficientStock,
    stock_alerts_raise,
    stock_confirm_for_order,
    stock_open_alert_ids,
    stock_release_basket,
    stock_reserve_basket,
)
from shop.partner.tasks import notify_low_stock
from shop.payments import (
    CANCELED,
    PaymentError,
    from_minor_units,
    get_gateway,
    to_minor_units,
)

from .offers import CheckoutApplicator, voucher_refusal
from .placement import OrderPlacement

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
Selector = get_class("partner.strategy", "Selector")
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
# Offers whose limits can run out, and so can refuse a checkout.
LIMITED = (
    Q(max_global_applications__isnull=False)
    | Q(max_user_applications__isnull=False)
    | Q(max_discount__isnull=False)
)


class CheckoutRefused(PaymentError):
    """The checkout cannot be paid as it stands; the message tells the shopper why."""


class PaymentMismatch(PaymentError):
    """What was paid is not what the basket now costs: no order, and a refund."""


@dataclass
class Checkout:
    """Everything an order is placed from, recomputed on the server."""

    basket: object
    user: object  # a User, or AnonymousUser for a guest
    guest_email: str
    shipping_address: object | None
    billing_address: object | None
    method: object
    charge: object
    total: object
    # Flash units the basket buys (shop/flashsales), once checked under locks.
    flash: list = field(default_factory=list)
    shopper: ShopperKey | None = None

    @property
    def currency(self) -> str:
        return self.total.currency

    def amount_minor(self) -> int:
        return to_minor_units(self.total.incl_tax, self.total.currency)


def _address_data(address) -> dict | None:
    if address is None:
        return None
    # str(): phone numbers are objects; JSON wants their E.164 text.
    return {
        name: str(value) if (value := getattr(address, name)) else ""
        for name in ADDRESS_FIELDS
    }


def checkout_details(
    *,
    shipping_address,
    shipping_method,
    guest_email,
    billing_address=None,
    language: str | None = None,
) -> dict:
    """The JSON-safe facts an order needs, kept beside the payment. A basket that
    needs no shipping has no shipping address. `language` (default: the one active
    now, the shopper's) is the one the order is placed and e-mailed in, also when
    the webhook places it after the shopper has gone."""
    return {
        "shipping_address": _address_data(shipping_address),
        "billing_address": _address_data(billing_address),
        "shipping_method_code": shipping_method.code,
        "guest_email": guest_email or "",
        "language": language or translation.get_language(),
    }


def _customer(payment):
    user = payment.user or AnonymousUser()
    email = payment.details.get("guest_email") or getattr(user, "email", "") or ""
    return user, email


def _shopper(payment) -> ShopperKey:
    """Who a flash sale's per-shopper limit counts: the account, the checkout
    e-mail and the delivery address's mobile number."""
    user, email = _customer(payment)
    address = payment.details.get("shipping_address") or {}
    return ShopperKey.of(user=user, email=email, phone=address.get("phone_number", ""))


def _checkout_for(payment) -> Checkout:
    """Offers, shipping and totals for the payment's basket, recomputed now."""
    user, email = _customer(payment)
    basket = payment.basket
    basket.reset_offer_applications()
    basket.strategy = Selector().strategy(user=payment.user)
    CheckoutApplicator(email=email).apply(basket, user)
    details = payment.details
    shipping = details.get("shipping_address")
    address = ShippingAddress(**shipping) if shipping else None
    if basket.is_shipping_required() and address is None:
        raise CheckoutRefused(_("Please enter a delivery address."))
    billing = details.get("billing_address")
    if billing:
        billing_address = BillingAddress(**billing)
    elif address is not None:
        # Oscar records a billing address; without one given it is the delivery one.
        billing_address = BillingAddress()
        address.populate_alternative_model(billing_address)
    else:
        billing_address = None
    methods = Repository().get_shipping_methods(basket, shipping_addr=address)
    method = next(
        (m for m in methods if m.code == details.get("shipping_method_code")), None
    )
    if method is None:
        raise CheckoutRefused(
            _("That delivery method is no longer offered; please choose another.")
        )
    charge = method.calculate(basket)
    return Checkout(
        basket=basket,
        user=user,
        guest_email=details.get("guest_email") or "",
        shipping_address=address,
        billing_address=billing_address,
        method=method,
        charge=charge,
        total=OrderTotalCalculator().calculate(basket, charge),
    )


def _lock_and_check(payment, *, all_offers: bool, hold_stock: bool) -> Checkout:
    """Inside a transaction: take the checkout's locks in the fixed order and run
    every check that can refuse it. Raises CheckoutRefused or InsufficientStock.

    Before charging only offers with limits are locked (so unlimited sale offers
    don't queue every checkout behind one payment call); placing locks every offer
    applied, since Oscar then rewrites their usage counters.
    """
    Basket.objects.select_for_update().filter(pk=payment.basket_id).first()
    if payment.pk:
        CheckoutPayment.objects.select_for_update().filter(pk=payment.pk).first()
    user, email = _customer(payment)
    vouchers = Voucher.objects.filter(basket=payment.basket_id).order_by("pk")
    for voucher in vouchers.select_for_update(of=("self",)):
        refusal = voucher_refusal(voucher, user=user, email=email)
        if refusal:
            raise CheckoutRefused(
                refusal + " " + _("Please remove it from your basket.")
            )
    applications = _checkout_for(payment).basket.offer_applications
    applied = [application["offer"].pk for application in applications]
    offers = ConditionalOffer.objects.filter(pk__in=applied)
    if not all_offers:
        offers = offers.filter(LIMITED)
    list(offers.select_for_update().order_by("pk").values_list("pk", flat=True))
    # Recomputed now that the offers' usage counters can't move under us.
    checkout = _checkout_for(payment)
    checkout.shopper = _shopper(payment)
    try:
        checkout.flash = flash_lock_and_check(
            basket=payment.basket, shopper=checkout.shopper, holding=hold_stock
        )
    except FlashRefusal as refusal:
        raise CheckoutRefused(str(refusal)) from refusal
    if hold_stock:
        stock_reserve_basket(basket=payment.basket)
        flash_hold_basket(
            basket=payment.basket, wants=checkout.flash, shopper=checkout.shopper
        )
    else:
        stock_confirm_for_order(basket=payment.basket)
    return checkout


def payment_start(*, basket, user, details: dict, gateway=None) -> CheckoutPayment:
    """Check the checkout, hold the basket's stock and return this checkout's payment
    intent, created on the gateway at most once per basket total (double taps and
    reloads reuse it).

    Raises CheckoutRefused or InsufficientStock (nothing held, nothing created), or
    PaymentError.
    """
    gateway = gateway or get_gateway()
    with transaction.atomic():
        probe = CheckoutPayment(
            basket=basket, user=user, details=details, gateway=gateway.name
        )
        checkout = _lock_and_check(probe, all_offers=False, hold_stock=True)
        amount, currency = checkout.total.incl_tax, checkout.currency
        open_payments = CheckoutPayment.objects.filter(
            basket=basket, order=None
        ).exclude(status=CANCELED)
        for payment in open_payments:
            if (
                payment.amount == amount
                and payment.currency == currency
                and payment.gateway == gateway.name
            ):
                payment.details, payment.user = details, user
                payment.save(update_fields=["details", "user", "updated_at"])
                return payment
            _cancel_quietly(payment)
        attempt = CheckoutPayment.objects.filter(basket=basket).count()
        minor = to_minor_units(amount, currency)
        intent = gateway.intent_create(
            amount=minor,
            currency=currency,
            method_types=gateway.method_types(currency),
            metadata={"basket": str(basket.pk)},
            idempotency_key=f"basket-{basket.pk}-{currency}-{minor}-{attempt}",
        )
        return CheckoutPayment.objects.create(
            gateway=gateway.name,
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
        get_gateway(payment.gateway).intent_cancel(payment.intent_id)
    except PaymentError:
        logger.warning("Could not cancel intent %s", payment.intent_id)
    CheckoutPayment.objects.filter(pk=payment.pk).update(status=CANCELED)
    payment.status = CANCELED


def payment_pay(*, payment: CheckoutPayment, token: str, request=None):
    """Charge the card the browser tokenised and, when the charge succeeds at once,
    place the order in the same transaction. The amount is the server's, never the
    browser's: the intent was created for it before the card was seen.

    Returns (payment, order or None: the browser must finish, e.g. 3-D Secure).
    Raises CheckoutRefused / InsufficientStock before charging (the intent is
    cancelled: nothing charged), PaymentError if the gateway declines, and
    PaymentMismatch if a charge could not become an order (refunded).
    """
    gateway = get_gateway(payment.gateway)
    charged = None
    try:
        with transaction.atomic():
            payment = _locked_payment(payment)
            if payment.order is not None:  # a double tap: the first one placed it
                return payment, payment.order
            if payment.status == CANCELED:
                raise CheckoutRefused(_("Your checkout has expired; please try again."))
            checkout = _lock_and_check(payment, all_offers=False, hold_stock=True)
            if checkout.amount_minor() != to_minor_units(
                payment.amount, payment.currency
            ):
                raise CheckoutRefused(
                    _(
                        "Your basket's total has changed to %(total)s since you "
                        "reached the pay step; please check it and pay again."
                    )
                    % {"total": currency(checkout.total.incl_tax, checkout.currency)}
                )
            try:
                intent = gateway.intent_pay(payment.intent_id, token=token)
            except PaymentError:
                counter_add(PAYMENT_FAILURES)
                raise
            payment.status = intent.status
            payment.save(update_fields=["status", "updated_at"])
            if not intent.succeeded:
                return payment, None
            charged = intent
            return payment, _place_verified(payment, intent, request=request)
    except (CheckoutRefused, InsufficientStock, PaymentMismatch) as refusal:
        if charged is None:
            _cancel_quietly(payment)
            raise
        _refund_unfulfillable(payment.intent_id, reason=str(refusal))
        raise PaymentMismatch(
            _("Sorry, we could not complete your order; your payment is refunded.")
        ) from refusal


def order_place_for_intent(*, intent_id: str, request=None):
    """Place the order for a paid intent exactly once and return it.

    Raises PaymentError when the intent has not succeeded, and PaymentMismatch
    (after refunding) when the checkout can no longer be fulfilled as paid.
    """
    payment = CheckoutPayment.objects.get(intent_id=intent_id)
    try:
        with transaction.atomic():
            payment = _locked_payment(payment)
            if payment.order is not None:
                return payment.order
            intent = get_gateway(payment.gateway).intent_retrieve(intent_id)
            if intent.succeeded:
                return _place_verified(payment, intent, request=request)
            payment.status = intent.status
            payment.save(update_fields=["status", "updated_at"])
    except (CheckoutRefused, InsufficientStock, PaymentMismatch) as problem:
        _refund_unfulfillable(intent_id, reason=str(problem))
        raise PaymentMismatch(
            _("Sorry, we could not complete your order; your payment is refunded.")
        ) from problem
    raise PaymentError(_("The payment has not gone through."))


def _locked_payment(payment):
    """The payment re-read under its basket's lock, then its own (the fixed order)."""
    Basket.objects.select_for_update().filter(pk=payment.basket_id).first()
    return (
        CheckoutPayment.objects.select_for_update(of=("self",))
        .select_related("order", "basket", "user")
        .get(pk=payment.pk)
    )


def _place_verified(payment, intent, *, request=None):
    checkout = _lock_and_check(payment, all_offers=True, hold_stock=False)
    if checkout.amount_minor() != intent.amount or checkout.currency != intent.currency:
        raise PaymentMismatch("The basket changed after payment.")
    basket = checkout.basket
    records = [line.stockrecord_id for line in basket.all_lines()]
    alerts_before = stock_open_alert_ids(stockrecord_ids=records)
    # In the shopper's language, whoever places it (their return, the webhook in a
    # worker): the confirmation is written now and the order remembers it
    # (shop.fulfilment.languages) for the mails that follow.
    with translation.override(payment.details.get("language") or None):
        order = OrderPlacement(request).place_paid(
            checkout=checkout,
            intent=intent,
            gateway=get_gateway(payment.gateway),
            payment_amount=from_minor_units(intent.amount, intent.currency),
        )
    flash_record_order(
        order=order, basket=basket, wants=checkout.flash, shopper=checkout.shopper
    )
    stock_release_basket(basket=basket)
    for alert_id in stock_alerts_raise(stockrecord_ids=records) - alerts_before:
        notify_low_stock.delay_on_commit(alert_id)
    payment.order, payment.status = order, intent.status
    payment.save(update_fields=["order", "status", "updated_at"])
    return order


def _refund_unfulfillable(intent_id: str, *, reason: str) -> None:
    with transaction.atomic():
        payment = CheckoutPayment.objects.select_for_update().get(intent_id=intent_id)
        if payment.status == REFUNDED:
            return
        logger.warning("Refunding %s: %s", intent_id, reason)
        get_gateway(payment.gateway).refund_create(
            intent_id=intent_id,
            amount=to_minor_units(payment.amount, payment.currency),
            idempotency_key=f"refund-whole-{intent_id}",
        )
        payment.status = REFUNDED
        payment.save(update_fields=["status", "updated_at"])
