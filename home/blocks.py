"""StreamField blocks editors compose pages from. Products are stored by reference;
price and stock come from Oscar when the page renders."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .viewsets import product_chooser_viewset

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="home.blocks"
)


class LinkValue(blocks.StructValue):
    def url(self) -> str:
        if page := self.get("page"):
            return page.url
        if product := self.get("product"):
            return product.get_absolute_url()
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """Where a call to action goes: a page, a product or a URL (first set wins)."""

    text = blocks.CharBlock(label=_("Button text"), max_length=40, required=False)
    page = blocks.PageChooserBlock(required=False)
    product = ProductChooserBlock(required=False)
    url = blocks.CharBlock(
        label=_("URL"), required=False, help_text=_("e.g. /shop/catalogue/")
    )

    class Meta:
        value_class = LinkValue
        icon = "link"
        label = _("Link")


class HeroBlock(blocks.StructBlock):
    """A full-width banner with a headline and one call to action."""

    image = ImageChooserBlock()
    headline = blocks.CharBlock(max_length=80)
    text = blocks.CharBlock(max_length=160, required=False)
    link = LinkBlock(required=False)

    class Meta:
        icon = "image"
        template = "blocks/hero.html"
        label = _("Hero banner")
        description = _("A full-width banner with a headline and a button")
        preview_value = {
            "headline": "Spring sale",
            "text": "Fresh picks for the season",
            "link": {"text": "Shop now", "url": "/shop/catalogue/"},
        }


class ProductGridBlock(blocks.StructBlock):
    """Hand-picked products as two-column tiles: live price, stock, basket button."""

    heading = blocks.CharBlock(max_length=80, required=False)
    products = blocks.ListBlock(ProductChooserBlock(), min_num=1)

    class Meta:
        icon = "table"
        template = "blocks/product_grid.html"
        label = _("Product grid")
        description = _(
            "Hand-picked products with live price, stock and a basket button"
        )
        preview_value = {"heading": "Best sellers", "products": []}

    @staticmethod
    def product_ids(value) -> list[int]:
        return [product.pk for product in value["products"] if product is not None]


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text.html"
        label = _("Text")
        description = _("Formatted text")
        preview_value = "<p>Free delivery on orders over ¥99.</p>"


class BodyBlock(blocks.StreamBlock):
    """The shared body of Mallard's pages."""

    hero = HeroBlock()
    product_grid = ProductGridBlock()
    rich_text = RichTextBlock()
