from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .promotion_report import PromotionChangesView
from .viewsets import ALL_CHOOSERS


@hooks.register("register_admin_viewset")
def register_choosers():
    return ALL_CHOOSERS


@hooks.register("register_admin_urls")
def register_promotion_changes_url():
    view = PromotionChangesView
    return [
        path("reports/promotions/", view.as_view(), name="promotion_changes"),
        path(
            "reports/promotions/results/",
            view.as_view(results_only=True),
            name="promotion_changes_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_promotion_changes_menu_item():
    return MenuItem(
        _("Offer and voucher changes"),
        reverse("promotion_changes"),
        name="promotion-changes",
        icon_name="history",
        order=1400,
    )
