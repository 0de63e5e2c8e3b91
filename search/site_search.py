"""The site's one search over Oscar products and Wagtail pages."""

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from modelsearch.backends import get_search_backend
from modelsearch.query import Fuzzy
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from shop.catalogue.selectors import in_category
from shop.catalogue.tiles import product_tiles

from .segmentation import characters_query, has_han

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")

RELEVANCE, PRICE_ASC, PRICE_DESC, NEWEST = (
    "relevance",
    "price-asc",
    "price-desc",
    "newest",
)
SORTS = {
    PRICE_ASC: ("search_price", "-id"),
    PRICE_DESC: ("-search_price", "-id"),
    NEWEST: ("-date_created", "-id"),
}
MAX_QUERY_LENGTH = 200
MAX_PAGES = 10
WORD = re.compile(r"\w", re.UNICODE)
# One token with a digit, like a UPC or SKU ("MAL-4003", "6901234567892").
CODE = re.compile(r"[\w-]*\d[\w-]*")
MAX_FUZZY_LENGTH = 30


def normalise(query: str) -> str:
    """Cap the length and drop control characters; whitespace collapses."""
    query = "".join(ch for ch in query[: MAX_QUERY_LENGTH * 2] if ch.isprintable())
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


@dataclass
class SearchOutcome:
    query: str
    products: list = field(default_factory=list)  # Product ids, in result order
    pages: list = field(default_factory=list)
    promoted: list = field(default_factory=list)
    matched_by: str = ""  # "words", "prefix", "characters", "typo" or ""


def _filtered(*, category=None, price_min=None, price_max=None, in_stock=False):
    products = Product.objects.filter(is_public=True, parent__isnull=True)
    if category is not None:
        products = in_category(products, category)
    if price_min is not None:
        products = products.filter(search_price__gte=price_min)
    if price_max is not None:
        products = products.filter(search_price__lte=price_max)
    if in_stock:
        products = products.filter(search_in_stock=True)
    return products


def _run(queryset, query, *, sort, how):
    # Oscar's ProductQuerySet has no .search(): ask the backend directly.
    backend = get_search_backend()
    ordered = sort in SORTS
    if ordered:
        queryset = queryset.order_by(*SORTS[sort])
    if how == "words":
        return backend.search(
            query, queryset, operator="and", order_by_relevance=not ordered
        )
    if how == "prefix":
        return backend.autocomplete(
            query, queryset, operator="and", order_by_relevance=not ordered
        )
    if how == "characters":
        return backend.search(
            characters_query(query),
            queryset,
            operator="and",
            order_by_relevance=not ordered,
        )
    return backend.search(Fuzzy(query), queryset, order_by_relevance=not ordered)


def site_search(
    *,
    query: str,
    category=None,
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
    in_stock: bool = False,
    sort: str = RELEVANCE,
    limit: int = 96,
    record_hit: bool = True,
) -> SearchOutcome:
    """Products (ids) and live pages matching `query`: whole words first, then word
    prefixes (search as you type), then for Chinese every character, then, on
    PostgreSQL, near spellings (typos). Chinese is cut into words by the search
    backend (search/backend.py)."""
    query = normalise(query)
    outcome = SearchOutcome(query=query)
    if not WORD.search(query):
        return outcome  # empty or punctuation only: nothing to look for
    products = _filtered(
        category=category, price_min=price_min, price_max=price_max, in_stock=in_stock
    )
    if CODE.fullmatch(query):
        exact = list(
            products.filter(
                Q(upc__in={query, query.upper()})
                | Q(stockrecords__partner_sku__in={query, query.upper()})
                | Q(children__upc__in={query, query.upper()})
            )
            .values_list("pk", flat=True)
            .distinct()[:limit]
        )
        if exact:
            # A scanned barcode or a typed SKU means exactly that product.
            outcome.products, outcome.matched_by = exact, "exact"
            return outcome
    attempts = ["words", "prefix"]
    if has_han(query):
        # The query's words may be cut differently from a title's (an unusual word
        # or name): all of its characters, in any order, is the last resort. Near
        # spellings are a Latin-script idea: for Chinese they only add noise
        # (手套 "gloves" matching 手机壳 "phone case" by its first character).
        attempts.append("characters")
    elif connection.vendor == "postgresql" and len(query) <= MAX_FUZZY_LENGTH:
        # Trigram matching costs grow with the query: typos are a short-query thing.
        attempts.append("typo")
    for how in attempts:
        try:
            ids = [p.pk for p in _run(products, query, sort=sort, how=how)[:limit]]
        except Exception:  # a backend refusing odd input must not cost a 500
            logger.exception("Product search failed for %r (%s)", query, how)
            ids = []
        if ids:
            outcome.products, outcome.matched_by = ids, how
            break
    outcome.pages = _pages(query)
    # Read the promotions without Query.get(): that creates a row per query, and
    # the suggestions endpoint asks once per keystroke.
    picks = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(query), page__live=True
    ).select_related("page")
    outcome.promoted = [pick.page.specific for pick in picks]
    if record_hit:
        Query.get(query).add_hit()
    return outcome


def _pages(query: str) -> list:
    # The shopper's language's pages only (each page has a version per language).
    pages = (
        Page.objects.live()
        .public()
        .exclude(depth__lte=1)
        .filter(locale=Locale.get_active())
    )
    try:
        found = list(pages.search(query, operator="and")[:MAX_PAGES])
        if not found:
            found = list(pages.autocomplete(query, operator="and")[:MAX_PAGES])
    except Exception:
        logger.exception("Page search failed for %r", query)
        return []
    return [page.specific for page in found]


def suggestions(*, query: str, limit: int = 6) -> dict:
    """Search-as-you-type: product and page titles starting with what was typed."""
    query = normalise(query)
    if not WORD.search(query):
        return {"query": query, "products": [], "pages": []}
    outcome = site_search(query=query, limit=limit, record_hit=False)
    tiles = product_tiles(product_ids=outcome.products)
    return {
        "query": query,
        "products": [
            {
                "title": tiles[pk].product.get_title(),
                "url": tiles[pk].product.get_absolute_url(),
                "price": currency(tiles[pk].unit_price, tiles[pk].currency)
                if tiles[pk].unit_price is not None
                else "",
            }
            for pk in outcome.products
            if pk in tiles
        ],
        "pages": [{"title": p.title, "url": p.url} for p in outcome.pages[:3]],
    }
