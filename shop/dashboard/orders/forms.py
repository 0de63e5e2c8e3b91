from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import forms as oscar_forms
from oscar.apps.dashboard.orders.forms import *  # noqa: F403  Oscar's fork convention

from shop.fulfilment.models import AfterSalesRequest, Carrier
from shop.fulfilment.refunds_by_line import REASONS
from shop.fulfilment.status_change import OWN_FORM
from shop.fulfilment.statuses import label


class OrderStatusForm(oscar_forms.OrderStatusForm):
    """Oscar's, offering the statuses a plain change reaches (dispatch and refunds
    have their own forms), each named in the reader's language."""

    def __init__(self, order, *args, **kwargs):
        super().__init__(order, *args, **kwargs)
        self.fields["new_status"].choices = [
            (status, label(status))
            for status in order.available_statuses()
            if status not in OWN_FORM
        ]


def carrier_field():
    return forms.ModelChoiceField(
        queryset=Carrier.objects.filter(is_active=True),
        label=_("Carrier"),
        empty_label=None,
    )


class DispatchForm(forms.Form):
    carrier = carrier_field()
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class BulkDispatchForm(forms.Form):
    """A carrier and tracking number for each of several orders."""

    def __init__(self, orders, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.orders = list(orders)
        for order in self.orders:
            self.fields[f"carrier_{order.pk}"] = carrier_field()
            self.fields[f"tracking_{order.pk}"] = forms.CharField(
                label=_("Tracking number for %(number)s") % {"number": order.number},
                max_length=64,
            )

    def rows(self):
        return [
            (order, self[f"carrier_{order.pk}"], self[f"tracking_{order.pk}"])
            for order in self.orders
        ]


class TrackingImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: order_number, carrier, tracking_number (UTF-8)."),
    )


class LineRefundForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=list(REASONS.items()))
    restock = forms.BooleanField(
        label=_("Put the units back into stock"), required=False
    )


class AfterSalesFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + AfterSalesRequest.STATUSES,
    )


class AfterSalesDecisionForm(forms.Form):
    """Approve or reject a request, or mark a return received (refund + stock)."""

    APPROVE, REJECT, RECEIVE = "approve", "reject", "receive"
    action = forms.ChoiceField(
        choices=[
            (APPROVE, _("Approve")),
            (REJECT, _("Reject")),
            (RECEIVE, _("Mark received and refund")),
        ]
    )
    message = forms.CharField(
        label=_("Message to the shopper"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    restock = forms.BooleanField(
        label=_("Put the returned units back into stock"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not cleaned.get("message"):
            self.add_error("message", _("Tell the shopper why it is rejected."))
        return cleaned
