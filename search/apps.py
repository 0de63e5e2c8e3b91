import oscar.apps.search.apps as apps
from django.db.models.signals import post_delete, post_save
from django.urls import path
from oscar.core.loading import get_class, get_model


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, forked so the whole site has one search (this one)."""

    name = "search"

    def ready(self):
        from . import receivers

        self.search_view = get_class("search.views", "SiteSearchView")
        self.suggest_view = get_class("search.views", "SuggestView")
        product = get_model("catalogue", "Product")
        stockrecord = get_model("partner", "StockRecord")
        post_save.connect(receivers.product_changed, sender=product)
        post_delete.connect(receivers.product_changed, sender=product)
        post_save.connect(receivers.stockrecord_changed, sender=stockrecord)
        post_delete.connect(receivers.stockrecord_changed, sender=stockrecord)

    def get_urls(self):
        urls = [
            path("", self.search_view.as_view(), name="search"),
            path("suggest/", self.suggest_view.as_view(), name="suggest"),
        ]
        return self.post_process_urls(urls)
