"""Reads that join Wagtail content to live Oscar commerce data."""

from django.db.models import F, Min, QuerySet
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop import cache_dependencies
from shop.catalogue.selectors import in_category
from shop.catalogue.tiles import product_tiles

Product = get_model("catalogue", "Product")

NEWEST, PRICE_ASC, PRICE_DESC, BEST_SELLING = (
    "newest",
    "price-asc",
    "price-desc",
    "best",
)
RULE_ORDERINGS = {
    NEWEST: ("-date_created", "-pk"),
    PRICE_ASC: ("min_price", "pk"),
    PRICE_DESC: ("-min_price", "pk"),
    # Oscar's analytics app counts purchases per product.
    BEST_SELLING: (F("stats__num_purchases").desc(nulls_last=True), "-pk"),
}


def rule_products(
    *, category=None, range_=None, sort: str = NEWEST, limit: int = 8
) -> list[int]:
    """Ids of browsable products in a category (with its subcategories) or a range."""
    if category is not None:
        cache_dependencies.record_category(category)
    if range_ is not None:
        cache_dependencies.record_range(range_)
    if sort == BEST_SELLING:
        cache_dependencies.record_sales_ranking()
    products: QuerySet = Product.objects.browsable()
    if category is not None:
        products = in_category(products, category)
    if range_ is not None:
        products = products.filter(pk__in=range_.all_products().values("pk"))
    if sort in (PRICE_ASC, PRICE_DESC):
        products = products.annotate(min_price=Min("stockrecords__price"))
    ordering = RULE_ORDERINGS.get(sort, RULE_ORDERINGS[NEWEST])
    return list(products.order_by(*ordering).values_list("pk", flat=True)[:limit])


def _raw_product_ids(body) -> list[int]:
    """Product ids an editor placed by hand, read from the stored stream so products
    that were deleted since are still counted."""
    ids = []
    for block in body.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "product_grid" and value.get("source") != "rule":
            for item in value.get("products") or []:
                ids.append(item.get("value") if isinstance(item, dict) else item)
        elif block.get("type") == "product_spotlight":
            ids.append(value.get("product"))
    return [pk for pk in ids if isinstance(pk, int)]


def product_issues(*, page) -> list[str]:
    """Plain-language warnings about products on `page` that shoppers cannot buy."""
    body = getattr(page, "body", None)
    if not body:
        return []
    ids = list(dict.fromkeys(_raw_product_ids(body)))
    tiles = product_tiles(product_ids=ids, offers=[])
    issues = []
    for pk in ids:
        tile = tiles.get(pk)
        if tile is None:
            issues.append(
                _("A product (#%(pk)s) was deleted; it no longer shows.") % {"pk": pk}
            )
        elif not tile.is_public:
            issues.append(
                _("“%(title)s” is not public.") % {"title": tile.product.get_title()}
            )
        elif tile.is_sold_out:
            issues.append(
                _("“%(title)s” is sold out.") % {"title": tile.product.get_title()}
            )
    return issues


def pages_featuring(*, product) -> list:
    """Wagtail pages whose content points at `product` (Wagtail's reference index)."""
    from wagtail.models import Page, ReferenceIndex

    return [
        source.specific
        for source, _references in ReferenceIndex.get_grouped_references_to(product)
        if isinstance(source, Page)
    ]
