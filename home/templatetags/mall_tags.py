from django import template

from ..blocks import HIDE
from ..selectors import pages_featuring as select_pages_featuring
from ..selectors import product_tiles

register = template.Library()


def _tile(context, product_id):
    tiles = context.get("product_tiles")
    if tiles is None or product_id not in tiles:
        # Outside a page that prepared its tiles (e.g. a block preview): fetch this one.
        tiles = product_tiles(product_ids=[product_id], request=context.get("request"))
    return tiles.get(product_id)


def _visible(tile, when_unavailable) -> bool:
    return tile is not None and not (tile.is_sold_out and when_unavailable == HIDE)


@register.simple_tag(takes_context=True)
def visible_tiles(context, product_ids, when_unavailable=None):
    """The tiles to show for `product_ids`, in order, honouring the block's choice
    to hide unavailable products. Deleted products are always left out."""
    tiles = [_tile(context, pk) for pk in product_ids]
    return [tile for tile in tiles if _visible(tile, when_unavailable)]


@register.simple_tag(takes_context=True)
def tile_for(context, product, when_unavailable=None):
    if product is None:
        return None
    tile = _tile(context, product.pk)
    return tile if _visible(tile, when_unavailable) else None


@register.simple_tag
def pages_featuring(product):
    return select_pages_featuring(product=product) if product and product.pk else []
