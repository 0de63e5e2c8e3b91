import oscar.apps.dashboard.orders.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's orders dashboard, forked so every status change goes through the
    fulfilment lifecycle, and for dispatch (one or many), tracking numbers from CSV,
    packing slips, cancel and refunds by line (views.py)."""

    name = "shop.dashboard.orders"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        change = (
            DashboardPermission.get("order", "view_order", "change_order"),
            DashboardPermission.partner_dashboard_access,
        )
        view = self.permissions_map["order-detail"]
        self.permissions_map.update(
            {
                "order-dispatch": change,
                "order-tracking-import": change,
                "order-packing-slips": view,
            }
        )

    def ready(self):
        super().ready()
        views = "dashboard.orders.views"
        self.dispatch_view = get_class(views, "OrderDispatchView")
        self.tracking_import_view = get_class(views, "TrackingImportView")
        self.packing_slips_view = get_class(views, "PackingSlipsView")

    def get_urls(self):
        # Ours first: "dispatch/" must not be read as an order number.
        urls = [
            path("dispatch/", self.dispatch_view.as_view(), name="order-dispatch"),
            path(
                "tracking-import/",
                self.tracking_import_view.as_view(),
                name="order-tracking-import",
            ),
            path(
                "packing-slips/",
                self.packing_slips_view.as_view(),
                name="order-packing-slips",
            ),
        ]
        return self.post_process_urls(urls) + super().get_urls()
