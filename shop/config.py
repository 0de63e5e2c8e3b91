from django.apps import apps
from django.urls import path
from oscar.config import Shop


class MallardShop(Shop):
    """Oscar's root app minus its dashboard (config/urls.py mounts that), plus the
    coupon centre."""

    def get_urls(self):
        urls = [url for url in super().get_urls() if str(url.pattern) != "dashboard/"]
        return [*urls, path("coupons/", apps.get_app_config("coupons").urls)]
