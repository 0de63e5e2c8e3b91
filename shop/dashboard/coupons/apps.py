from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class


class CouponsDashboardConfig(OscarDashboardConfig):
    """The coupon centre in Oscar's dashboard, beside offers and vouchers: define
    claimable coupons, follow how they are claimed and used."""

    label = "coupons_dashboard"
    name = "shop.dashboard.coupons"
    verbose_name = _("Coupons dashboard")

    default_permissions = ["is_staff"]

    def configure_permissions(self):
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        view = ["is_staff", *DashboardPermission.get("coupons", "view_coupon")]
        self.permissions_map = {
            "coupon-list": view,
            "coupon-detail": view,
            "coupon-create": [
                *view,
                *DashboardPermission.get("coupons", "add_coupon"),
            ],
            "coupon-update": [
                *view,
                *DashboardPermission.get("coupons", "change_coupon"),
            ],
        }

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        self.list_view = get_class("dashboard.coupons.views", "CouponListView")
        self.create_view = get_class("dashboard.coupons.views", "CouponCreateView")
        self.update_view = get_class("dashboard.coupons.views", "CouponUpdateView")
        self.detail_view = get_class("dashboard.coupons.views", "CouponDetailView")
        self.configure_permissions()

    def get_urls(self):
        urls = [
            path("", self.list_view.as_view(), name="coupon-list"),
            path("create/", self.create_view.as_view(), name="coupon-create"),
            path("<int:pk>/", self.detail_view.as_view(), name="coupon-detail"),
            path("<int:pk>/edit/", self.update_view.as_view(), name="coupon-update"),
        ]
        return self.post_process_urls(urls)
