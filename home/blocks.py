"""StreamField blocks editors compose pages from. Commerce objects are stored by
reference; price, offer and stock come from Oscar when the page renders."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from shop.coupons.selectors import block_cards
from shop.promotions.health import offer_status, voucher_status

from . import selectors
from .flash_blocks import FlashSaleBlock
from .viewsets import (
    category_chooser_viewset,
    coupon_chooser_viewset,
    offer_chooser_viewset,
    product_chooser_viewset,
    range_chooser_viewset,
    voucher_chooser_viewset,
)

Product = get_model("catalogue", "Product")

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="home.blocks"
)
CategoryChooserBlock = category_chooser_viewset.get_block_class(
    name="CategoryChooserBlock", module_path="home.blocks"
)
RangeChooserBlock = range_chooser_viewset.get_block_class(
    name="RangeChooserBlock", module_path="home.blocks"
)
OfferChooserBlock = offer_chooser_viewset.get_block_class(
    name="OfferChooserBlock", module_path="home.blocks"
)
VoucherChooserBlock = voucher_chooser_viewset.get_block_class(
    name="VoucherChooserBlock", module_path="home.blocks"
)
CouponChooserBlock = coupon_chooser_viewset.get_block_class(
    name="CouponChooserBlock", module_path="home.blocks"
)

SHOW_SOLD_OUT, HIDE = "sold_out", "hide"
WHEN_UNAVAILABLE_CHOICES = [
    (SHOW_SOLD_OUT, _("Show it as sold out")),
    (HIDE, _("Hide it")),
]


def when_unavailable_block():
    return blocks.ChoiceBlock(
        choices=WHEN_UNAVAILABLE_CHOICES,
        default=SHOW_SOLD_OUT,
        label=_("When a product is sold out or withdrawn"),
    )


class LinkValue(blocks.StructValue):
    def url(self) -> str:
        for key in ("page", "product", "category", "offer"):
            if target := self.get(key):
                return target.url if key == "page" else target.get_absolute_url()
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """Where a button goes: a page, product, category, offer or URL (first set wins)."""

    text = blocks.CharBlock(label=_("Button text"), max_length=40, required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    product = ProductChooserBlock(label=_("Product"), required=False)
    category = CategoryChooserBlock(label=_("Category"), required=False)
    offer = OfferChooserBlock(label=_("Offer"), required=False)
    url = blocks.CharBlock(label=_("URL"), required=False)

    class Meta:
        value_class = LinkValue
        icon = "link"
        label = _("Link")
        form_classname = "link-block"


class HeroBlock(blocks.StructBlock):
    """A full-width banner with a headline and one call to action."""

    image = ImageChooserBlock(label=_("Image"))
    headline = blocks.CharBlock(label=_("Headline"), max_length=80)
    text = blocks.CharBlock(label=_("Text"), max_length=160, required=False)
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


class ProductGridValue(blocks.StructValue):
    def product_ids(self) -> list[int]:
        """The products this grid shows, in order: picked by hand, or by its rule
        (one query per rule grid, run once per render)."""
        if not hasattr(self, "_product_ids"):
            if self.get("source") == ProductGridBlock.RULE:
                self._product_ids = selectors.rule_products(
                    category=self.get("category"),
                    range_=self.get("product_range"),
                    sort=self.get("sort"),
                    limit=self.get("limit") or 8,
                )
            else:
                self._product_ids = [p.pk for p in self.get("products") or [] if p]
        return self._product_ids


class ProductGridBlock(blocks.StructBlock):
    """Products as two-column tiles with live price, offer, stock and a basket button:
    picked by hand, or chosen by a rule over a category or an Oscar range."""

    PICKED, RULE = "picked", "rule"

    heading = blocks.CharBlock(label=_("Heading"), max_length=80, required=False)
    source = blocks.ChoiceBlock(
        label=_("Source"),
        choices=[(PICKED, _("Products I pick")), (RULE, _("A rule"))],
        default=PICKED,
    )
    products = blocks.ListBlock(
        ProductChooserBlock(), required=False, default=[], label=_("Products")
    )
    category = CategoryChooserBlock(
        label=_("Category"), required=False, help_text=_("Rule: this category")
    )
    product_range = RangeChooserBlock(
        required=False, label=_("Range"), help_text=_("Rule: this Oscar range")
    )
    sort = blocks.ChoiceBlock(
        label=_("Sort"),
        choices=[
            (selectors.NEWEST, _("Newest")),
            (selectors.PRICE_ASC, _("Price, low to high")),
            (selectors.PRICE_DESC, _("Price, high to low")),
            (selectors.BEST_SELLING, _("Best-selling")),
        ],
        default=selectors.NEWEST,
        help_text=_("Rule: order"),
    )
    limit = blocks.IntegerBlock(label=_("Limit"), min_value=1, max_value=96, default=8)
    when_unavailable = when_unavailable_block()

    class Meta:
        icon = "grid"
        template = "blocks/product_grid.html"
        value_class = ProductGridValue
        label = _("Product grid")
        description = _("Products with live price, stock and a basket button")
        preview_value = {"heading": "Best sellers", "source": "rule", "limit": 4}

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["source"] == self.PICKED and not value["products"]:
            errors["products"] = ValidationError(_("Pick at least one product."))
        if value["source"] == self.RULE and not (
            value["category"] or value["product_range"]
        ):
            errors["category"] = ValidationError(
                _("A rule needs a category or a range.")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class SpotlightValue(blocks.StructValue):
    def product_ids(self) -> list[int]:
        return [self["product"].pk] if self.get("product") else []


class ProductSpotlightBlock(blocks.StructBlock):
    """One product, large, with its description and a basket button."""

    product = ProductChooserBlock(label=_("Product"))
    headline = blocks.CharBlock(label=_("Headline"), max_length=80, required=False)
    when_unavailable = when_unavailable_block()

    class Meta:
        icon = "view"
        template = "blocks/product_spotlight.html"
        value_class = SpotlightValue
        label = _("Product spotlight")
        description = _("One product, large, with a basket button")
        preview_value = {"headline": "Editor's choice"}

    def get_preview_value(self):
        # Previews show a real product: the newest one shoppers can browse.
        newest = Product.objects.browsable().order_by("-date_created").first()
        return self.to_python(
            {"headline": "Editor's choice", "product": newest and newest.pk}
        )


class CategoryStripBlock(blocks.StructBlock):
    """A row of categories with their pictures."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80, required=False)
    categories = blocks.ListBlock(
        CategoryChooserBlock(), min_num=1, label=_("Categories")
    )

    class Meta:
        icon = "folder-open-inverse"
        template = "blocks/category_strip.html"
        label = _("Category strip")
        description = _("Shortcuts to categories, with their pictures")
        preview_value = {"heading": "Shop by category", "categories": []}


