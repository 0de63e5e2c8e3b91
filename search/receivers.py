"""Index maintenance hooks: product and stock changes (from Oscar's dashboard, our
checkout or anywhere else) queue a refresh that runs after the commit."""

from .tasks import refresh_product_index


def product_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        refresh_product_index.delay_on_commit([instance.pk])


def stockrecord_changed(sender, instance, **kwargs):
    if not kwargs.get("raw") and instance.product_id:
        refresh_product_index.delay_on_commit([instance.product_id])
