import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked only so its offers app can be (Oscar loads
    `dashboard.offers.*` classes through the `dashboard` app's package)."""

    name = "shop.dashboard"
