"""Oscar's order views, with every status change going through the fulfilment
lifecycle, plus dispatch (one order or many), tracking numbers from CSV, packing
slips, cancel, and refunds by line."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.dashboard.orders.views import *  # noqa: F403  Oscar's fork convention
from oscar.apps.dashboard.orders.views import queryset_orders_for_user
from oscar.core.loading import get_model

from shop.checkout.refunds import RefundError
from shop.fulfilment import selectors, statuses
from shop.fulfilment.aftersales import (
    REASONS as AFTERSALES_REASONS,
)
from shop.fulfilment.aftersales import (
    aftersales_approve,
    aftersales_receive,
    aftersales_reject,
    aftersales_timeline,
)
from shop.fulfilment.cancel import order_cancel
from shop.fulfilment.dispatch import Dispatch, order_dispatch, orders_dispatch
from shop.fulfilment.lifecycle import TransitionRefused, refunded_quantity
from shop.fulfilment.models import AfterSalesRequest, Carrier
from shop.fulfilment.refunds_by_line import LineRefund, order_refund_lines
from shop.fulfilment.status_change import order_status_change, order_status_check
from shop.fulfilment.tracking_import import tracking_import

from .forms import (
    AfterSalesDecisionForm,
    AfterSalesFilterForm,
    BulkDispatchForm,
    DispatchForm,
    LineRefundForm,
    TrackingImportForm,
)

Order = get_model("order", "Order")

MAX_ORDERS_AT_ONCE = 200


class OrderListView(oscar_views.OrderListView):
    def change_order_statuses(self, request, orders):
        """All the selected orders change, or none does (400, saying which and
        why). A cancel refunds through the gateway, so every order is checked
        before the first one changes."""
        new_status = request.POST.get("new_status", "").strip()
        try:
            for order in orders:
                order_status_check(order=order, to=new_status)
            with transaction.atomic():
                for order in orders:
                    order_status_change(order=order, to=new_status, by=request.user)
        except (TransitionRefused, RefundError) as refused:
            messages.error(request, str(refused))
            response = self.get(request)
            response.status_code = 400
            return response
        messages.info(
            request,
            ngettext(
                "%(count)s order is now %(status)s.",
                "%(count)s orders are now %(status)s.",
                len(orders),
            )
            % {"count": len(orders), "status": statuses.label(new_status)},
        )
        return redirect("dashboard:order-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_labels"] = statuses.LABELS
        return context


class OrderDetailView(oscar_views.OrderDetailView):
    order_actions = (
        "save_note",
        "delete_note",
        "change_order_status",
        "dispatch_order",
        "cancel_order",
    )
    # Oscar's raw line status, shipping and payment event forms would change an
    # order without its effects (stock, money, e-mail): refunds by line replace them.
    line_actions = ("refund_lines",)

    def reload_page(self, fragment=None, error=None):
        """Oscar redirects back after every action; a refused one is shown on the
        page it came from with a 400 instead (nothing was changed)."""
        if not error:
            return super().reload_page(fragment=fragment)
        messages.error(self.request, error)
        self.object.refresh_from_db()
        return self.render_to_response(self.get_context_data(), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        refundable = selectors.line_refundable_quantities(order)
        context.update(
            {
                "status_label": statuses.label(order.status),
                "refund_state": selectors.order_refund_state(order),
                "shipments": selectors.order_shipments(order),
                "money_movements": selectors.order_money_movements(order),
                "refundable_lines": [
                    (line, left)
                    for line in order.lines.all()
                    if (left := refundable.get(line.pk))
                ],
                "dispatch_form": kwargs.get("dispatch_form") or DispatchForm(),
                "line_refund_form": LineRefundForm(),
                "after_sales_requests": order.after_sales_requests.all(),
                "can_dispatch": statuses.SHIPPED in order.available_statuses(),
                "can_cancel": statuses.CANCELLED in order.available_statuses(),
            }
        )
        return context

    def change_order_status(self, request, order):
        form = self.get_order_status_form()
        if not form.is_valid():
            return self.reload_page(error=_("Choose one of the statuses offered."))
        return self._act(
            lambda: order_status_change(
                order=order, to=form.cleaned_data["new_status"], by=request.user
            ),
            _("The order is now %(status)s."),
        )

    def dispatch_order(self, request, order):
        form = DispatchForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Choose a carrier and enter the tracking number.")
            )
            return self.render_to_response(
                self.get_context_data(dispatch_form=form), status=400
            )
        return self._act(
            lambda: order_dispatch(
                order=order,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
                by=request.user,
            ),
            _("Dispatched: the shopper has been e-mailed the tracking link."),
        )

    def cancel_order(self, request, order):
        return self._act(
            lambda: order_cancel(
                order=order, by=request.user, reason=request.POST.get("reason", "")
            ),
            _("Cancelled and refunded; the stock and any voucher are back."),
        )

    def refund_lines(self, request, order, lines, quantities):
        form = LineRefundForm(request.POST)
        if not form.is_valid():
            return self.reload_page(error=_("Choose why the lines are refunded."))
        return self._act(
            lambda: order_refund_lines(
                order=order,
                refunds=[
                    LineRefund(line, qty)
                    for line, qty in zip(lines, quantities, strict=True)
                ],
                reason=form.cleaned_data["reason"],
                restock=form.cleaned_data["restock"],
                by=request.user,
            ),
            _("Refunded; the shopper has been e-mailed."),
        )

    def _act(self, operation, success: str):
        try:
            operation()
        except (TransitionRefused, RefundError) as refused:
            return self.reload_page(error=str(refused))
        self.object.refresh_from_db()
        messages.success(
            self.request, success % {"status": statuses.label(self.object.status)}
        )
        return self.reload_page()


def _orders_asked_for(request):
    """The orders a request names (ids from the list's checkboxes, or numbers)
    among those this user may see; None when any is not one of them."""
    ids = request.GET.getlist("selected_order") or request.POST.getlist("order")
    numbers = request.GET.getlist("number")
    if not (ids or numbers) or len(ids) + len(numbers) > MAX_ORDERS_AT_ONCE:
        return None
    if not all(value.isdigit() for value in ids):
        return None
    visible = queryset_orders_for_user(request.user)
    orders = list(
        visible.filter(pk__in=ids).order_by("pk")
        if ids
        else visible.filter(number__in=numbers).order_by("pk")
    )
    return orders if len(orders) == len(set(ids or numbers)) else None


class OrderDispatchView(View):
    """Dispatch several orders at once: a carrier and tracking number for each."""

    template_name = "oscar/dashboard/orders/dispatch.html"

    def get(self, request):
        orders = _orders_asked_for(request)
        if orders is None:
            return _back_to_list(request, _("Choose the orders to dispatch."))
        return self._render(BulkDispatchForm(orders))

    def post(self, request):
        orders = _orders_asked_for(request)
        if orders is None:
            return HttpResponseBadRequest(_("Those are not orders you can dispatch."))
        form = BulkDispatchForm(orders, request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        dispatches = [
            Dispatch(
                order,
                form.cleaned_data[f"carrier_{order.pk}"],
                form.cleaned_data[f"tracking_{order.pk}"],
            )
            for order in orders
        ]
        try:
            orders_dispatch(dispatches=dispatches, by=request.user)
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
            return self._render(form, status=400)
        messages.success(
            request,
            ngettext(
                "Dispatched %(count)s order.",
                "Dispatched %(count)s orders.",
                len(orders),
            )
            % {"count": len(orders)},
        )
        return redirect("dashboard:order-list")

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "carriers": Carrier.objects.filter(is_active=True)},
            status=status,
        )


class TrackingImportView(View):
    """Tracking numbers from a CSV file: all its orders dispatched, or none."""

    template_name = "oscar/dashboard/orders/tracking_import.html"

    def get(self, request):
        return self._render(TrackingImportForm())

    def post(self, request):
        form = TrackingImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form, status=400)
        result = tracking_import(data=form.cleaned_data["file"].read(), by=request.user)
        if not result.ok:
            return self._render(form, errors=result.errors, status=400)
        messages.success(
            request,
            ngettext(
                "Dispatched %(count)s order from the file.",
                "Dispatched %(count)s orders from the file.",
                len(result.shipments),
            )
            % {"count": len(result.shipments)},
        )
        return redirect("dashboard:order-list")

    def _render(self, form, errors=(), status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "errors": errors,
                "carriers": Carrier.objects.filter(is_active=True),
            },
            status=status,
        )


class PackingSlipsView(View):
    """Printable packing slips, one page per order."""

    def get(self, request):
        orders = _orders_asked_for(request)
        if orders is None:
            return HttpResponseBadRequest(_("Choose orders you can see."))
        slips = [
            {
                "order": order,
                "lines": [
                    (line, line.quantity - refunded)
                    for line in order.lines.all()
                    if (refunded := refunded_quantity(line)) < line.quantity
                ],
            }
            for order in orders
        ]
        return render(
            request, "oscar/dashboard/orders/packing_slips.html", {"slips": slips}
        )


def _back_to_list(request, error):
    messages.error(request, error)
    return HttpResponseRedirect(reverse("dashboard:order-list"))


class AfterSalesListView(View):
    """Shoppers' after-sales requests, waiting ones first, filtered by status."""

    template_name = "oscar/dashboard/orders/aftersales_list.html"

    def get(self, request):
        form = AfterSalesFilterForm(request.GET)
        requests = AfterSalesRequest.objects.filter(
            order__in=queryset_orders_for_user(request.user)
        ).select_related("order", "user")
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"form": form, "requests": requests.none()},
                status=400,
            )
        if form.cleaned_data["status"]:
            requests = requests.filter(status=form.cleaned_data["status"])
        return render(
            request,
            self.template_name,
            {"form": form, "requests": requests.order_by("date_created")[:500]},
        )


