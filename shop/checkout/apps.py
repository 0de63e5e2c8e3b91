import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.payment_return_view = get_class("checkout.views", "PaymentReturnView")
        self.gateway_webhook_view = get_class("checkout.views", "GatewayWebhookView")

    def get_urls(self):
        return super().get_urls() + self.post_process_urls(
            [
                path(
                    "payment-return/",
                    self.payment_return_view.as_view(),
                    name="payment-return",
                ),
                path(
                    "<slug:gateway>/webhook/",
                    self.gateway_webhook_view.as_view(),
                    name="gateway-webhook",
                ),
            ]
        )
