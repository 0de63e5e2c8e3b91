"""Flash sales in Oscar's dashboard. Thin views over shop/flashsales/services.py:
a form that doesn't validate, or a change the services refuse, redraws the page
with the reason and a 400, and changes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from oscar.core.loading import get_model
from oscar.views.generic import ObjectLookupView

from .. import services
from ..models import FlashItem, FlashSale, FlashSession
from .forms import ItemForm, RepeatForm, SaleForm, SessionForm, is_pk

Product = get_model("catalogue", "Product")

TEMPLATES = "oscar/dashboard/flashsales/"


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


class FlashSaleListView(ListView):
    template_name = TEMPLATES + "sale_list.html"
    context_object_name = "sales"
    paginate_by = 30

    def get_queryset(self):
        now = timezone.now()
        return (
            FlashSale.objects.select_related("created_by", "approved_by")
            .annotate(
                session_count=Count("sessions", distinct=True),
                next_start=Min(
                    "sessions__starts_at", filter=Q(sessions__ends_at__gt=now)
                ),
            )
            .order_by("-created_at", "-pk")
        )


class FlashSaleCreateView(View):
    def get(self, request):
        return render(request, TEMPLATES + "sale_create.html", {"form": SaleForm()})

    def post(self, request):
        form = SaleForm(request.POST)
        if not form.is_valid():
            return render(
                request, TEMPLATES + "sale_create.html", {"form": form}, status=400
            )
        sale = services.sale_create(name=form.cleaned_data["name"], by=request.user)
        messages.success(
            request, _("Flash sale created. Add its sessions and products.")
        )
        return redirect("dashboard:flashsale-detail", pk=sale.pk)


class SaleMixin:
    """The sale's page, with every form on it; a POST view redraws it with its
    own bound form (and the errors) when the input is refused."""

    def get_sale(self, pk):
        return get_object_or_404(FlashSale, pk=pk)

    def detail(self, request, sale, *, status=200, errors=(), **forms):
        now = timezone.now()
        sessions = list(
            sale.sessions.prefetch_related("items__product", "items__stockrecord")
        )
        context = {
            "sale": sale,
            "sessions": sessions,
            "now": now,
            "rename_form": forms.get("rename_form") or SaleForm(instance=sale),
            "session_form": forms.get("session_form") or SessionForm(),
            "repeat_form": forms.get("repeat_form") or RepeatForm(sale=sale),
            "errors": list(errors),
            "events": sale.events.select_related("user")[:50],
            "approval_refusal": services.approval_refusal(sale=sale, by=request.user),
            "can_approve": request.user.has_perm(services.APPROVE_PERMISSION),
        }
        return render(request, TEMPLATES + "sale_detail.html", context, status=status)


class FlashSaleDetailView(SaleMixin, View):
    def get(self, request, pk):
        return self.detail(request, self.get_sale(pk))


class FlashSaleRenameView(SaleMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        sale = self.get_sale(pk)
        form = SaleForm(request.POST, instance=FlashSale(name=sale.name))
        if not form.is_valid():
            return self.detail(request, sale, status=400, rename_form=form)
        services.sale_rename(sale=sale, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("Renamed."))
        return redirect("dashboard:flashsale-detail", pk=sale.pk)


class FlashSessionAddView(SaleMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        sale = self.get_sale(pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.session_add(
                    sale=sale,
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.detail(request, sale, status=400, session_form=form)
        messages.success(request, _("Session added."))
        return redirect("dashboard:flashsale-detail", pk=sale.pk)


class FlashSessionRepeatView(SaleMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        sale = self.get_sale(pk)
        form = RepeatForm(request.POST, sale=sale)
        created = []
        if form.is_valid():
            try:
                created = services.sessions_repeat(
                    sale=sale,
                    first_day=form.cleaned_data["first_day"],
                    days=form.cleaned_data["days"],
                    times=form.cleaned_data["times"],
                    duration=form.duration_delta,
                    copy_from=form.cleaned_data["copy_from"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.detail(request, sale, status=400, repeat_form=form)
        messages.success(
            request, _("%(count)d sessions added.") % {"count": len(created)}
        )
        return redirect("dashboard:flashsale-detail", pk=sale.pk)


class FlashSessionDeleteView(SaleMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        session = get_object_or_404(FlashSession.objects.select_related("sale"), pk=pk)
        try:
            services.session_delete(session=session, by=request.user)
        except ValidationError as error:
            return self.detail(request, session.sale, status=400, errors=_errors(error))
        messages.success(request, _("Session deleted."))
        return redirect("dashboard:flashsale-detail", pk=session.sale_id)


class ItemFormMixin:
    def lookup_url(self):
        return reverse("dashboard:flashsale-product-lookup")

    def render_form(self, request, *, form, session, item=None, status=200):
        return render(
            request,
            TEMPLATES + "item_form.html",
            {"form": form, "session": session, "sale": session.sale, "item": item},
            status=status,
        )


class FlashItemAddView(ItemFormMixin, View):
    def get_session(self, pk):
        return get_object_or_404(FlashSession.objects.select_related("sale"), pk=pk)

    def get(self, request, pk):
        session = self.get_session(pk)
        form = ItemForm(lookup_url=self.lookup_url())
        return self.render_form(request, form=form, session=session)

    def post(self, request, pk):
        session = self.get_session(pk)
        form = ItemForm(request.POST, lookup_url=self.lookup_url())
        if form.is_valid():
            try:
                services.item_add(session=session, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.render_form(request, form=form, session=session, status=400)
        messages.success(request, _("Product added to the session."))
        return redirect("dashboard:flashsale-detail", pk=session.sale_id)


class FlashItemUpdateView(ItemFormMixin, View):
    def get_item(self, pk):
        return get_object_or_404(
            FlashItem.objects.select_related("session__sale", "product", "stockrecord"),
            pk=pk,
        )

    def get(self, request, pk):
        item = self.get_item(pk)
        form = ItemForm(
            lookup_url=self.lookup_url(),
            with_product=False,
            initial={
                "flash_price": item.flash_price,
                "pool": item.pool,
                "limit_per_shopper": item.limit_per_shopper,
            },
        )
        return self.render_form(request, form=form, session=item.session, item=item)

    def post(self, request, pk):
        item = self.get_item(pk)
        form = ItemForm(request.POST, lookup_url=self.lookup_url(), with_product=False)
        if form.is_valid():
            try:
                services.item_update(item=item, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.render_form(
                request, form=form, session=item.session, item=item, status=400
            )
        messages.success(request, _("Saved."))
        return redirect("dashboard:flashsale-detail", pk=item.session.sale_id)


class FlashItemDeleteView(SaleMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(
            FlashItem.objects.select_related("session__sale", "product"), pk=pk
        )
        sale = item.session.sale
        try:
            services.item_remove(item=item, by=request.user)
        except ValidationError as error:
            return self.detail(request, sale, status=400, errors=_errors(error))
        messages.success(request, _("Product removed from the session."))
        return redirect("dashboard:flashsale-detail", pk=sale.pk)


class FlashSaleApproveView(SaleMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        sale = self.get_sale(pk)
        try:
            services.sale_approve(sale=sale, by=request.user)
        except ValidationError as error:
            status = (
                403 if not request.user.has_perm(services.APPROVE_PERMISSION) else 400
            )
            return self.detail(request, sale, status=status, errors=_errors(error))
        messages.success(request, _("Approved: the sale goes live in its sessions."))
        return redirect("dashboard:flashsale-detail", pk=sale.pk)


class FlashProductLookupView(ObjectLookupView):
    """Products a flash sale can sell (standalone products and variants), found by
    title, UPC or SKU, for Oscar's select2 widget."""

    model = Product

    def get_queryset(self):
        return (
            Product.objects.exclude(structure=Product.PARENT)
            .filter(stockrecords__isnull=False)
            .select_related("parent")
            .distinct()
            .order_by("-date_updated", "-pk")
        )

    def lookup_filter(self, qs, term):
        return qs.filter(
            Q(title__icontains=term)
            | Q(parent__title__icontains=term)
            | Q(upc__iexact=term)
            | Q(stockrecords__partner_sku__iexact=term)
        )

    def format_object(self, obj):
        return {"id": obj.pk, "text": f"{obj.get_title()} ({obj.upc or obj.pk})"}

    def get_args(self):
        # Oscar's int() of a bad page number is a 500; a bad one is page 1 here.
        initial, q, _page, _limit = (
            self.request.GET.get("initial"),
            self.request.GET.get("q"),
            self.request.GET.get("page", "1"),
            self.request.GET.get("page_limit", "20"),
        )
        page = int(_page) if _page.isdigit() and 0 < int(_page) <= 10_000 else 1
        limit = min(int(_limit), 50) if _limit.isdigit() and int(_limit) > 0 else 20
        if initial and not all(is_pk(part) for part in initial.split(",")):
            initial = None
        return initial, q, page, limit
