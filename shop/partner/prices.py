"""What a shopper would pay for a product, as Oscar's strategy says."""

from decimal import Decimal


def purchase_info(product, strategy):
    """Oscar's PurchaseInfo, for a parent from its variants."""
    if product.is_parent:
        return strategy.fetch_for_parent(product)
    return strategy.fetch_for_product(product)


def shopper_price(info) -> tuple[str | None, Decimal | None]:
    """(currency, amount) shoppers see: tax included where known; (None, None)
    for a product with no price."""
    price = info.price
    if not price.exists:
        return None, None
    return price.currency, price.incl_tax if price.is_tax_known else price.excl_tax
