"""Placing an order the Oscar way, with or without a request.

The shopper's return places it with their request; the gateway's webhook places it
with none (no session to flush then: the next checkout page the shopper opens does
it, see views.SettleMixin)."""

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from insights.attribution import order_attribution_copy

OrderPlacementMixin = get_class("checkout.mixins", "OrderPlacementMixin")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Transaction = get_model("payment", "Transaction")

logger = logging.getLogger("oscar.checkout")

# Where the thank-you page finds the order (Oscar's key).
ORDER_SESSION_KEY = "checkout_order_id"


class OrderPlacement(OrderPlacementMixin):
    """Oscar's OrderPlacementMixin outside a view: `request` is optional."""

    def __init__(self, request=None):
        self.request = request
        if request is not None:
            self.checkout_session = CheckoutSessionData(request)

    def place_paid(self, *, checkout, intent, gateway, payment_amount):
        """Write the order, its payment source and event, submit the basket, send the
        confirmation and Oscar's post_checkout signal (after commit). Call inside the
        transaction holding the checkout's locks."""
        self.add_payment_source(
            self._source(gateway, intent, payment_amount, checkout.currency)
        )
        self.add_payment_event("Paid", payment_amount, reference=intent.id)
        order = self.place_order(
            order_number=self.generate_order_number(checkout.basket),
            user=checkout.user,
            basket=checkout.basket,
            shipping_address=checkout.shipping_address,
            shipping_method=checkout.method,
            shipping_charge=checkout.charge,
            billing_address=checkout.billing_address,
            order_total=checkout.total,
            guest_email=checkout.guest_email,
            request=self.request,
        )
        order_attribution_copy(order=order, basket=checkout.basket)
        checkout.basket.submit()
        # The mail is queued by the site's e-mail backend and leaves after commit.
        self.send_order_placed_email(order)
        transaction.on_commit(lambda: self.send_signal(self.request, None, order))
        return order

    def _source(self, gateway, intent, amount, currency):
        source_type, _ = SourceType.objects.get_or_create(name=gateway.display_name)
        source = Source(
            source_type=source_type,
            currency=currency,
            amount_allocated=amount,
            amount_debited=amount,
            reference=intent.id,
        )
        # Saved with the source once the order exists (Oscar's save_payment_sources).
        source.create_deferred_transaction(
            Transaction.DEBIT,
            amount,
            reference=intent.charge_id or intent.id,
            status="Succeeded",
        )
        return source

    def handle_successful_order(self, order):
        """The shopper is back: forget the checkout (guest e-mail, addresses) and
        show the order. The mail and signal went when the order was placed."""
        self.checkout_session.flush()
        self.request.session[ORDER_SESSION_KEY] = order.id
        return redirect(self.get_success_url())

    def send_signal(self, request, response, order):
        self.view_signal.send(
            sender=self,
            order=order,
            user=order.user or AnonymousUser(),
            request=request,
            response=response,
        )

    def get_message_context(self, order):
        """Oscar's context, for a placement that may have no request: the order says
        whether its status page is the account's or the anonymous one."""
        if order.user_id:
            path = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            path = reverse(
                "customer:anon-order",
                kwargs={
                    "order_number": order.number,
                    "hash": order.verification_hash(),
                },
            )
        site = Site.objects.get_current()
        return {
            "user": order.user,
            "order": order,
            "lines": order.lines.all(),
            "request": self.request,
            "site": site,
            "status_path": path,
            "status_url": f"{settings.OSCAR_URL_SCHEMA}://{site.domain}{path}",
        }
