from django import template
from django.utils.html import format_html
from wagtail.models import Page

from insights import attribution
from insights.selectors import product_sales_by_page as _product_sales_by_page

register = template.Library()


@register.simple_tag(takes_context=True)
def attribution_fields(context):
    """Hidden fields telling the add-to-basket view where the tile was: a search
    result, or a StreamField block on a published page (`attribution_block` comes
    from the page template's include_block). Nothing in previews or elsewhere.
    They are the same for every visitor, so pages that cache their body keep them."""
    if context.get("attribution_source") == attribution.SEARCH:
        return format_html(
            '<input type="hidden" name="{}" value="{}">',
            attribution.FIELD_SOURCE,
            attribution.SEARCH,
        )
    page, block_id = context.get("page"), context.get("attribution_block")
    request = context.get("request")
    if (
        not isinstance(page, Page)
        or not block_id
        or not page.live_revision_id
        or getattr(request, "is_preview", False)
    ):
        return ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">'
        '<input type="hidden" name="{}" value="{}">'
        '<input type="hidden" name="{}" value="{}">',
        attribution.FIELD_PAGE,
        page.pk,
        attribution.FIELD_REVISION,
        page.live_revision_id,
        attribution.FIELD_BLOCK,
        block_id,
    )


@register.simple_tag
def product_sales_by_page(product):
    return _product_sales_by_page(product_id=product.pk)
