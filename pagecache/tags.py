"""Names of the things a cached page can depend on. Tags are plain strings: the
page cache compares their versions and knows nothing of what they stand for; the
apps that own the data record them while a page renders and invalidate them when
the data changes (shop/cache_dependencies.py, shop/cache_invalidation.py)."""

# The page tree, sites, images, documents, view restrictions and site settings.
PAGES = "pages"
# Which site offers exist and are open (an offer created, opened, suspended,
# scheduled or deleted); each open offer's own terms are under offer_tag().
SITE_OFFERS = "site-offers"
# The category tree as menus and category strips show it.
CATEGORIES = "categories"
# Sales counts (best-selling grids): changes with every order, so it is only ever
# invalidated through invalidate_stock().
SALES_RANKING = "sales-ranking"

# Not a dependency: changes whenever any tag does (see serving._LocalCopies).
CHANGES = "changes"


def product_tag(pk) -> str:
    """A product's catalogue data: title, images, attributes, price, visibility."""
    return f"product:{pk}"


def stock_tag(pk) -> str:
    """A product's stock level and reservations: invalidate it with
    invalidate_stock(), which coalesces the changes a sale makes."""
    return f"stock:{pk}"


def offer_tag(pk) -> str:
    """One offer's terms: its condition, benefit, window, status and limits."""
    return f"offer:{pk}"


def range_tag(pk) -> str:
    """Which products a range holds."""
    return f"range:{pk}"


def category_tag(path: str) -> str:
    """The products filed in a category or below it: tagged by materialised path,
    so a change bumps each ancestor's prefix."""
    return f"category:{path}"


def voucher_tag(pk) -> str:
    return f"voucher:{pk}"