class AfterSalesDetailView(View):
    """One request: the shopper's lines, reason, photos and timeline; approve or
    reject with a message; mark a return received (refund by line, restock)."""

    template_name = "oscar/dashboard/orders/aftersales_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.after_sales = get_object_or_404(
            AfterSalesRequest.objects.select_related("order", "user", "return_carrier"),
            pk=kwargs["pk"],
            order__in=queryset_orders_for_user(request.user),
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(AfterSalesDecisionForm(initial={"restock": True}))

    def post(self, request, pk):
        form = AfterSalesDecisionForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        action, message = form.cleaned_data["action"], form.cleaned_data["message"]
        operations = {
            form.APPROVE: lambda: aftersales_approve(
                request=self.after_sales, by=request.user, message=message
            ),
            form.REJECT: lambda: aftersales_reject(
                request=self.after_sales, by=request.user, message=message
            ),
            form.RECEIVE: lambda: aftersales_receive(
                request=self.after_sales,
                by=request.user,
                restock=form.cleaned_data["restock"],
                message=message,
            ),
        }
        try:
            operations[action]()
        except (TransitionRefused, RefundError) as refused:
            form.add_error(None, str(refused))
            return self._render(form, status=400)
        messages.success(request, _("Done: the shopper can see it in their account."))
        return redirect("dashboard:aftersales-detail", pk=self.after_sales.pk)

    def _render(self, form, status=200):
        after_sales = self.after_sales
        after_sales.refresh_from_db()
        return render(
            self.request,
            self.template_name,
            {
                "after_sales": after_sales,
                "reason_label": AFTERSALES_REASONS.get(
                    after_sales.reason, after_sales.reason
                ),
                "items": after_sales.lines.select_related("line"),
                "photos": after_sales.photos.all(),
                "timeline": aftersales_timeline(after_sales),
                "form": form,
                "can_decide": after_sales.status == AfterSalesRequest.REQUESTED,
                "can_receive": after_sales.kind == AfterSalesRequest.RETURN
                and after_sales.status
                in (AfterSalesRequest.APPROVED, AfterSalesRequest.RETURN_SHIPPED),
            },
            status=status,
        )
