import oscar.apps.dashboard.reports.apps as apps


class ReportsDashboardConfig(apps.ReportsDashboardConfig):
    """Oscar's reports, forked to list one more: sales net of refunds (utils.py)."""

    name = "shop.dashboard.reports"
