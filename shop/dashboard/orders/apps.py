import oscar.apps.dashboard.orders.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's orders dashboard, forked so every status change goes through the
    fulfilment lifecycle, and for dispatch (one or many), tracking numbers from CSV,
    packing slips, cancel, refunds by line and shoppers' after-sales requests
    (views.py)."""

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
                "aftersales-list": view,
                "aftersales-detail": change,
            }
        )

    def ready(self):
        super().ready()
        views = "dashboard.orders.views"
        self.dispatch_view = get_class(views, "OrderDispatchView")
        self.tracking_import_view = get_class(views, "TrackingImportView")
        self.packing_slips_view = get_class(views, "PackingSlipsView")
        self.aftersales_list_view = get_class(views, "AfterSalesListView")
        self.aftersales_detail_view = get_class(views, "AfterSalesDetailView")

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
            path(
                "after-sales/",
                self.aftersales_list_view.as_view(),
                name="aftersales-list",
            ),
            path(
                "after-sales/<int:pk>/",
                self.aftersales_detail_view.as_view(),
                name="aftersales-detail",
            ),
        ]
        return self.post_process_urls(urls) + super().get_urls()