class OfferBannerValue(blocks.StructValue):
    def status(self):
        """The offer's status (shop/promotions/health.py), for the template."""
        offer = self.get("offer")
        return offer_status(offer) if offer else None


class OfferBannerBlock(blocks.StructBlock):
    """An Oscar offer as Oscar describes it: name, description, the condition in
    words and a countdown to its end. Hidden from shoppers while the offer is not
    running; the editor's preview says why."""

    offer = OfferChooserBlock(label=_("Offer"))
    image = ImageChooserBlock(label=_("Image"), required=False)
    button_text = blocks.CharBlock(
        label=_("Button text"),
        max_length=40,
        required=False,
        default=_("See the offer"),
    )

    class Meta:
        icon = "pick"
        template = "blocks/offer_banner.html"
        value_class = OfferBannerValue
        label = _("Offer banner")
        description = _("An Oscar offer with its terms and a countdown")
        preview_value = {"button_text": "See the offer"}


class VoucherValue(blocks.StructValue):
    def status(self):
        """The voucher's status: a block whose voucher can't be used (not started,
        expired, used up, its offers suspended) hides itself from shoppers."""
        voucher = self.get("voucher")
        return voucher_status(voucher) if voucher else None


class VoucherBlock(blocks.StructBlock):
    """A voucher code shoppers can copy or apply to their basket in one tap, shown
    while the voucher can be used."""

    voucher = VoucherChooserBlock(label=_("Voucher"))
    text = blocks.CharBlock(label=_("Text"), max_length=120, required=False)

    class Meta:
        icon = "form"
        template = "blocks/voucher.html"
        value_class = VoucherValue
        label = _("Voucher")
        description = _("A voucher code with copy and apply-to-basket buttons")
        preview_value = {"text": "10% off your first order"}


