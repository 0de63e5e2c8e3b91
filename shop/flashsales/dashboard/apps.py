from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarDashboardConfig
from oscar.core.loading import get_class


class FlashSalesDashboardConfig(OscarDashboardConfig):
    """Flash sales in Oscar's dashboard (mounted by shop/dashboard/apps.py). Seeing
    and editing need the flash sale model permissions; approving needs
    `flashsales.approve_flashsale`, and a merchandiser other than the last editor."""

    label = "flashsales_dashboard"
    name = "shop.flashsales.dashboard"
    verbose_name = _("Flash sales dashboard")

    default_permissions = ["is_staff"]

    def configure_permissions(self):
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        view = DashboardPermission.get("flashsales", "view_flashsale")
        change = DashboardPermission.get(
            "flashsales", "view_flashsale", "change_flashsale"
        )
        self.permissions_map = {
            "flashsale-list": view,
            "flashsale-detail": view,
            "flashsale-create": DashboardPermission.get(
                "flashsales", "view_flashsale", "add_flashsale"
            ),
            "flashsale-rename": change,
            "flashsale-session-add": change,
            "flashsale-session-repeat": change,
            "flashsale-session-delete": change,
            "flashsale-item-add": change,
            "flashsale-item-update": change,
            "flashsale-item-delete": change,
            "flashsale-product-lookup": change,
            "flashsale-approve": DashboardPermission.get(
                "flashsales", "view_flashsale", "approve_flashsale"
            ),
        }

    def ready(self):
        from . import views

        self.views = views
        self.configure_permissions()

    def get_urls(self):
        v = self.views
        urls = [
            path("", v.FlashSaleListView.as_view(), name="flashsale-list"),
            path("create/", v.FlashSaleCreateView.as_view(), name="flashsale-create"),
            path("<int:pk>/", v.FlashSaleDetailView.as_view(), name="flashsale-detail"),
            path(
                "<int:pk>/rename/",
                v.FlashSaleRenameView.as_view(),
                name="flashsale-rename",
            ),
            path(
                "<int:pk>/sessions/add/",
                v.FlashSessionAddView.as_view(),
                name="flashsale-session-add",
            ),
            path(
                "<int:pk>/sessions/repeat/",
                v.FlashSessionRepeatView.as_view(),
                name="flashsale-session-repeat",
            ),
            path(
                "<int:pk>/approve/",
                v.FlashSaleApproveView.as_view(),
                name="flashsale-approve",
            ),
            path(
                "sessions/<int:pk>/delete/",
                v.FlashSessionDeleteView.as_view(),
                name="flashsale-session-delete",
            ),
            path(
                "sessions/<int:pk>/items/add/",
                v.FlashItemAddView.as_view(),
                name="flashsale-item-add",
            ),
            path(
                "items/<int:pk>/",
                v.FlashItemUpdateView.as_view(),
                name="flashsale-item-update",
            ),
            path(
                "items/<int:pk>/delete/",
                v.FlashItemDeleteView.as_view(),
                name="flashsale-item-delete",
            ),
            path(
                "products/lookup/",
                v.FlashProductLookupView.as_view(),
                name="flashsale-product-lookup",
            ),
        ]
        return self.post_process_urls(urls)
