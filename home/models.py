from django.core.validators import RegexValidator
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

import pagecache
from shop.offer_selectors import site_offers_at
from shop.partner.strategy import price_variant

from .blocks import BodyBlock
from .forms import SitePageForm
from .panels import ProductHealthPanel
from .selectors import product_tiles


class ProductTilesMixin:
    """Gives block templates one prepared map of live product data for the page, and
    serves the page through the page cache (pagecache/)."""

    def product_ids(self) -> list[int]:
        ids = []
        for block in self.body:
            if hasattr(block.value, "product_ids"):
                ids.extend(block.value.product_ids())
        return ids

    def tile_offers(self, request) -> list | None:
        """The offers tiles are priced with: None, those Oscar applies now."""
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: a body served from the page cache never needs it.
        context["product_tiles"] = SimpleLazyObject(
            lambda: product_tiles(
                product_ids=self.product_ids(),
                request=request,
                offers=self.tile_offers(request),
            )
        )
        return context

    def serve(self, request, *args, **kwargs):
        serve = super().serve
        return pagecache.serve_page(
            self,
            request,
            lambda: serve(request, *args, **kwargs),
            variant=price_variant(user=request.user),
        )


class HomePage(ProductTilesMixin, Page):
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [ProductHealthPanel(), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.CampaignIndexPage", "home.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(ProductTilesMixin, Page):
    """Help, FAQ and about pages."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [ProductHealthPanel(), FieldPanel("body")]
    base_form_class = SitePageForm
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class CampaignIndexPage(Page):
    """Lists the running campaigns; answers for ended ones instead of a 404."""

    intro = models.CharField(max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = SitePageForm
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.CampaignPage"]
    max_count = 1

    class Meta:
        verbose_name = _("campaign index")

    def live_campaigns(self):
        return (
            CampaignPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image")
            .order_by("-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = self.live_campaigns()
        return context

    def route(self, request, path_components):
        if len(path_components) == 1:
            ended = (
                CampaignPage.objects.child_of(self)
                .filter(slug=path_components[0], live=False, expired=True)
                .first()
            )
            if ended is not None:
                return RouteResult(self, kwargs={"ended_campaign": ended})
        return super().route(request, path_components)

    def serve(self, request, *args, ended_campaign=None, **kwargs):
        if ended_campaign is None:
            return super().serve(request, *args, **kwargs)
        context = self.get_context(request)
        context["ended_campaign"] = ended_campaign
        # 410 Gone: the campaign existed and is over; shoppers still get a useful page.
        return render(request, "home/campaign_ended.html", context, status=410)


def _relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


class CampaignPage(ProductTilesMixin, Page):
    """A promotion with a schedule (Wagtail's go-live and expiry), a hero, a theme
    colour and a body of blocks. A linked Oscar offer runs in the same window."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = models.CharField(max_length=160, blank=True)
    theme_colour = models.CharField(
        max_length=7,
        default="#ff5a1f",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #ff5a1f."))
        ],
    )
    offer = models.ForeignKey(
        "offer.ConditionalOffer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_pages",
        help_text=_("Publishing with a schedule runs this offer in the same window."),
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("intro"), FieldPanel("theme_colour")],
            heading=_("Hero"),
        ),
        FieldPanel("offer"),
        ProductHealthPanel(),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro", boost=2),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaign page")

    @property
    def theme_ink(self) -> str:
        """Near-black or white text, whichever contrasts more with the theme colour
        by WCAG's formula (a plain brightness cut-off put white on #ff5a1f, 3.1:1)."""
        background = _relative_luminance(self.theme_colour)
        on_dark = 1.05 / (background + 0.05)  # white
        on_light = (background + 0.05) / (_relative_luminance("#111111") + 0.05)
        return "#ffffff" if on_dark >= on_light else "#111111"

    def tile_offers(self, request) -> list:
        if not (getattr(request, "is_preview", False) and self.offer_id):
            return super().tile_offers(request)
        # Preview shows the prices shoppers will see at go-live, linked offer included.
        offers = site_offers_at(self.go_live_at or timezone.now())
        if self.offer_id not in {offer.pk for offer in offers}:
            offers.append(
                type(self.offer)
                .objects.select_related("condition", "benefit")
                .get(pk=self.offer_id)
            )
        return offers
