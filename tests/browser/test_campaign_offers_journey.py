"""The spring-sale story in Wagtail's admin: an editor links the running sale to a
campaign scheduled for next week. Publishing warns them and, once they confirm,
leaves the sale exactly as it was (window, prices, change log). Then a campaign
with its own discount: that offer's window follows the page's schedule."""

import re
from datetime import timedelta

from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from home.models import CampaignIndexPage, CampaignPage
from shop.promotions.changes import history
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_editor_journey import Autosave
from tests.markers import committed

ConditionalOffer = get_model("offer", "ConditionalOffer")
Product = get_model("catalogue", "Product")

SPRING_SALE = "Spring sale: 20% off spring picks"
SALE_ITEM = "MAL-1001"


def _typed(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _sale_state():
    sale = ConditionalOffer.objects.get(name=SPRING_SALE)
    return (sale.status, sale.start_datetime, sale.end_datetime, sale.exclusive)


def _tile_text(shopper, live_server, title) -> str:
    shopper.goto(live_server.url + "/campaigns/spring-sale/")
    tile = shopper.get_by_role("listitem").filter(has_text=title).first
    return tile.inner_text()


@committed
def test_a_campaign_links_the_running_sale_without_changing_it_and_owns_its_discount(
    live_server, desktop, phone, axe, demo_password, settings
):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatar request
    admin = desktop
    autosave = Autosave(admin)
    sale = ConditionalOffer.objects.get(name=SPRING_SALE)
    sale_item = Product.objects.get(upc=SALE_ITEM).get_title()
    sale_before = _sale_state()
    tile_before = _tile_text(phone, live_server, sale_item)
    changes_before = history(sale).count()
    go_live = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    expiry = go_live + timedelta(days=14)  # the sale ends in under two weeks

    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("editor")
    admin.get_by_label("Password").fill(demo_password("editor"))
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(live_server.url + "/admin/")
    index = CampaignIndexPage.objects.get(locale__language_code="en")

    def new_campaign(title):
        admin.goto(f"{live_server.url}/admin/pages/add/home/campaignpage/{index.pk}/")
        admin.get_by_placeholder("Page title*").fill(title)

    def set_schedule():
        set_button = admin.get_by_role("button", name="Set schedule")
        if not set_button.is_visible():  # Wagtail remembers the open side panel
            admin.locator("[data-side-panel-toggle=status]").click()
        set_button.click()
        dialog = admin.locator("#schedule-publishing-dialog")
        for field, moment in (("#id_go_live_at", go_live), ("#id_expire_at", expiry)):
            dialog.locator(field).fill(_typed(moment))
            dialog.locator(field).press("Tab")
        # By keyboard: the date picker's calendar can still lie over the button.
        dialog.get_by_role("button", name="Save schedule").press("Enter")
        admin.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))

    def schedule_to_publish():
        autosave.rest()
        admin.get_by_role("button", name="More actions").click()
        admin.get_by_role("button", name="Schedule to publish").click()
        admin.wait_for_load_state("load")

    # 1. Link the running spring sale to a campaign scheduled for next week.
    new_campaign("Next week's picks")
    admin.get_by_role("button", name="Choose an offer").click()
    chooser = admin.get_by_role("dialog")
    # The search replaces the results: a click before that lands on a row gone.
    with admin.expect_response(lambda response: "q=spring" in response.url):
        chooser.get_by_label("Search").fill("spring")
    choice = chooser.locator("tr").filter(has_text=SPRING_SALE)
    expect(choice).to_contain_text("running")  # the chooser shows its health
    screenshot(admin, "campaign-offers-01-chooser")
    choice.locator("a[data-chooser-modal-choice]").click()
    expect(chooser).to_be_hidden()
    set_schedule()
    schedule_to_publish()

    # The editor is warned before anything is published.
    warning = admin.get_by_text(re.compile(r"The linked offer .Spring sale.* ends on"))
    expect(warning.first).to_be_visible()
    expect(
        admin.get_by_text("This page never changes the linked offer.")
    ).to_be_visible()
    screenshot(admin, "campaign-offers-02-warned")
    page = CampaignPage.objects.get(title="Next week's picks")
    assert page.revisions.filter(approved_go_live_at__isnull=False).count() == 0

    admin.get_by_label("Publish with the linked offer as it is").check()
    schedule_to_publish()
    expect(
        admin.get_by_text(re.compile("has been scheduled for publishing"))
    ).to_be_visible()
    screenshot(admin, "campaign-offers-03-scheduled")
    assert page.revisions.filter(approved_go_live_at__isnull=False).exists()

    # The running sale is untouched: its window, its prices, its change log.
    assert _sale_state() == sale_before
    assert _tile_text(phone, live_server, sale_item) == tile_before
    assert history(sale).count() == changes_before
    # The page is locked while scheduled; the change log is under Reports.
    admin.goto(f"{live_server.url}/admin/")
    admin.get_by_role("button", name="Reports").click()
    admin.get_by_role("link", name="Offer and voucher changes").click()
    rows = admin.locator("main table tbody tr").filter(has_text=SPRING_SALE)
    expect(rows).to_have_count(changes_before)
    for row in rows.all():
        expect(row).not_to_contain_text("Wagtail admin")
    screenshot(admin, "campaign-offers-04-change-log")
    assert_accessible(admin)

    # 2. A campaign with a discount of its own: its offer follows the page.
    new_campaign("Own discount week")
    admin.get_by_label("Campaign discount").select_option(
        label="Percentage off each item"
    )
    admin.get_by_label("Discount", exact=True).fill("15")
    admin.get_by_role("button", name="Choose a product range").click()
    chooser = admin.get_by_role("dialog")
    chooser.get_by_label("Search").fill("Spring")
    chooser.locator("a[data-chooser-modal-choice]", has_text="Spring picks").click()
    expect(chooser).to_be_hidden()
    set_schedule()
    schedule_to_publish()
    expect(
        admin.get_by_text(re.compile("has been scheduled for publishing"))
    ).to_be_visible()

    owned = CampaignPage.objects.get(title="Own discount week").owned_offer.offer
    assert (owned.status, owned.start_datetime, owned.end_datetime) == (
        ConditionalOffer.OPEN,
        go_live,
        expiry,
    )
    assert owned.benefit.value == 15
    assert _sale_state() == sale_before
    errors = [e for e in admin.console_errors if not autosave.is_rejection(e)]
    assert errors == [], errors
