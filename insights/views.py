"""The Wagtail admin's campaign performance reports (CSV/XLSX through Wagtail's
ReportView)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from .charts import bar_chart
from .rollup import rollup_refresh_today
from .selectors import PERIODS, Period, campaign_page_report, campaign_pages

FIGURE_COLUMNS = [
    Column("views", label=_("Views")),
    Column("sessions", label=_("Unique sessions")),
    Column("adds", label=_("Added to basket")),
    Column("orders", label=_("Orders")),
    Column("revenue", label=_("Revenue")),
    Column("refunded", label=_("Refunded")),
    Column("net", label=_("Net revenue")),
    Column("conversion", label=_("Conversion")),
]
FIGURES_EXPORT = [column.name for column in FIGURE_COLUMNS]
FIGURES_HEADINGS = {column.name: column.label for column in FIGURE_COLUMNS}


class PeriodMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.period = Period.last(request.GET.get("days", ""))
        # Editors look at today too: queued events and today's figures first.
        rollup_refresh_today()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        context["periods"] = PERIODS
        return context


class CampaignPerformanceView(PeriodMixin, ReportView):
    """Every page with figures: views to net revenue, last-touch attribution."""

    page_title = _("Campaign performance")
    header_icon = "doc-full-inverse"
    index_url_name = "campaign_performance"
    index_results_url_name = "campaign_performance_results"
    results_template_name = "insights/reports/campaign_performance_results.html"
    paginate_by = 50
    list_export = ["title", *FIGURES_EXPORT]
    export_headings = {"title": _("Page"), **FIGURES_HEADINGS}

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Page"),
                get_url=lambda row: (
                    reverse("campaign_page_performance", args=[row["page_id"]])
                    + f"?days={self.period.days}"
                    if row["page_id"]
                    else None
                ),
            ),
            *FIGURE_COLUMNS,
        ]

    def get_queryset(self):
        return campaign_pages(period=self.period)


class CampaignPagePerformanceView(PeriodMixin, ReportView):
    """One page: its days as a chart, its traffic sources, and its blocks (the
    table that exports)."""

    header_icon = "doc-full-inverse"
    index_url_name = "campaign_page_performance"
    index_results_url_name = "campaign_page_performance_results"
    results_template_name = "insights/reports/campaign_page_results.html"
    paginate_by = None
    list_export = ["label", "block_id", "impressions", "clicks", *FIGURES_EXPORT[2:]]
    export_headings = {
        "label": _("Block"),
        "block_id": _("Block id"),
        "impressions": _("Tile impressions"),
        "clicks": _("Tile clicks"),
        **FIGURES_HEADINGS,
    }
    # Views and sessions belong to the page, not to a block: impressions instead.
    columns = [
        Column("label", label=_("Block")),
        Column("impressions", label=_("Tile impressions")),
        Column("clicks", label=_("Tile clicks")),
        *FIGURE_COLUMNS[2:],
    ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.page = Page.objects.filter(pk=kwargs.get("pk")).first()
        if self.page is None:
            raise Http404
        self.report = campaign_page_report(page=self.page, period=self.period)

    @property
    def page_title(self):
        return _("Campaign performance: %(title)s") % {"title": self.page.title}

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.page.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.page.pk])

    def get_queryset(self):
        return self.report["blocks"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = self.report["days"]
        labels = [day["day"].isoformat() for day in days]
        context.update(
            page=self.page,
            totals=self.report["totals"],
            sources=self.report["sources"],
            views_chart=bar_chart(
                title=_("Views per day"),
                labels=labels,
                values=[day["views"] for day in days],
            ),
            revenue_chart=bar_chart(
                title=_("Net revenue per day"),
                labels=labels,
                values=[day["net"] for day in days],
            ),
        )
        return context
