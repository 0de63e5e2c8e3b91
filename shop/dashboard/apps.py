import oscar.apps.dashboard.apps as apps
from django.apps import apps as django_apps
from django.urls import include, path


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked so its offers app can be (Oscar loads
    `dashboard.offers.*` classes through the `dashboard` app's package), and to
    mount the dashboard apps of our own (flash sales)."""

    name = "shop.dashboard"

    def ready(self):
        super().ready()
        self.flashsales_app = django_apps.get_app_config("flashsales_dashboard")

    def get_urls(self):
        # Oscar's own, already wrapped in their permission checks; the flash sales
        # app wraps its own (its permissions_map).
        return [
            *super().get_urls(),
            path("flash-sales/", include(self.flashsales_app.urls[0])),
        ]
