import oscar.apps.search.apps as apps
from oscar.core.loading import get_class


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, forked so the whole site has one search (this one)."""

    name = "search"

    def ready(self):
        self.search_view = get_class("search.views", "ProductSearchView")
