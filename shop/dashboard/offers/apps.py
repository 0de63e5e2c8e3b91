import oscar.apps.dashboard.offers.apps as apps


class OffersDashboardConfig(apps.OffersDashboardConfig):
    """Oscar's offers dashboard, forked for its restrictions form only (forms.py)."""

    name = "shop.dashboard.offers"
