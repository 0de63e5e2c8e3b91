"""Keeping the search index current: products' denormalised price and availability,
and their index entries, refreshed after every change (through Celery)."""

from collections.abc import Callable, Iterable

from django.db.models import Q
from modelsearch import index
from modelsearch.backends import get_search_backends
from oscar.core.loading import get_class, get_model

from shop.partner.prices import purchase_info, shopper_price

Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")

BATCH = 500


def _searchable_ids(product_ids: Iterable[int]) -> set[int]:
    """Children are searched through their parent: map them to it."""
    ids = set(product_ids)
    parent_of = dict(
        Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
            "pk", "parent_id"
        )
    )
    return (ids - parent_of.keys()) | set(parent_of.values())


def product_index_refresh(*, product_ids: Iterable[int]) -> int:
    """Recompute search price and availability for these products and (re)index
    the browsable ones; others leave the index. Returns how many were indexed."""
    ids = _searchable_ids(product_ids)
    strategy = Selector().strategy()
    products = Product.objects.filter(pk__in=ids).prefetch_related(
        "stockrecords",
        "children__stockrecords",
        "categories",
        "attribute_values",
        "product_class",
    )
    strategy.prefetch_holds(
        record.pk
        for product in products
        for owner in (product, *product.children.all())
        for record in owner.stockrecords.all()
    )
    found, browsable = set(), []
    for product in products:
        found.add(product.pk)
        info = purchase_info(product, strategy)
        price, in_stock = shopper_price(info)[1], info.availability.is_available_to_buy
        if (product.search_price, product.search_in_stock) != (price, in_stock):
            Product.objects.filter(pk=product.pk).update(
                search_price=price, search_in_stock=in_stock
            )
            product.search_price, product.search_in_stock = price, in_stock
        if product.is_public and not product.is_child:
            browsable.append(product)
        else:
            index.remove_object(product)
    for deleted in ids - found:
        index.remove_object(Product(pk=deleted))
    if browsable:
        for backend in get_search_backends():
            backend.add_bulk(Product, browsable)
    return len(browsable)


def product_index_rebuild(*, progress: Callable[[int], None] = lambda n: None) -> int:
    """Refresh every product, in batches; `progress` hears each batch's size."""
    ids = list(
        Product.objects.filter(Q(parent__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        total += product_index_refresh(product_ids=batch)
        progress(len(batch))
    return total
