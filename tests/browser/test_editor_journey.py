"""A marketing editor at a desk: signs in to Wagtail's admin, builds a campaign page
with a product grid whose two products come from the product chooser, publishes it;
a shopper's phone then shows both with the prices Oscar charges now."""

import re
import time

from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency
from playwright.sync_api import expect

from home.models import CampaignPage, HomePage
from home.selectors import product_tiles
from tests.browser.conftest import (
    Known,
    assert_accessible,
    assert_fits_360,
    screenshot,
)
from tests.factories import page_url
from tests.markers import committed

Product = get_model("catalogue", "Product")

# One on the spring sale (an offer price), one at its list price.
PICKS = {"Longjing": "West Lake Longjing Green Tea", "rice bowls": "Ceramic Rice Bowls"}

# Wagtail's own, found by axe-core 4.14 and not fixable from this project:
CHOOSER_MODAL = Known(
    rule="aria-dialog-name",
    selector="body > .modal[role=dialog]",
    why="Wagtail 8.0's ModalWorkflow (wagtailadmin/js/modal-workflow.js) builds "
    "its chooser modal as <div class='modal' role='dialog'> with no aria-label or "
    "aria-labelledby; the markup lives in Wagtail's bundled script, not a template.",
)


class Autosave:
    """Wagtail 8's autosave of the editor's form, watched from outside.

    - While the form does not validate (a product grid whose chooser is open and
      still empty), Wagtail answers the autosave 400 with {"error_code":
      "validation_error"} by design, and Chromium logs each 400 as a console error:
      `is_rejection` tells exactly those console errors apart.
    - An autosave still in flight when Publish is pressed can unpublish a page that
      was never live: the editor reads "has been published" while the page stays a
      draft (Wagtail 8.0.1's EditView.save_action saves the form with the `live`
      it loaded; reproduced, reported). `rest` waits, as an editor watching the
      "Saved" indicator would, until autosave is quiet.
    """

    QUIET = 1.5  # seconds: longer than Wagtail's change check plus its debounce

    def __init__(self, page):
        self.page = page
        self.pending = set()
        self.last = time.monotonic()
        self.rejected = set()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    @staticmethod
    def _is_autosave(request) -> bool:
        return request.method == "POST" and "json" in request.headers.get("accept", "")

    def _started(self, request):
        if self._is_autosave(request):
            self.pending.add(request)
            self.last = time.monotonic()

    def _ended(self, request):
        if request not in self.pending:
            return
        self.pending.discard(request)
        self.last = time.monotonic()
        response = request.response()
        if response is not None and response.status == 400:
            try:
                if response.json().get("error_code") == "validation_error":
                    self.rejected.add(request.url)
            except ValueError:
                pass

    def is_rejection(self, error) -> bool:
        return "status of 400" in error.text and error.source in self.rejected

    def rest(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.pending or time.monotonic() - self.last < self.QUIET:
            assert time.monotonic() < deadline, "Wagtail's autosave never came to rest"
            self.page.wait_for_timeout(100)


def expected_price(product) -> str:
    """The price a tile shows: Oscar's strategy and today's site offers, formatted
    by Oscar's currency filter, as shoppers see it."""
    tile = product_tiles(product_ids=[product.pk])[product.pk]
    shown = tile.offer_price if tile.offer_price is not None else tile.price
    return currency(shown, tile.currency)


@committed
def test_an_editor_builds_and_publishes_a_campaign_that_sells_two_products(
    live_server, desktop, phone, axe, demo_password, settings
):
    # Wagtail asks gravatar.com for the editor's avatar: a third-party request with
    # a hash of their e-mail, and offline a console error. It belongs off in
    # config/settings/base.py (reported); until then, off for this journey.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    password = demo_password("editor")
    admin = desktop
    autosave = Autosave(admin)

    def arrive(name, known=()):
        admin.wait_for_load_state("load")
        screenshot(admin, f"editor-{name}")
        assert_accessible(admin, known=known)
        errors = [e for e in admin.console_errors if not autosave.is_rejection(e)]
        assert errors == [], errors

    admin.goto(live_server.url + "/admin/")
    arrive("01-sign-in")
    admin.get_by_label("Username").fill("editor")
    admin.get_by_label("Password").fill(password)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(live_server.url + "/admin/")
    arrive("02-dashboard")

    # Each language has its own tree; this campaign goes in the English one.
    english_home = HomePage.objects.get(locale__language_code="en")
    admin.goto(live_server.url + f"/admin/pages/{english_home.pk}/")
    arrive("03-pages")
    admin.get_by_role("link", name="Explore child pages of 'Campaigns'").click()
    arrive("04-campaigns")
    admin.get_by_role("link", name="Add child page").click()
    admin.wait_for_url(re.compile(r".*/admin/pages/add/home/campaignpage/\d+/$"))
    arrive("05-new-campaign")

    admin.get_by_placeholder("Page title*").fill("Tea week")
    admin.get_by_label("Intro", exact=True).fill(
        "Green tea and the bowls to drink it from"
    )
    # A tea green. (The default orange, #ff5a1f, gets white text at 3.1:1, below
    # WCAG AA: CampaignPage.theme_ink's threshold picks the wrong ink; reported.)
    admin.get_by_label("Theme colour").fill("#2e6b3f")
    admin.get_by_title("Insert a block").first.click()
    admin.get_by_role("option", name="Product grid").click()
    admin.get_by_label("Heading", exact=True).fill("Tea week picks")
    products = admin.locator("[data-contentpath=products]")
    for query, title in PICKS.items():
        products.locator("[data-streamfield-list-add]").last.click()
        products.get_by_role("button", name="Choose a product").locator(
            "visible=true"
        ).click()
        chooser = admin.get_by_role("dialog")
        chooser.get_by_label("Search title, UPC or SKU").fill(query)
        choices = chooser.locator("a[data-chooser-modal-choice]")
        expect(choices).to_have_count(1)
        expect(choices).to_contain_text(title)
        screenshot(admin, f"editor-06-chooser-{query.replace(' ', '-')}")
        assert_accessible(admin, known=(CHOOSER_MODAL,))
        choices.click()
        expect(chooser).to_be_hidden()
        expect(products).to_contain_text(title)
    autosave.rest()
    arrive("07-filled-in")

    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Publish").click()
    admin.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
    expect(
        admin.get_by_text(re.compile("Tea week.* (has been|created and) published"))
    ).to_be_visible()
    arrive("08-published")

    campaign = CampaignPage.objects.get(title="Tea week")
    assert campaign.live and campaign.url == page_url("campaigns/tea-week/")
    picked = [Product.objects.get(title__startswith=title) for title in PICKS.values()]
    assert campaign.product_ids() == [product.pk for product in picked]

    phone.goto(live_server.url + campaign.url)
    phone.wait_for_load_state("load")
    screenshot(phone, "editor-09-live-on-a-phone")
    tiles = phone.get_by_role("listitem").filter(
        has=phone.locator("form[data-basket-add]")
    )
    expect(tiles).to_have_count(2)
    for tile, product in zip(tiles.all(), picked, strict=True):
        expect(tile).to_contain_text(product.get_title())
        expect(tile).to_contain_text(expected_price(product))
    assert_fits_360(phone)
    assert_accessible(phone)
    assert phone.console_errors == [], phone.console_errors
