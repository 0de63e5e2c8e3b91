from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.vouchers import views as oscar_views
from oscar.core.loading import get_model

VoucherSet = get_model("voucher", "VoucherSet")


class CouponSetGuard:
    """Sends edits of a coupon's voucher set to the coupon's own page."""

    def dispatch(self, request, *args, **kwargs):
        voucher_set = get_object_or_404(VoucherSet, pk=kwargs["pk"])
        coupon = getattr(voucher_set, "coupon", None)
        if coupon is not None:
            messages.warning(
                request,
                _(
                    "This voucher set holds the vouchers shoppers claimed from the "
                    "coupon “%(name)s”: change the coupon instead."
                )
                % {"name": coupon.name},
            )
            return redirect("dashboard:coupon-detail", pk=coupon.pk)
        return super().dispatch(request, *args, **kwargs)


class VoucherSetUpdateView(CouponSetGuard, oscar_views.VoucherSetUpdateView):
    pass


class VoucherSetDeleteView(CouponSetGuard, oscar_views.VoucherSetDeleteView):
    pass
