default_app_config = "shop.dashboard.dashboard.shipping.apps.ShippingDashboardConfig"
