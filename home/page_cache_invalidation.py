"""Which page cache tags a write to content or commerce data invalidates.

Connected in HomeConfig.ready(). Content and catalogue changes arrive as model
signals. Oscar's stock allocation writes with a queryset update but sends post_save
itself (StockRecord.allocate), so stock records are covered by their signals;
`order_placed` also covers best-selling rule grids, whose purchase counts Oscar's
analytics app updates without signals. A queryset update of products or stock
records elsewhere sends none: such a change shows when the entry times out
(PAGE_CACHE_TIMEOUT). Offers are watched at the SQL level instead (see
_watch_offer_tables). Stock reservations (shop/partner) are not here: tiles show
Oscar's strategy availability, which does not count them.
"""

from collections.abc import Iterable
from functools import cache

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_class, get_model

from .page_cache import (
    CATALOGUE,
    CATEGORIES,
    OFFERS,
    PAGES,
    category_tag,
    invalidate,
    product_tag,
    voucher_tag,
)


def products_changed(product_ids: Iterable[int | None]) -> None:
    """Tiles of these products (and of their parents, which show variants), rule
    grids over their categories and every ancestor category, and range rule grids."""
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    ids = {pk for pk in product_ids if pk}
    if not ids:
        return
    ids |= set(
        Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    paths = ProductCategory.objects.filter(product_id__in=ids).values_list(
        "category__path", flat=True
    )
    invalidate(CATALOGUE, *map(product_tag, ids), *_category_tags(paths))


def categories_changed(category_ids: Iterable[int | None]) -> None:
    """Rule grids over these categories and their ancestors."""
    Category = get_model("catalogue", "Category")
    ids = {pk for pk in category_ids if pk}
    paths = Category.objects.filter(pk__in=ids).values_list("path", flat=True)
    invalidate(CATALOGUE, *_category_tags(paths))


def _category_tags(paths: Iterable[str]) -> set[str]:
    step = get_model("catalogue", "Category").steplen
    return {
        category_tag(path[:end])
        for path in paths
        for end in range(step, len(path) + 1, step)
    }


# --- Receivers ---------------------------------------------------------------------


def _skip(kwargs) -> bool:
    return kwargs.get("raw", False)  # fixtures loading: nothing is cached from them


def _on_content(sender, **kwargs):
    if not _skip(kwargs):
        invalidate(PAGES)


def _on_product(sender, instance, **kwargs):
    if not _skip(kwargs):
        products_changed([instance.pk, instance.parent_id])


def _on_product_part(sender, instance, **kwargs):
    """Stock records, images and attribute values (variant labels) of a product."""
    if not _skip(kwargs):
        products_changed([instance.product_id])


def _on_product_category(sender, instance, **kwargs):
    if not _skip(kwargs):
        products_changed([instance.product_id])
        categories_changed([instance.category_id])


def _on_product_categories(sender, instance, action, reverse, pk_set, **kwargs):
    """product.categories.add()/remove()/clear() and category.product_set.…()"""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = pk_set or []
    products, categories = (
        (others, [instance.pk]) if reverse else ([instance.pk], others)
    )
    products_changed(products)
    categories_changed(categories)
    if action == "post_clear":
        invalidate(CATEGORIES)  # which categories were cleared is gone by now


def _on_product_class(sender, instance, **kwargs):
    """Stock tracking is set per product class: every product of it may change."""
    if not _skip(kwargs):
        Product = get_model("catalogue", "Product")
        products_changed(
            Product.objects.filter(product_class=instance).values_list("pk", flat=True)
        )


def _on_category(sender, instance, **kwargs):
    if not _skip(kwargs):
        invalidate(CATEGORIES)


def _watch_offer_tables(execute, sql, params, many, context):
    """Offers reach every tile (site offers) and offer banners, and are written by
    many hands: Oscar's dashboard and offer wizard, usage counts as orders are
    placed, ranges filled from files, plain queryset updates. Any statement writing
    an offer table bumps OFFERS, signal or no signal. Runs on every SQL statement of
    the process, so it does the least it can for those that don't write."""
    result = execute(sql, params, many, context)
    # After the statement: outside a transaction it has committed by now.
    if sql[:6].upper() in _WRITES and any(table in sql for table in _offer_tables()):
        invalidate(OFFERS)
    return result


_WRITES = {"INSERT", "UPDATE", "DELETE"}


@cache
def _offer_tables() -> tuple[str, ...]:
    tables = set()
    for model in apps.get_app_config("offer").get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name  # as our SQL names them
    return tuple(quote(table) for table in sorted(tables))


def _watch_connection(sender, connection, **kwargs):
    if _watch_offer_tables not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_offer_tables)


def _on_voucher(sender, instance, **kwargs):
    if not _skip(kwargs):
        invalidate(voucher_tag(instance.pk))


def _on_order_placed(sender, order, **kwargs):
    products_changed(order.lines.values_list("product_id", flat=True))


def connect() -> None:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    def on_save_and_delete(receiver, model):
        uid = f"page_cache:{receiver.__name__}:{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}:delete")

    # Content: publishing, unpublishing, moving or deleting any page can change
    # links and menus on others, so the whole page tree shares one tag.
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_on_content, dispatch_uid=f"page_cache:{id(signal)}")
    post_delete.connect(_on_content, sender=Page, dispatch_uid="page_cache:page")
    content = [Site, PageViewRestriction, get_image_model(), get_document_model()]
    content += [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseSiteSetting, BaseGenericSetting))
    ]
    for model in content:
        on_save_and_delete(_on_content, model)

    catalogue = "catalogue"
    on_save_and_delete(_on_product, get_model(catalogue, "Product"))
    for part in (
        get_model("partner", "StockRecord"),
        get_model(catalogue, "ProductImage"),
        get_model(catalogue, "ProductAttributeValue"),
    ):
        on_save_and_delete(_on_product_part, part)
    on_save_and_delete(_on_product_category, get_model(catalogue, "ProductCategory"))
    m2m_changed.connect(
        _on_product_categories,
        sender=get_model(catalogue, "Product").categories.through,
        dispatch_uid="page_cache:product_categories",
    )
    on_save_and_delete(_on_product_class, get_model(catalogue, "ProductClass"))
    on_save_and_delete(_on_category, get_model(catalogue, "Category"))

    # Offers: watched where they are written, at the SQL level.
    connection_created.connect(_watch_connection, dispatch_uid="page_cache:offers")
    for connection in connections.all(initialized_only=True):
        _watch_connection(None, connection)
    on_save_and_delete(_on_voucher, get_model("voucher", "Voucher"))

    order_placed = get_class("order.signals", "order_placed")
    order_placed.connect(_on_order_placed, dispatch_uid="page_cache:order_placed")
