"""Which basket lines buy flash units: a line carrying Oscar's "Flash sale" product
option, whose value is the flash item's id. Oscar keys basket lines by product,
stock record and options, so a shopper's flash units are a line of their own
beside any regular-price line of the same product, and Oscar copies the option
onto the order line."""

from oscar.core.loading import get_model

OPTION_CODE = "flash-sale"

_option_ids: dict[str, int] = {}


def flash_option():
    """Oscar's Option marking flash lines (created by migration 0002)."""
    Option = get_model("catalogue", "Option")
    option, _created = Option.objects.get_or_create(
        code=OPTION_CODE,
        defaults={"name": "Flash sale", "type": Option.TEXT, "required": False},
    )
    _option_ids[OPTION_CODE] = option.pk
    return option


def flash_option_id() -> int:
    if OPTION_CODE not in _option_ids:
        flash_option()
    return _option_ids[OPTION_CODE]


def line_item_id(line) -> int | None:
    """The flash item a basket (or order) line buys, or None for a regular line.
    Reads the line's prefetched attributes (Oscar's all_lines prefetches them)."""
    if line.pk is None:
        return getattr(line, "_flash_item_id", None)
    option_id = flash_option_id()
    for attribute in line.attributes.all():
        if attribute.option_id == option_id:
            try:
                return int(attribute.value)
            except (TypeError, ValueError):
                return None
    return None


def basket_flash_lines(basket) -> list[tuple[object, int]]:
    """(line, item id) for each flash line of `basket`."""
    found = []
    for line in basket.all_lines():
        item_id = line_item_id(line)
        if item_id is not None:
            found.append((line, item_id))
    return found
