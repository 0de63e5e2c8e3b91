"""Oscar's checkout, paying through the payment gateway: the pay step checks the
checkout, holds stock and shows the card form; the pay step, the return view and the
webhook all place the order through services (once)."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from insights.attribution import checkout_start_record
from shop.flashsales.checkout import flash_lines_reprice
from shop.partner.services import InsufficientStock
from shop.payments import (
    REQUIRES_ACTION,
    InvalidWebhook,
    PaymentError,
    UnknownGateway,
    get_gateway,
)

from . import services
from .events import gateway_event_record
from .placement import OrderPlacement

CheckoutPayment = get_model("checkout", "CheckoutPayment")

SESSION_PAYMENT_KEY = "checkout_payment_id"


def _order_placed(request, order):
    """Oscar's end of checkout for our placements: the session forgets the checkout
    (guest e-mail, addresses, the payment) and the thank-you page shows the order."""
    request.session.pop(SESSION_PAYMENT_KEY, None)
    return OrderPlacement(request).handle_successful_order(order)


class SettleMixin:
    """An order the webhook placed while the shopper was away has no session to
    flush then; the first checkout page they open afterwards does it."""

    def dispatch(self, request, *args, **kwargs):
        payment_id = request.session.get(SESSION_PAYMENT_KEY)
        if payment_id is not None:
            payment = (
                CheckoutPayment.objects.filter(pk=payment_id)
                .exclude(order=None)
                .select_related("order")
                .first()
            )
            if payment is not None:
                return _order_placed(request, payment.order)
        return super().dispatch(request, *args, **kwargs)


class IndexView(SettleMixin, oscar_views.IndexView):
    pass


class ShippingAddressView(SettleMixin, oscar_views.ShippingAddressView):
    pass


class ShippingMethodView(SettleMixin, oscar_views.ShippingMethodView):
    pass


class PaymentDetailsView(SettleMixin, oscar_views.PaymentDetailsView):
    """The pay step: the order summary, held stock and a card form for this
    checkout's payment intent. Oscar's separate preview step folds into it."""

    template_name = "oscar/checkout/payment_details.html"
    template_name_preview = "oscar/checkout/payment_details.html"

    def get(self, request, *args, **kwargs):
        if self.preview:
            return redirect("checkout:payment-details")
        # A flash line whose session ended is at the regular price now: say so.
        for notice in flash_lines_reprice(basket=request.basket):
            messages.warning(request, notice)
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
            billing_address=submission["billing_address"],
            guest_email=submission["order_kwargs"].get("guest_email"),
            language=self.request.LANGUAGE_CODE,
        )
        user = self.request.user if self.request.user.is_authenticated else None
        payment = services.payment_start(
            basket=self.request.basket, user=user, details=details
        )
        self.request.session[SESSION_PAYMENT_KEY] = payment.pk
        checkout_start_record(request=self.request, basket=self.request.basket)
        return payment

    def _session_payment(self):
        return CheckoutPayment.objects.filter(
            pk=self.request.session.get(SESSION_PAYMENT_KEY),
            basket=self.request.basket,
            order=None,
        ).first()

    def post(self, request, *args, **kwargs):
        payment = self._session_payment()
        if payment is None:
            messages.error(request, _("Your checkout has expired; please try again."))
            return redirect("checkout:payment-details")
        gateway = get_gateway(payment.gateway)
        token = request.POST.get(gateway.token_field, "").strip()
        if not token:
            return self.render_payment_details(
                request, payment=payment, error=_("Please enter your card details.")
            )
        try:
            payment, order = services.payment_pay(
                payment=payment, token=token, request=request
            )
        except (services.CheckoutRefused, InsufficientStock) as refusal:
            messages.error(
                request,
                _(
                    "Sorry, we can't take this order: %(reason)s "
                    "You have not been charged."
                )
                % {"reason": _sentence(refusal)},
            )
            return redirect("basket:summary")
        except services.PaymentMismatch as error:
            messages.error(request, str(error))
            return redirect("basket:summary")
        except PaymentError as error:
            return self.render_payment_details(
                request, payment=payment, error=str(error)
            )
        if order is not None:
            return _order_placed(request, order)
        if payment.status == REQUIRES_ACTION:
            # The browser completes 3-D Secure, then returns to payment-return.
            return self.render_payment_details(
                request, payment=payment, requires_action=True
            )
        return self.render_payment_details(
            request, payment=payment, error=_("The payment has not gone through.")
        )

    def render_payment_details(self, request, **kwargs):
        payment = kwargs["payment"]
        gateway = get_gateway(payment.gateway)
        context = self.get_context_data(
            return_url=request.build_absolute_uri(reverse("checkout:payment-return")),
            **gateway.checkout_context(),
            **kwargs,
        )
        context["payment_amount"] = payment.amount
        context["token_field"] = gateway.token_field
        context["wallets"] = [
            method
            for method in gateway.method_types(payment.currency)
            if method != "card"
        ]
        return self.render_to_response(context)


def _sentence(error) -> str:
    text = str(error).strip()
    if isinstance(error, InsufficientStock):
        text = _("not enough stock: %(detail)s") % {"detail": text}
    return text if text.endswith(".") else f"{text}."


class PaymentReturnView(View):
    """Where the shopper lands after the gateway's page or script (3-D Secure,
    wallets): place the order if the webhook has not already, and show it."""

    def get(self, request):
        intent_id = request.GET.get("payment_intent", "")
        payment = CheckoutPayment.objects.filter(
            pk=request.session.get(SESSION_PAYMENT_KEY), intent_id=intent_id
        ).first()
        if payment is None:
            messages.error(request, _("We could not find that payment."))
            return redirect("basket:summary")
        try:
            order = services.order_place_for_intent(
                intent_id=intent_id, request=request
            )
        except services.PaymentMismatch as error:
            messages.error(request, str(error))
            return redirect("basket:summary")
        except PaymentError as error:
            messages.error(request, str(error))
            return redirect("checkout:payment-details")
        return _order_placed(request, order)


@method_decorator(csrf_exempt, name="dispatch")
class GatewayWebhookView(View):
    """A gateway's webhook: verified by the gateway, recorded once by event id,
    processed by Celery. A redelivery of an event not yet processed queues it again.
    """

    http_method_names = ["post"]

    def post(self, request, gateway):
        try:
            gateway = get_gateway(gateway)
        except UnknownGateway:
            raise Http404("no such payment gateway") from None
        try:
            event = gateway.webhook_event(request.body, request.headers)
        except InvalidWebhook:
            return HttpResponseBadRequest("invalid signature")
        gateway_event_record(event=event)
        return HttpResponse(status=200)
