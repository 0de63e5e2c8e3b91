from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


class CouponsConfig(OscarConfig):
    """The coupon centre (领券中心): claimable coupons issued as personal Oscar
    vouchers, the shopper's wallet, and "spend X more" progress. Oscar's voucher and
    offer models do the pricing, the usage checks and the reports."""

    default_auto_field = "django.db.models.AutoField"
    name = "shop.coupons"
    label = "coupons"
    namespace = "coupons"
    verbose_name = _("Coupon centre")

    def ready(self):
        from . import cache, views

        cache.register()
        self.views = views
        # Cancelled and refunded orders give their coupons back (services.py).
        from oscar.apps.order.signals import order_status_changed

        from .services import restore_on_status_change

        order_status_changed.connect(
            restore_on_status_change, dispatch_uid="coupons-restore-on-status"
        )

    def get_urls(self):
        views = self.views
        urls = [
            path("", views.CouponListView.as_view(), name="list"),
            path("state/", views.CouponStateView.as_view(), name="state"),
            path("progress/", views.ProgressView.as_view(), name="progress"),
            path("<int:pk>/claim/", views.CouponClaimView.as_view(), name="claim"),
            path("mine/", views.WalletView.as_view(), name="wallet"),
            path(
                "mine/<int:pk>/apply/",
                views.ClaimApplyView.as_view(),
                name="apply",
            ),
        ]
        return self.post_process_urls(urls)
