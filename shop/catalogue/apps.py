import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self):
        super().ready()
        # The page cache learns of shop data here: what pages depend on, and which
        # writes make them stale (every shop model is loaded by now).
        from shop import cache_dependencies, cache_invalidation

        cache_dependencies.register()
        cache_invalidation.connect()
