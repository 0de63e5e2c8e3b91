from django import template

from shop.promotions import changes, health

register = template.Library()


@register.simple_tag
def promotion_history(obj, limit=50):
    """The latest recorded changes to an offer or voucher."""
    return list(changes.history(obj)[:limit])


@register.filter
def voucher_status(voucher):
    return health.voucher_status(voucher)


@register.filter
def offer_status(offer):
    return health.offer_status(offer)
