import oscar.apps.dashboard.apps as apps
from django.apps import apps as django_apps
from django.urls import include, path


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked so its offers and vouchers apps can be (Oscar loads
    `dashboard.offers.*` classes through the `dashboard` app's package), and to
    mount our own dashboard apps beside them: the coupon centre and flash sales."""

    name = "shop.dashboard"

    def ready(self):
        super().ready()
        self.coupons_app = django_apps.get_app_config("coupons_dashboard")
        self.flashsales_app = django_apps.get_app_config("flashsales_dashboard")

    def get_urls(self):
        return [
            *super().get_urls(),
            *self.post_process_urls(
                [path("coupons/", include(self.coupons_app.urls[0]))]
            ),
            # The flash sales app wraps its views in its own permission checks.
            path("flash-sales/", include(self.flashsales_app.urls[0])),
        ]
