default_app_config = "shop.dashboard.dashboard.catalogue.apps.CatalogueDashboardConfig"
