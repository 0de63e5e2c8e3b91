from django import template

from ..selectors import product_tiles

register = template.Library()


@register.inclusion_tag("blocks/product_tile.html", takes_context=True)
def product_tile(context, product):
    """One tile from the page's prepared map (fetched alone outside such a page)."""
    if product is None:
        return {"tile": None}
    tiles = context.get("product_tiles")
    if tiles is None:
        tiles = product_tiles(product_ids=[product.pk], request=context.get("request"))
    return {
        "tile": tiles.get(product.pk),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
