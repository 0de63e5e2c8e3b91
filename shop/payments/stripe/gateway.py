"""Stripe as a shop gateway: the neutral operations over api.py and webhooks.py."""

from django.conf import settings

from ..interface import Event, Intent, Refund
from . import api, webhooks
from .consts import DISPLAY_NAME, GATEWAY_NAME, TOKEN_FIELD, WALLET_CURRENCIES


class StripeGateway:
    name = GATEWAY_NAME
    display_name = DISPLAY_NAME
    token_field = TOKEN_FIELD

    def method_types(self, currency: str) -> list[str]:
        """Card always; WeChat Pay and Alipay where settings enable them for
        `currency`."""
        wallets = [
            method
            for method in settings.STRIPE_WALLETS
            if currency.upper() in WALLET_CURRENCIES.get(method, set())
        ]
        return ["card", *wallets]

    def checkout_context(self) -> dict:
        """What the pay page needs to load Stripe.js."""
        return {
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "stripe_js_url": settings.STRIPE_JS_URL,
        }

    def intent_create(self, **kwargs) -> Intent:
        return api.intent_create(**kwargs)

    def intent_retrieve(self, intent_id: str) -> Intent:
        return api.intent_retrieve(intent_id)

    def intent_pay(self, intent_id: str, *, token: str) -> Intent:
        return api.intent_pay(intent_id, token=token)

    def intent_cancel(self, intent_id: str) -> Intent:
        return api.intent_cancel(intent_id)

    def refund_create(
        self, *, intent_id: str, amount: int, idempotency_key: str
    ) -> Refund:
        return api.refund_create(
            intent_id=intent_id, amount=amount, idempotency_key=idempotency_key
        )

    def webhook_event(self, payload: bytes, headers) -> Event:
        return webhooks.webhook_event(payload, headers)
