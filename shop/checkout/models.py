from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.models import *  # noqa: F403  Oscar's forking convention


class CheckoutPayment(models.Model):
    """One gateway payment intent per checkout: a basket at one total.

    `details` keeps what placing the order needs (addresses, shipping method, guest
    e-mail) so the order can be placed without the shopper's session, by the
    webhook. The one-to-one order link makes placing it twice impossible.
    """

    # Which gateway took it (shop.payments.get_gateway's name).
    gateway = models.CharField(max_length=32)
    intent_id = models.CharField(max_length=255, unique=True)
    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.PROTECT, related_name="checkout_payments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=12)
    client_secret = models.CharField(max_length=255)
    status = models.CharField(max_length=32)
    details = models.JSONField(default=dict)
    order = models.OneToOneField(
        "order.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkout_payment",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checkout payment")
        indexes = [models.Index(fields=["basket", "status"])]

    def __str__(self):
        return f"{self.intent_id} ({self.status})"


class GatewayEvent(models.Model):
    """A verified webhook event, recorded once by its gateway's id.

    It is marked processed only in the transaction that committed its effect, so an
    event whose processing died stays unprocessed and is queued again: by the
    gateway's redelivery, or by the beat task for events stuck past a few minutes.
    `type` is the neutral type (shop.payments), never the gateway's own name.
    """

    gateway = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    intent_id = models.CharField(max_length=255, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment gateway event")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="checkout_gatewayevent_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["queued_at"],
                condition=models.Q(processed_at__isnull=True),
                name="checkout_gatewayevent_open",
            )
        ]

    def __str__(self):
        return f"{self.gateway} {self.type} {self.event_id}"
