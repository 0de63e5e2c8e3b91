import oscar.apps.dashboard.shipping.apps as apps


class ShippingDashboardConfig(apps.ShippingDashboardConfig):
    """Oscar's shipping dashboard, forked for its form: method names and
    descriptions in Chinese and English (forms.py)."""

    name = "shop.dashboard.shipping"
