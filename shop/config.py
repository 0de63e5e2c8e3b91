from oscar.config import Shop


class MallardShop(Shop):
    """Oscar's root app minus its dashboard: config/urls.py mounts that."""

    def get_urls(self):
        return [url for url in super().get_urls() if str(url.pattern) != "dashboard/"]
