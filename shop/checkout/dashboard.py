from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from oscar.core.loading import get_model

from .refunds import RefundError, order_refund

Order = get_model("order", "Order")


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to refund"), min_value=0, decimal_places=2
    )


class OrderRefundView(PermissionRequiredMixin, View):
    """The refund form on Oscar's dashboard order page posts here."""

    permission_required = "order.change_order"
    http_method_names = ["post"]

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        url = redirect("dashboard:order-detail", number=order.number)
        form = RefundForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the amount to refund, e.g. 10.00."))
            return url
        try:
            left = order_refund(order=order, amount=form.cleaned_data["amount"])
        except RefundError as error:
            messages.error(request, str(error))
            return url
        messages.success(
            request,
            _("Refunded %(amount)s. %(left)s can still be refunded.")
            % {"amount": form.cleaned_data["amount"], "left": left},
        )
        return url
