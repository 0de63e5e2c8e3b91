from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.customer import views as oscar_views
from oscar.core.loading import get_class

from shop import customer_orders
from shop.fulfilment import lifecycle
from shop.fulfilment import selectors as fulfilment

PageTitleMixin = get_class("customer.mixins", "PageTitleMixin")


class AccountSummaryView(PageTitleMixin, generic.TemplateView):
    """ "Me": the shopper's order tabs with counts, their account pages, sign-out."""

    template_name = "oscar/customer/me.html"
    page_title = _("Me")
    active_tab = "me"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = customer_orders.order_tab_counts(user=self.request.user)
        ctx["order_tabs"] = [
            (tab, customer_orders.TAB_LABELS[tab], counts[tab])
            for tab in customer_orders.TABS
        ]
        return ctx


def _order_page(order) -> dict:
    """What every order page shows: the latest shipment and the timeline, newest
    first."""
    return {
        "tracking": fulfilment.order_tracking(order),
        "timeline": list(reversed(fulfilment.order_timeline(order))),
    }


class OrderHistoryView(oscar_views.OrderHistoryView):
    """The shopper's orders under the mall's tabs (`?tab=to_ship` …), server-side."""

    def get(self, request, *args, **kwargs):
        self.tab = request.GET.get("tab") or None
        if self.tab is not None and self.tab not in customer_orders.TABS:
            raise Http404("No such order tab.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        orders = customer_orders.orders_for_tab(user=self.request.user, tab=self.tab)
        if self.form.is_bound and self.form.is_valid():
            orders = orders.filter(**self.form.get_filters())
        return orders

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        counts = customer_orders.order_tab_counts(user=self.request.user)
        ctx["current_tab"] = self.tab
        if self.tab == customer_orders.AWAITING_PAYMENT:
            ctx["checkouts"] = customer_orders.checkouts_awaiting_payment(
                user=self.request.user
            )
        ctx["order_tabs"] = [
            (tab, customer_orders.TAB_LABELS[tab], counts[tab])
            for tab in customer_orders.TABS
        ]
        return ctx


class OrderDetailView(oscar_views.OrderDetailView):
    """A phone-first order page: line cards (each with its after-sales entry),
    tracking, timeline, confirm receipt and buy again. Another shopper's order
    number is a 404 (Oscar's get_object)."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_order_page(self.object))
        ctx["can_confirm_receipt"] = customer_orders.can_confirm_receipt(self.object)
        ctx["lines"] = list(self.object.lines.select_related("product__parent"))
        for line in ctx["lines"]:
            line.after_sales = fulfilment.line_after_sales(line)
        return ctx

    def do_confirm_receipt(self, order):
        """Through the lifecycle, which checks the order is the shopper's and on
        its way, and records delivery and completion."""
        try:
            lifecycle.confirm_receipt(order=order, user=self.request.user)
        except lifecycle.TransitionRefused as refused:
            messages.error(self.request, str(refused))
        else:
            messages.success(self.request, _("Thank you: the order is complete."))
        self.response = redirect("customer:order", order_number=order.number)

    def do_reorder(self, order):
        result = customer_orders.order_buy_again(
            order=order, basket=self.request.basket, strategy=self.request.strategy
        )
        for reason in [result.over_limit, *result.refused]:
            if reason:
                messages.warning(self.request, reason)
        if result.added:
            messages.success(self.request, _("Added to your cart."))
            self.response = redirect("basket:summary")
        else:
            self.response = redirect("customer:order", order_number=order.number)


class AnonymousOrderDetailView(oscar_views.AnonymousOrderDetailView):
    """A guest's order status page, with the same tracking and timeline."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_order_page(self.object))
        ctx["lines"] = list(self.object.lines.select_related("product__parent"))
        return ctx


class LogoutView(oscar_views.LogoutView):
    """Sign-out by POST only (a link or an image elsewhere can't sign a shopper
    out); Oscar's own view signs out on GET."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)
