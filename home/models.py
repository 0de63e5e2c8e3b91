from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField

import pagecache
from insights.panels import CampaignPerformancePanel
from shop.offer_selectors import site_offers_at
from shop.partner.strategy import price_variant

from .blocks import BodyBlock
from .flash_blocks import preview_modes as flash_preview_modes
from .flash_blocks import preview_moment
from .forms import CampaignPageForm, SitePageForm
from .panels import ProductHealthPanel
from .selectors import product_tiles
from .translations import LanguageVersion, language_versions


class TranslatedPageMixin:
    """A page in one of the site's languages: it is shown in that language (its
    product tiles too: translated product fields follow the active language), and
    its context says where it is in the others (the header's language switch and
    hreflang links)."""

    def language_versions(self, request) -> list[LanguageVersion]:
        if getattr(self, "_language_versions", None) is None:
            self._language_versions = language_versions(self, request)
        return self._language_versions

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["language_versions"] = SimpleLazyObject(
            lambda: self.language_versions(request)
        )
        return context

    def serve(self, request, *args, **kwargs):
        # Wagtail serves the default language's page where a language has no
        # version of it (and previews a page whatever the editor's admin language
        # is): it still reads in its own language. (The page's own language comes
        # with its versions, which the header needs anyway: no extra query.)
        language = (
            next((v.code for v in self.language_versions(request) if v.current), None)
            or self.locale.language_code
        )
        if translation.get_language() != language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return super().serve(request, *args, **kwargs)


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

    # --- Previews at a chosen moment -----------------------------------------------

    def default_preview_moment(self):
        """The moment the default preview shows (None: now)."""
        return None

    @property
    def preview_modes(self):
        # Besides the page as it will be shown, one mode per upcoming start of a
        # flash sale session on it: the editor sees the session as it will be.
        return [("", _("As shoppers will see it")), *flash_preview_modes(self.body)]

    def serve_preview(self, request, mode_name):
        request.preview_at = preview_moment(mode_name) or self.default_preview_moment()
        return super().serve_preview(request, "")

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


class HomePage(TranslatedPageMixin, ProductTilesMixin, Page):
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [ProductHealthPanel(), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.CampaignIndexPage", "home.StandardPage"]
    # One home page per content language (each language's tree starts at its own).
    max_count = len(settings.WAGTAIL_CONTENT_LANGUAGES)

    class Meta:
        verbose_name = _("home page")


class StandardPage(TranslatedPageMixin, ProductTilesMixin, Page):
    """Help, FAQ and about pages."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [ProductHealthPanel(), FieldPanel("body")]
    base_form_class = SitePageForm
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class CampaignIndexPage(TranslatedPageMixin, Page):
    """Lists the running campaigns; answers for ended ones instead of a 404."""

    intro = models.CharField(max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = SitePageForm
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.CampaignPage"]
    max_count_per_parent = 1  # one per language's home page

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


class CampaignPage(TranslatedPageMixin, ProductTilesMixin, Page):
    """A promotion with a schedule (Wagtail's go-live and expiry), a hero, a theme
    colour and a body of blocks.

    Offers, and who may change them:

    - A *linked offer* (`offer`) belongs to the merchandiser. The page shows it and
      prices its preview with it, and never writes it: an offer can run several
      campaigns, a site-wide sale among them, and a page moving its dates would
      switch the sale off for every other page and product. Instead the editor is
      warned, in the health panel and again when publishing (which then needs a
      tick), when the offer isn't running or the page's window falls outside the
      offer's.
    - A *campaign discount* (`discount_kind`, `discount_value`, `discount_range`)
      is an offer the page owns: the page creates it (CampaignOffer records that it
      did) and its start, end and status follow the page's schedule on publish,
      schedule, unschedule, unpublish and expiry (home/campaign_offers.py). No
      other page can claim it, and the page never touches any offer it did not
      create, so scheduling or unpublishing leaves every other offer as it was.
    """

    NO_DISCOUNT, PERCENTAGE, AMOUNT = "", "percentage", "amount"
    DISCOUNT_CHOICES = [
        (NO_DISCOUNT, _("No campaign discount")),
        (PERCENTAGE, _("Percentage off each item")),
        (AMOUNT, _("Amount off each item")),
    ]

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
        verbose_name=_("linked offer"),
        help_text=_(
            "A merchandiser's offer to show with this campaign. The page never "
            "changes it: its dates are set in the shop's dashboard."
        ),
    )
    discount_kind = models.CharField(
        _("campaign discount"),
        max_length=20,
        choices=DISCOUNT_CHOICES,
        default=NO_DISCOUNT,
        blank=True,
        help_text=_(
            "An offer of this page's own: it runs exactly while the page is live."
        ),
    )
    discount_value = models.DecimalField(
        _("discount"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Percent, or an amount in the shop's currency."),
    )
    discount_range = models.ForeignKey(
        "offer.Range",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("on products in"),
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("intro"), FieldPanel("theme_colour")],
            heading=_("Hero"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offer"),
                FieldPanel("confirm_linked_offer"),
                FieldRowPanel(
                    [
                        FieldPanel("discount_kind"),
                        FieldPanel("discount_value"),
                        FieldPanel("discount_range"),
                    ]
                ),
            ],
            heading=_("Offers"),
        ),
        CampaignPerformancePanel(),
        ProductHealthPanel(),
        FieldPanel("body"),
    ]
    base_form_class = CampaignPageForm
    # Translators get the words; the colour is the campaign's in every language.
    override_translatable_fields = [SynchronizedField("theme_colour")]

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

    def default_preview_moment(self):
        return self.go_live_at

    def tile_offers(self, request) -> list | None:
        if not getattr(request, "is_preview", False):
            return super().tile_offers(request)
        # A preview prices tiles as shoppers will see them at go-live (or the moment
        # the editor chose): the site offers open then (a linked offer keeps its own
        # window), and the page's own campaign discount, which runs with the page
        # whatever its state now.
        offers = site_offers_at(getattr(request, "preview_at", None) or timezone.now())
        owned = (
            # The campaign's discount, whichever language's version created it.
            CampaignOffer.objects.filter(page__translation_key=self.translation_key)
            .select_related("offer__condition", "offer__benefit")
            .first()
        )
        if owned is not None and owned.offer_id not in {o.pk for o in offers}:
            offers.append(owned.offer)
        return offers


class CampaignOffer(models.Model):
    """The offer a campaign page created for its campaign discount, and so owns.

    Kept outside the page's own fields on purpose: page fields are revisioned, and
    publishing an older revision (or saving a form loaded before the offer existed)
    would forget the link and create a second offer."""

    page = models.OneToOneField(
        CampaignPage, on_delete=models.CASCADE, related_name="owned_offer"
    )
    offer = models.OneToOneField(
        "offer.ConditionalOffer",
        on_delete=models.CASCADE,
        related_name="owning_campaign",
    )

    def __str__(self):
        return f"{self.page} owns {self.offer}"
