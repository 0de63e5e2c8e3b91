"""The flash sale block: a merchandiser's approved flash sale on any page, live
(shop/flashsales/board.py reads it through the partner strategy)."""

import math

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from shop.flashsales.board import flash_sale_board

from .viewsets import flash_sale_chooser_viewset

FlashSaleChooserBlock = flash_sale_chooser_viewset.get_block_class(
    name="FlashSaleChooserBlock", module_path="home.flash_blocks"
)


def shown_at(request):
    """The moment a page shows: a preview's chosen moment (CampaignPage's preview
    modes), else now."""
    if request is not None and getattr(request, "is_preview", False):
        return getattr(request, "preview_at", None) or timezone.now()
    return timezone.now()


class FlashSaleBlock(blocks.StructBlock):
    """A flash sale's sessions as tabs (on now, upcoming) with a countdown, each
    product's flash and regular price, how much is sold, and a basket button that
    works without JavaScript. Shoppers see it once the sale is approved."""

    sale = FlashSaleChooserBlock(label=_("Flash sale"))
    heading = blocks.CharBlock(
        label=_("Heading"), max_length=80, required=False, default=_("Flash sale")
    )

    class Meta:
        icon = "time"
        template = "blocks/flash_sale.html"
        label = _("Flash sale")
        description = _("A flash sale's sessions, with countdowns and basket buttons")
        preview_value = {"heading": "Flash sale"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        sale = value.get("sale")
        context["board"] = (
            flash_sale_board(
                sale=sale,
                user=getattr(request, "user", None),
                at=shown_at(request),
            )
            if sale is not None
            else None
        )
        return context


def _sales_in(body) -> list:
    sales = []
    for block in body or []:
        if block.block_type == "flash_sale" and (sale := block.value.get("sale")):
            if sale not in sales:
                sales.append(sale)
    return sales


PREVIEW_MODE_PREFIX = "at:"
UPCOMING_PREVIEWS = 6


def preview_modes(body) -> list[tuple[str, str]]:
    """Wagtail preview modes showing the page at the start of each upcoming session
    of the flash sales on it (an editor picks one in the preview panel)."""
    from django.utils import formats

    now = timezone.now()
    modes = []
    for sale in _sales_in(body):
        for session in sale.sessions.filter(starts_at__gt=now)[:UPCOMING_PREVIEWS]:
            when = formats.date_format(
                timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT"
            )
            modes.append(
                (
                    # Whole seconds, rounded up: the mode falls in the session.
                    f"{PREVIEW_MODE_PREFIX}{math.ceil(session.starts_at.timestamp())}",
                    _("At %(when)s: “%(sale)s” starts") % {"when": when, "sale": sale},
                )
            )
    return modes


def preview_moment(mode_name: str):
    """The moment a preview mode from preview_modes() stands for, or None."""
    from datetime import UTC, datetime

    mode_name = mode_name or ""
    stamp = mode_name.removeprefix(PREVIEW_MODE_PREFIX)
    if not mode_name.startswith(PREVIEW_MODE_PREFIX) or not stamp.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(stamp), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
