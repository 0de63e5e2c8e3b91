"""Which page cache tags (pagecache.tags) a write to Oscar's data invalidates.

Connected in CatalogueConfig.ready(). Changes arrive as model signals, including
Oscar's stock allocation, which writes with a queryset update but sends post_save
itself (StockRecord.allocate). A queryset update sends none: code of ours that
writes that way calls the functions below itself (stock reservations do).

What a sale writes must not flush pages: Oscar's `ConditionalOffer.record_usage`
and `Voucher.record_usage` save usage counters with every order, and are ignored
unless the save also changes whether the offer or voucher applies (Oscar marks an
offer Consumed when it reaches its limits; a single-use voucher is used up by its
one application). Stock levels, reservations and sales counts go through
invalidate_stock(), which re-renders a page at most once per few seconds.

To tell a usage save from an edit, offers, vouchers and stock records keep the
values they were loaded (or last saved) with.
"""

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from oscar.core.loading import get_class, get_model

import pagecache
from pagecache.tags import (
    CATEGORIES,
    SALES_RANKING,
    SITE_OFFERS,
    category_tag,
    offer_tag,
    product_tag,
    range_tag,
    stock_tag,
    voucher_tag,
)

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Voucher = get_model("voucher", "Voucher")

# Saved by Oscar with every order that uses them.
OFFER_USAGE = {"num_applications", "total_discount", "num_orders"}
VOUCHER_USAGE = {"num_basket_additions", "num_orders", "total_discount"}
# What a stock record holds besides its price.
STOCK_LEVELS = {"num_in_stock", "num_allocated", "low_stock_threshold"}
# Which site offers are open now.
OFFER_WINDOW = {"offer_type", "status", "start_datetime", "end_datetime"}


# --- What a change reaches ----------------------------------------------------------