class CouponCentreValue(blocks.StructValue):
    def cards(self):
        """The coupons as every shopper sees them (terms, share claimed, claim
        window); hidden once their claim window has closed. Each shopper's own state
        comes from the coupon centre's state endpoint, never from this HTML."""
        return block_cards(self.get("coupons") or [])

    def hidden(self):
        """For the editor's preview: chosen coupons shoppers don't see, and why."""
        shown = {card["coupon"].pk for card in self.cards()}
        return [c for c in self.get("coupons") or [] if c and c.pk not in shown]


class CouponCentreBlock(blocks.StructBlock):
    """Claimable coupons (领券中心) with a Claim button each: a plain form post
    for signed-in shoppers; guests are asked to sign in and brought back."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80, required=False)
    coupons = blocks.ListBlock(
        CouponChooserBlock(), min_num=1, max_num=12, label=_("Coupons")
    )

    class Meta:
        icon = "tag"
        template = "blocks/coupon_centre.html"
        value_class = CouponCentreValue
        label = _("Coupon centre")
        description = _("Coupons shoppers claim into their wallet")
        preview_value = {"heading": "Claim your coupons", "coupons": []}


class ThresholdProgressBlock(blocks.StructBlock):
    """How far the shopper's basket is from free delivery, offers and their
    coupons ("spend ¥12 more…"), fetched for each shopper (pages stay cached)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=80, required=False)

    class Meta:
        icon = "success"
        template = "blocks/threshold_progress.html"
        label = _("Basket progress")
        description = _("“Spend ¥X more for free delivery / to use a coupon”")
        preview_value = {"heading": "Almost there"}


class CountdownBlock(blocks.StructBlock):
    """A countdown to a moment; shows the end time itself where JavaScript is off."""

    headline = blocks.CharBlock(label=_("Headline"), max_length=80)
    ends_at = blocks.DateTimeBlock(label=_("Ends at"))
    ended_text = blocks.CharBlock(
        label=_("Text once ended"), max_length=80, default=_("This has ended")
    )

    class Meta:
        icon = "time"
        template = "blocks/countdown.html"
        label = _("Countdown")
        description = _("A live countdown to a date and time")
        preview_value = {"headline": "Flash sale ends in", "ended_text": "Ended"}


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "blocks/rich_text.html"
        label = _("Text")
        description = _("Formatted text")
        preview_value = "<p>Free delivery on orders over ¥99.</p>"


class CarouselSlideBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), max_length=80, required=False)
    link = LinkBlock(required=False)


class CarouselBlock(blocks.StructBlock):
    """Images that shoppers swipe through (CSS scroll snap: no script needed)."""

    slides = blocks.ListBlock(CarouselSlideBlock(), min_num=1, label=_("Slides"))

    class Meta:
        icon = "image"
        template = "blocks/carousel.html"
        label = _("Image carousel")
        description = _("Swipeable images with captions")
        preview_value = {"slides": []}


class BodyBlock(blocks.StreamBlock):
    """The shared body of Mallard's pages."""

    hero = HeroBlock()
    product_grid = ProductGridBlock()
    product_spotlight = ProductSpotlightBlock()
    category_strip = CategoryStripBlock()
    offer_banner = OfferBannerBlock()
    voucher = VoucherBlock()
    coupon_centre = CouponCentreBlock()
    threshold_progress = ThresholdProgressBlock()
    countdown = CountdownBlock()
    rich_text = RichTextBlock()
    carousel = CarouselBlock()
    flash_sale = FlashSaleBlock()
