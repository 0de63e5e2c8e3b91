"""The catalogue's product listings (all products, a category), straight from the
database; with a query they show site_search's results."""

from django.db.models import Case, Min, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.catalogue.selectors import in_category

Product = get_model("catalogue", "Product")

RELEVANCE, NEWEST, PRICE_ASC, PRICE_DESC, TITLE_ASC = (
    "relevance",
    "newest",
    "price-asc",
    "price-desc",
    "title-asc",
)
SORT_CHOICES = [
    (RELEVANCE, _("Relevance")),
    (NEWEST, _("Newest")),
    (PRICE_ASC, _("Price low to high")),
    (PRICE_DESC, _("Price high to low")),
    (TITLE_ASC, _("Title A to Z")),
]
_ORDERINGS = {
    RELEVANCE: ("-priority", "-date_created", "-id"),
    NEWEST: ("-date_created", "-id"),
    PRICE_ASC: ("min_price", "-id"),
    PRICE_DESC: ("-min_price", "-id"),
    TITLE_ASC: ("title", "id"),
}


def product_listing(*, category=None, sort: str = "", ids=None) -> QuerySet:
    """Browsable products for the catalogue and category pages, optionally only
    those in `category` (and below); with `ids` (from the site search), exactly
    those, in that order. Matching words is site_search's job, not this listing's."""
    prefetch = ("images", "stockrecords", "product_class", "children__stockrecords")
    products = Product.objects.browsable()
    if ids is not None:
        order = Case(*[When(pk=pk, then=position) for position, pk in enumerate(ids)])
        return (
            products.filter(pk__in=ids)
            .order_by(order if ids else "pk")
            .prefetch_related(*prefetch)
        )
    if category is not None:
        products = in_category(products, category)
    ordering = _ORDERINGS.get(sort, _ORDERINGS[RELEVANCE])
    if sort in (PRICE_ASC, PRICE_DESC):
        # A parent product has no stock record of its own: its children's count.
        products = products.annotate(
            min_price=Coalesce(
                Min("stockrecords__price"), Min("children__stockrecords__price")
            )
        )
    return products.order_by(*ordering).prefetch_related(*prefetch)
