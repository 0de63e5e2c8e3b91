from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from shop.coupons.models import Coupon
from shop.coupons.selectors import coupon_card, wallet_entry, wallet_state_counts
from shop.coupons.services import coupon_save

from .forms import CouponForm


def _with_usage(queryset):
    return queryset.annotate(
        num_used=Count("claims__voucher__applications"),
        discount_given=Sum("claims__voucher__total_discount"),
    )


class CouponListView(ListView):
    template_name = "oscar/dashboard/coupons/coupon_list.html"
    context_object_name = "coupons"
    paginate_by = settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE

    def get_queryset(self):
        return _with_usage(
            Coupon.objects.select_related(
                "offer__condition__range", "offer__benefit__range"
            )
        ).order_by("-claim_end", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        currency = settings.OSCAR_DEFAULT_CURRENCY
        context["rows"] = [
            coupon_card(coupon, currency=currency) for coupon in context["coupons"]
        ]
        return context


class CouponFormMixin:
    template_name = "oscar/dashboard/coupons/coupon_form.html"
    form_class = CouponForm
    coupon = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "coupon": self.coupon}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "coupon": self.coupon}

    def form_valid(self, form):
        coupon = coupon_save(definition=form.definition(), coupon=self.coupon)
        messages.success(self.request, _("Coupon “%(name)s” saved.") % {"name": coupon})
        return redirect("dashboard:coupon-detail", pk=coupon.pk)


class CouponCreateView(CouponFormMixin, FormView):
    pass


class CouponUpdateView(CouponFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.coupon = get_object_or_404(Coupon, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class CouponDetailView(DetailView):
    template_name = "oscar/dashboard/coupons/coupon_detail.html"
    context_object_name = "coupon"

    def get_queryset(self):
        return _with_usage(
            Coupon.objects.select_related(
                "offer__condition__range", "offer__benefit__range", "voucher_set"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coupon = self.object
        context["card"] = coupon_card(coupon, currency=settings.OSCAR_DEFAULT_CURRENCY)
        context["counts"] = wallet_state_counts(coupon=coupon)
        claims = (
            coupon.claims.select_related("user", "voucher")
            .prefetch_related("voucher__applications__order")
            .order_by("-claimed_at", "-pk")[:100]
        )
        context["entries"] = [wallet_entry(claim) for claim in claims]
        return context
