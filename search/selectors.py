"""Product search over the database: no search server needed.

The search issue swaps the matching for a full-text backend; views only see
`product_search`.
"""

from django.db.models import Case, Min, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

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


def product_search(
    *, query: str = "", categories=None, sort: str = "", ids=None
) -> QuerySet:
    """Browsable products matching `query` (all when empty), optionally in
    `categories`; with `ids`, exactly those, in that order."""
    products = Product.objects.browsable()
    if ids is not None:
        order = Case(*[When(pk=pk, then=position) for position, pk in enumerate(ids)])
        return (
            products.filter(pk__in=ids)
            .order_by(order if ids else "pk")
            .prefetch_related(
                "images", "stockrecords", "product_class", "children__stockrecords"
            )
        )
    if categories is not None:
        products = products.filter(
            Q(categories__in=categories) | Q(children__categories__in=categories)
        )
    for word in query.split():
        products = products.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(upc__iexact=word)
            | Q(children__upc__iexact=word)
            | Q(stockrecords__partner_sku__iexact=word)
            | Q(categories__name__icontains=word)
        )
    # Filtering across to-many relations repeats rows: collapse to product ids first.
    products = Product.objects.filter(pk__in=products.values("pk"))
    ordering = _ORDERINGS.get(sort, _ORDERINGS[RELEVANCE])
    if sort in (PRICE_ASC, PRICE_DESC):
        # A parent product has no stock record of its own: its children's count.
        products = products.annotate(
            min_price=Coalesce(
                Min("stockrecords__price"), Min("children__stockrecords__price")
            )
        )
    return products.order_by(*ordering).prefetch_related(
        "images", "stockrecords", "product_class", "children__stockrecords"
    )
