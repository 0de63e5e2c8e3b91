"""{% tile_for product as tile %}: a product's tile (price, offer, stock, variants)
from the partner strategy, for Oscar's pages: the product page and Oscar's own
product lists (offers, ranges, wish lists, recently viewed)."""

from django import template

from shop.catalogue.tiles import product_tiles

register = template.Library()


@register.simple_tag(takes_context=True)
def tile_for(context, product):
    if product is None or product.pk is None:
        return None
    request = context.get("request")
    # Oscar renders its lists one product at a time; a page showing a product twice
    # (a list and the recently viewed strip) prices it once.
    known = getattr(request, "_product_tiles", None) if request else None
    if known is None:
        known = {}
        if request is not None:
            request._product_tiles = known
    if product.pk not in known:
        known.update(product_tiles(product_ids=[product.pk], request=request))
    return known.get(product.pk)