def _with_parents(product_ids: Iterable[int | None]) -> set[int]:
    """The products and, for variants, their parents (whose tiles show them)."""
    ids = {pk for pk in product_ids if pk}
    if ids:
        ids |= set(
            Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
    return ids


def _prefixes(paths: Iterable[str]) -> set[str]:
    step = Category.steplen
    return {path[:end] for path in paths for end in range(step, len(path) + 1, step)}


def _ranges_holding(product_ids: set[int], category_paths: set[str]) -> set[int]:
    """Ranges that include or exclude these products by any rule Oscar's
    Range.all_products() follows (a category includes its subcategories)."""
    classes = Product.objects.filter(pk__in=product_ids).values("product_class")
    return set(
        Range.objects.filter(
            Q(includes_all_products=True)
            | Q(included_products__in=product_ids)
            | Q(excluded_products__in=product_ids)
            | Q(classes__in=classes)
            | Q(included_categories__path__in=category_paths)
            | Q(excluded_categories__path__in=category_paths)
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def products_changed(
    product_ids: Iterable[int | None], *, category_ids: Iterable[int] = ()
) -> None:
    """Tiles of these products (and of their parents), rule grids over their
    categories (with every ancestor) and over the ranges that may hold them.
    `category_ids`: categories they just left or joined."""
    ids = _with_parents(product_ids)
    if not ids:
        return
    paths = set(
        ProductCategory.objects.filter(product_id__in=ids).values_list(
            "category__path", flat=True
        )
    )
    if category_ids := set(category_ids):
        paths |= set(
            Category.objects.filter(pk__in=category_ids).values_list("path", flat=True)
        )
    prefixes = _prefixes(paths)
    pagecache.invalidate(
        *map(product_tag, ids),
        *map(category_tag, prefixes),
        *map(range_tag, _ranges_holding(ids, prefixes)),
    )


def product_details_changed(product_ids: Iterable[int | None]) -> None:
    """Pictures, attribute values: what a tile shows, not where a product is filed."""
    pagecache.invalidate(*map(product_tag, _with_parents(product_ids)))


def stock_changed(product_ids: Iterable[int | None]) -> None:
    """Stock levels or reservations of these products: coalesced."""
    pagecache.invalidate_stock(*map(stock_tag, _with_parents(product_ids)))


def stockrecords_changed(stockrecord_ids: Iterable[int]) -> None:
    """Stock levels or reservations of these stock records: coalesced."""
    stock_changed(
        StockRecord.objects.filter(pk__in=set(stockrecord_ids)).values_list(
            "product_id", flat=True
        )
    )


# --- Loaded values ------------------------------------------------------------------

_UNKNOWN = object()  # a deferred field: treated as changed


def _remember(sender, instance, **kwargs):
    instance._pagecache_loaded = _values(instance)


def _values(instance) -> dict:
    return {
        f.attname: instance.__dict__.get(f.attname, _UNKNOWN)
        for f in instance._meta.concrete_fields
        if not getattr(f, "auto_now", False)  # every save changes it
    }


def _changed_fields(instance) -> set[str] | None:
    """Fields whose value differs from when `instance` was loaded or last saved
    (None: unknown, so anything may have changed); remembers the new values."""
    before = getattr(instance, "_pagecache_loaded", None)
    after = instance._pagecache_loaded = _values(instance)
    if before is None:
        return None
    return {
        name
        for name, value in after.items()
        if value is _UNKNOWN or before.get(name, _UNKNOWN) != value
    }


# --- Receivers ----------------------------------------------------------------------


def _raw(kwargs) -> bool:
    return kwargs.get("raw", False)  # fixtures loading: nothing is cached from them


def _on_product(sender, instance, **kwargs):
    if not _raw(kwargs):
        products_changed([instance.pk, instance.parent_id])


def _on_product_detail(sender, instance, **kwargs):
    if not _raw(kwargs):
        product_details_changed([instance.product_id])


def _on_stockrecord(sender, instance, created=False, **kwargs):
    if _raw(kwargs):
        return
    deleted = kwargs.get("signal") is post_delete
    before = getattr(instance, "_pagecache_loaded", {})
    changed = _changed_fields(instance)
    if created or deleted:
        changed = None
    if changed is not None and changed <= STOCK_LEVELS:
        if _sells_out_or_returns(before, instance._pagecache_loaded):
            # Sold out or back in stock shows at once: it happens once per restock.
            pagecache.invalidate(*map(stock_tag, _with_parents([instance.product_id])))
        elif changed:
            stock_changed([instance.product_id])
        return
    # Created, deleted, or its price changed: tiles, and grids sorted by price.
    products_changed([instance.product_id])


def _sells_out_or_returns(before: dict, after: dict) -> bool:
    def in_stock(values):
        level, allocated = values.get("num_in_stock"), values.get("num_allocated")
        if level is _UNKNOWN or allocated is _UNKNOWN:
            return None
        return level is None or level - (allocated or 0) > 0

    return in_stock(before) != in_stock(after)


def _on_product_category(sender, instance, **kwargs):
    if not _raw(kwargs):
        products_changed([instance.product_id], category_ids=[instance.category_id])


def _on_product_categories(sender, instance, action, reverse, pk_set, **kwargs):
    """product.categories.add()/remove()/clear() and category.product_set.…()"""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        # Which were cleared is gone by now: every grid over a category.
        pagecache.invalidate(CATEGORIES)
    others = pk_set or []
    if reverse:
        products_changed(others, category_ids=[instance.pk])
    else:
        products_changed([instance.pk], category_ids=others)


def _on_product_class(sender, instance, **kwargs):
    """Stock tracking is set per product class: every product of it may change."""
    if _raw(kwargs):
        return
    ids = Product.objects.filter(product_class=instance).values_list("pk", flat=True)
    ranges = Range.objects.filter(classes=instance).values_list("pk", flat=True)
    pagecache.invalidate(*map(product_tag, ids), *map(range_tag, ranges))


def _on_category(sender, instance, **kwargs):
    if _raw(kwargs):
        return
    paths = _prefixes([instance.path]) if instance.path else set()
    ranges = Range.objects.filter(
        Q(included_categories__path__in=paths) | Q(excluded_categories__path__in=paths)
    ).values_list("pk", flat=True)
    pagecache.invalidate(CATEGORIES, *map(range_tag, ranges))


def _on_range(sender, instance, **kwargs):
    if not _raw(kwargs):
        pagecache.invalidate(range_tag(instance.pk))


def _on_range_product(sender, instance, **kwargs):
    if not _raw(kwargs):
        pagecache.invalidate(range_tag(instance.range_id))


def _on_range_members(sender, instance, action, reverse, pk_set, **kwargs):
    """range.included_products / excluded_products / classes / categories .add()…,
    and the same from the other side (category.includes_in_ranges.add()…)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            pagecache.invalidate(range_tag(instance.pk))
    elif action in ("post_add", "post_remove"):
        pagecache.invalidate(*map(range_tag, pk_set or ()))
    elif action == "pre_clear":  # after the clear, which ranges it left is gone
        (other_side,) = [
            f.attname
            for f in sender._meta.concrete_fields
            if f.is_relation and f.related_model is not Range
        ]
        ranges = sender.objects.filter(**{other_side: instance.pk}).values_list(
            "range_id", flat=True
        )
        pagecache.invalidate(*map(range_tag, ranges))


def _on_offer(sender, instance, created=False, **kwargs):
    if _raw(kwargs):
        return
    deleted = kwargs.get("signal") is post_delete
    changed = _changed_fields(instance)
    if created or deleted:
        changed = None
    if changed is not None and changed <= OFFER_USAGE:
        return  # usage counted; it still applies (or Oscar would change its status)
    tags = {offer_tag(instance.pk)}
    if changed is None or changed & OFFER_WINDOW:
        tags.add(SITE_OFFERS)
    pagecache.invalidate(*tags)


def _on_offer_part(sender, instance, **kwargs):
    """A condition or benefit: the terms of the offers using it."""
    if _raw(kwargs):
        return
    offers = ConditionalOffer.objects.filter(
        Q(condition_id=instance.pk)
        if sender is get_model("offer", "Condition")
        else Q(benefit_id=instance.pk)
    ).values_list("pk", flat=True)
    pagecache.invalidate(*map(offer_tag, offers))


def _on_voucher(sender, instance, created=False, **kwargs):
    if _raw(kwargs):
        return
    deleted = kwargs.get("signal") is post_delete
    changed = _changed_fields(instance)
    if created or deleted:
        changed = None
    if changed is not None and changed <= VOUCHER_USAGE:
        return
    pagecache.invalidate(voucher_tag(instance.pk))


def _on_voucher_offers(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        pagecache.invalidate(voucher_tag(instance.pk))


def _on_order_placed(sender, order, **kwargs):
    # Oscar's analytics counts the purchase (best-selling grids), without signals.
    pagecache.invalidate_stock(SALES_RANKING)
    # Usage counts are not content, but a voucher the order used up stops showing.
    from shop.promotions.health import voucher_status

    used = Voucher.objects.filter(applications__order=order).distinct()
    for voucher in used.prefetch_related("offers"):
        if not voucher_status(voucher).is_running:
            pagecache.invalidate(voucher_tag(voucher.pk))


def connect() -> None:
    def on_save_and_delete(receiver, model):
        uid = f"shop-pagecache:{receiver.__name__}:{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}:delete")

    def on_m2m(receiver, through):
        uid = f"shop-pagecache:{receiver.__name__}:{through._meta.label_lower}"
        m2m_changed.connect(receiver, sender=through, dispatch_uid=uid)

    for model in (StockRecord, ConditionalOffer, Voucher):
        post_init.connect(
            _remember,
            sender=model,
            dispatch_uid=f"shop-pagecache:remember:{model._meta.label_lower}",
        )

    on_save_and_delete(_on_product, Product)
    on_save_and_delete(_on_stockrecord, StockRecord)
    for part in (
        get_model("catalogue", "ProductImage"),
        get_model("catalogue", "ProductAttributeValue"),
    ):
        on_save_and_delete(_on_product_detail, part)
    on_save_and_delete(_on_product_category, ProductCategory)
    on_m2m(_on_product_categories, Product.categories.through)
    on_save_and_delete(_on_product_class, get_model("catalogue", "ProductClass"))
    on_save_and_delete(_on_category, Category)

    on_save_and_delete(_on_range, Range)
    on_save_and_delete(_on_range_product, get_model("offer", "RangeProduct"))
    for field in (
        "included_products",
        "excluded_products",
        "classes",
        "included_categories",
        "excluded_categories",
    ):
        on_m2m(_on_range_members, getattr(Range, field).through)
    on_save_and_delete(_on_offer, ConditionalOffer)
    on_save_and_delete(_on_offer_part, get_model("offer", "Condition"))
    on_save_and_delete(_on_offer_part, get_model("offer", "Benefit"))

    on_save_and_delete(_on_voucher, Voucher)
    on_m2m(_on_voucher_offers, Voucher.offers.through)

    order_placed = get_class("order.signals", "order_placed")
    order_placed.connect(_on_order_placed, dispatch_uid="shop-pagecache:order_placed")
