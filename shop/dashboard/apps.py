import oscar.apps.dashboard.apps as apps
from django.apps import apps as django_apps
from django.urls import include, path


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked so its offers and vouchers apps can be (Oscar loads
    `dashboard.offers.*` classes through the `dashboard` app's package), and to
    mount the coupon centre's dashboard beside them."""

    name = "shop.dashboard"

    def ready(self):
        super().ready()
        self.coupons_app = django_apps.get_app_config("coupons_dashboard")

    def get_urls(self):
        return [
            *super().get_urls(),
            *self.post_process_urls(
                [path("coupons/", include(self.coupons_app.urls[0]))]
            ),
        ]
