from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import CampaignPagePerformanceView, CampaignPerformanceView


@hooks.register("register_admin_urls")
def register_campaign_performance_urls():
    pages, page = CampaignPerformanceView, CampaignPagePerformanceView
    return [
        path("reports/campaigns/", pages.as_view(), name="campaign_performance"),
        path(
            "reports/campaigns/results/",
            pages.as_view(results_only=True),
            name="campaign_performance_results",
        ),
        path(
            "reports/campaigns/<int:pk>/",
            page.as_view(),
            name="campaign_page_performance",
        ),
        path(
            "reports/campaigns/<int:pk>/results/",
            page.as_view(results_only=True),
            name="campaign_page_performance_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_campaign_performance_menu_item():
    return MenuItem(
        _("Campaign performance"),
        reverse("campaign_performance"),
        name="campaign-performance",
        icon_name="doc-full-inverse",
        order=1300,
    )
