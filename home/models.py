from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import BodyBlock
from .forms import SitePageForm
from .selectors import product_tiles


class ProductTilesMixin:
    """Gives block templates one prepared map of live product data for the page."""

    def product_ids(self) -> list[int]:
        ids = []
        for block in self.body:
            if hasattr(block.block, "product_ids"):
                ids.extend(block.block.product_ids(block.value))
        return ids

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["product_tiles"] = product_tiles(
            product_ids=self.product_ids(), request=request
        )
        return context


class HomePage(ProductTilesMixin, Page):
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(ProductTilesMixin, Page):
    """Help, FAQ and about pages."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    base_form_class = SitePageForm

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
