from wagtail.admin.panels import Panel

from .selectors import Period, campaign_page_report


class CampaignPerformancePanel(Panel):
    """The page's last 30 days in the editor (from the daily roll-up), with a link
    to its full report."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "insights/panels/campaign_performance.html"

        def is_shown(self):
            return bool(self.instance.pk and self.instance.live_revision_id)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            period = Period.last(30)
            report = campaign_page_report(page=self.instance, period=period)
            context.update(totals=report["totals"], period=period)
            context["top_block"] = report["blocks"][0] if report["blocks"] else None
            return context
