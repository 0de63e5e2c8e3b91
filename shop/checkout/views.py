"""Oscar's checkout, paying with Stripe: the payment step holds stock and shows the
card form; the return view and the webhook both place the order (once)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from shop.partner.services import InsufficientStock
from shop.payments.interface import REQUIRES_ACTION, InvalidWebhook, PaymentError
from shop.payments.stripe import api as gateway

from . import services
from .tasks import process_gateway_event

CheckoutPayment = get_model("checkout", "CheckoutPayment")
GatewayEvent = get_model("checkout", "GatewayEvent")

SESSION_PAYMENT_KEY = "checkout_payment_id"


def _order_placed(request, order):
    """What Oscar does after placing an order, for orders placed by our services."""
    request.session.pop(SESSION_PAYMENT_KEY, None)
    request.session["checkout_order_id"] = order.id
    return redirect("checkout:thank-you")


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """The pay step: the order summary, held stock and a card form for this
    checkout's payment intent. Oscar's separate preview step folds into it."""

    template_name = "oscar/checkout/payment_details.html"
    template_name_preview = "oscar/checkout/payment_details.html"

    def get(self, request, *args, **kwargs):
        if self.preview:
            return redirect("checkout:payment-details")
        try:
            payment = self._start_payment()
        except InsufficientStock as shortage:
            messages.error(
                request,
                _("Sorry, not enough stock: %(detail)s. Your basket is unchanged.")
                % {"detail": shortage},
            )
            return redirect("basket:summary")
        except PaymentError as error:
            messages.error(request, str(error))
            return redirect("basket:summary")
        return self.render_payment_details(request, payment=payment)

    def _start_payment(self):
        submission = self.build_submission()
        details = services.checkout_details(
            shipping_address=submission["shipping_address"],
            shipping_method=submission["shipping_method"],
            guest_email=submission["order_kwargs"].get("guest_email"),
        )
        user = self.request.user if self.request.user.is_authenticated else None
        payment = services.payment_start(
            basket=self.request.basket, user=user, details=details
        )
        self.request.session[SESSION_PAYMENT_KEY] = payment.pk
        return payment

    def _session_payment(self):
        return CheckoutPayment.objects.filter(
            pk=self.request.session.get(SESSION_PAYMENT_KEY),
            basket=self.request.basket,
            order=None,
        ).first()

    def post(self, request, *args, **kwargs):
        payment = self._session_payment()
        token = request.POST.get("stripe_token", "").strip()
        if payment is None:
            messages.error(request, _("Your checkout has expired; please try again."))
            return redirect("checkout:payment-details")
        if not token:
            return self.render_payment_details(
                request, payment=payment, error=_("Please enter your card details.")
            )
        try:
            payment = services.payment_pay_with_card(payment=payment, token=token)
        except InsufficientStock as shortage:
            messages.error(
                request,
                _(
                    "Sorry, that sold out while you were paying: %(detail)s. "
                    "You have not been charged."
                )
                % {"detail": shortage},
            )
            return redirect("basket:summary")
        except PaymentError as error:
            return self.render_payment_details(
                request, payment=payment, error=str(error)
            )
        try:
            if payment.status == REQUIRES_ACTION:
                # Stripe.js completes 3-D Secure, then returns to payment-return.
                return self.render_payment_details(
                    request, payment=payment, requires_action=True
                )
            order = services.order_place_for_intent(intent_id=payment.intent_id)
        except PaymentError as error:
            return self.render_payment_details(
                request, payment=payment, error=str(error)
            )
        return _order_placed(request, order)

    def render_payment_details(self, request, **kwargs):
        payment = kwargs["payment"]
        context = self.get_context_data(
            stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
            stripe_js_url=settings.STRIPE_JS_URL,
            return_url=request.build_absolute_uri(reverse("checkout:payment-return")),
            **kwargs,
        )
        context["payment_amount"] = payment.amount
        context["wallets"] = [
            method
            for method in services.method_types(payment.currency)
            if method != "card"
        ]
        return self.render_to_response(context)


class PaymentReturnView(View):
    """Where the shopper lands after Stripe.js (3-D Secure, wallets): place the order
    if the webhook has not already, and show it."""

    def get(self, request):
        intent_id = request.GET.get("payment_intent", "")
        payment = CheckoutPayment.objects.filter(
            pk=request.session.get(SESSION_PAYMENT_KEY), intent_id=intent_id
        ).first()
        if payment is None:
            messages.error(request, _("We could not find that payment."))
            return redirect("basket:summary")
        try:
            order = services.order_place_for_intent(intent_id=intent_id)
        except PaymentError as error:
            messages.error(request, str(error))
            return redirect("checkout:payment-details")
        return _order_placed(request, order)


@method_decorator(csrf_exempt, name="dispatch")
class GatewayWebhookView(View):
    """Stripe's webhook: verified, recorded once by event id, processed by Celery."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            event = gateway.webhook_event(
                request.body, request.headers.get("Stripe-Signature", "")
            )
        except InvalidWebhook:
            return HttpResponseBadRequest("invalid signature")
        _, created = GatewayEvent.objects.get_or_create(
            event_id=event.id,
            defaults={
                "type": event.type,
                "object_id": event.object_id,
                "payload": event.data,
            },
        )
        if created:
            process_gateway_event.delay_on_commit(event.id)
        return HttpResponse(status=200)
