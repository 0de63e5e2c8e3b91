from django import template
from django.utils.translation import gettext as _

from ..lines import line_item_id

register = template.Library()


@register.filter
def line_description(line) -> str:
    """A basket or order line's description, naming a flash sale line as such
    rather than by Oscar's "option = 'value'" (the value is an item id)."""
    if line_item_id(line) is None:
        return line.description
    title = line.product.get_title() if line.product else line.title
    return _("%(title)s (flash sale)") % {"title": title}
