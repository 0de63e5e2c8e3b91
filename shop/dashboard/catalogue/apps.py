import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, forked for its forms: titles, descriptions,
    category, attribute and option names in Chinese and English (forms.py)."""

    name = "shop.dashboard.catalogue"
