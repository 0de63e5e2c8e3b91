"""The shopper's after-sales pages, in the account area. Each looks the order or
request up among the signed-in shopper's own, so anyone else's is a 404 (the same
answer as a number that does not exist)."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_class, get_model

from .aftersales import (
    REASONS,
    aftersales_request_create,
    aftersales_return_shipped,
    aftersales_timeline,
    order_requestable_lines,
)
from .forms import AfterSalesRequestForm, ReturnShipmentForm
from .lifecycle import TransitionRefused
from .models import PHOTO_TYPES, AfterSalesPhoto, AfterSalesRequest
from .returns_window import return_window_ends
from .selectors import customer_aftersales_requests

Order = get_model("order", "Order")
queryset_orders_for_user = get_class(
    "dashboard.orders.views", "queryset_orders_for_user"
)


def _own_request(user, pk) -> AfterSalesRequest:
    return get_object_or_404(
        AfterSalesRequest.objects.select_related("order", "return_carrier"),
        pk=pk,
        user=user,
    )


class AfterSalesListView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "fulfilment/aftersales/list.html",
            {
                "page_title": _("After-sales"),
                "requests": customer_aftersales_requests(user=request.user),
            },
        )


class AfterSalesCreateView(LoginRequiredMixin, View):
    """Ask for a return or a refund for some of an order's lines."""

    template_name = "fulfilment/aftersales/create.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.order = get_object_or_404(
                Order, number=kwargs["order_number"], user=request.user
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, order_number):
        lines = order_requestable_lines(self.order)
        form = AfterSalesRequestForm(lines, preselected=request.GET.get("line"))
        return self._render(form, status=200)

    def post(self, request, order_number):
        lines = order_requestable_lines(self.order)
        form = AfterSalesRequestForm(lines, request.POST, request.FILES)
        if not lines or not form.is_valid():
            return self._render(form, status=400)
        try:
            created = aftersales_request_create(
                order=self.order,
                user=request.user,
                kind=form.cleaned_data["kind"],
                lines=form.cleaned_data["lines"],
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
                photos=form.cleaned_data["photos"],
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
            return self._render(form, status=400)
        messages.success(
            request, _("Your request is sent: the shop will answer here and by e-mail.")
        )
        return redirect("aftersales:detail", pk=created.pk)

    def _render(self, form, *, status):
        return render(
            self.request,
            self.template_name,
            {
                "page_title": _("Return or refund"),
                "order": self.order,
                "form": form,
                "window_ends": return_window_ends(self.order),
            },
            status=status,
        )


class AfterSalesDetailView(LoginRequiredMixin, View):
    template_name = "fulfilment/aftersales/detail.html"

    def get(self, request, pk):
        return self._render(_own_request(request.user, pk), ReturnShipmentForm())

    def _render(self, after_sales, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "page_title": _("After-sales request #%(id)s") % {"id": after_sales.pk},
                "after_sales": after_sales,
                "reason_label": REASONS.get(after_sales.reason, after_sales.reason),
                "items": after_sales.lines.select_related("line"),
                "photos": after_sales.photos.all(),
                "timeline": aftersales_timeline(after_sales),
                "return_form": form,
                "can_send_back": after_sales.kind == AfterSalesRequest.RETURN
                and after_sales.status
                in (AfterSalesRequest.APPROVED, AfterSalesRequest.RETURN_SHIPPED),
            },
            status=status,
        )


class ReturnShipmentView(AfterSalesDetailView):
    """The shopper enters the carrier and tracking number of the parcel sent back."""

    http_method_names = ["post"]

    def post(self, request, pk):
        after_sales = _own_request(request.user, pk)
        form = ReturnShipmentForm(request.POST)
        if not form.is_valid():
            return self._render(after_sales, form, status=400)
        try:
            aftersales_return_shipped(
                request=after_sales,
                user=request.user,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
            return self._render(after_sales, form, status=400)
        messages.success(request, _("Thank you: we will refund once it arrives."))
        return redirect("aftersales:detail", pk=after_sales.pk)


class AfterSalesPhotoView(View):
    """A request's photo, for the shopper who asked and for dashboard users who may
    see the order (Oscar's rule: staff, or the partner selling a line); 404 for
    anyone else."""

    def get(self, request, pk, photo_pk):
        photo = get_object_or_404(
            AfterSalesPhoto.objects.select_related("request"),
            pk=photo_pk,
            request_id=pk,
        )
        user = request.user
        owner = user.is_authenticated and photo.request.user_id == user.pk
        staff = (
            user.is_authenticated
            and queryset_orders_for_user(user)
            .filter(pk=photo.request.order_id)
            .exists()
        )
        if not (owner or staff):
            raise Http404
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        suffix = PurePath(photo.image.name).suffix
        response = FileResponse(
            handle, content_type=PHOTO_TYPES.get(suffix, "application/octet-stream")
        )
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response
