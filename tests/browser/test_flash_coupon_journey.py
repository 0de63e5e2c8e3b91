"""A flash sale and a coupon, from the dashboard to a phone (issue 14): a
merchandiser sets up a flash sale in Oscar's dashboard (a session starting shortly,
earbuds at a flash price from a pool, two per shopper); a second merchandiser
approves it; an editor puts the flash sale block and a coupon block on a campaign
page in Wagtail's admin, previews it as it will be at the session's start and
publishes it. A signed-in shopper on a phone claims the coupon from the page, buys
the earbuds as the session opens, uses the coupon in the basket and pays with the
test card: the confirmation shows the flash price on the line and the coupon's
discount, and the totals add up."""

import re
import secrets
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency
from playwright.sync_api import expect

from home.demo.coupons import NAME as COUPON
from home.models import CampaignIndexPage, CampaignPage
from shop.coupons.models import CouponClaim
from shop.flashsales.models import FlashPurchase, FlashSale
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_360,
    assert_tap_targets,
    check_out_with_card,
    screenshot,
)
from tests.browser.test_editor_journey import CHOOSER_MODAL, Autosave
from tests.browser.test_merchandiser_journey import ORDER_CHART
from tests.browser.test_order_life_journey import ORDER_CHART_AXIS
from tests.markers import committed

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

EARBUDS = "MAL-4001"  # ¥399, in stock, on no site offer
FLASH_PRICE = Decimal("299.00")  # over the coupon's ¥199 minimum on its own
POOL, LIMIT = 10, 2
SALE = "Earbuds flash hour"
CAMPAIGN = "Earbuds flash day"
# From the first form in the dashboard to the shopper's first look (about a minute
# on a loaded 2-core machine), with room to spare: the editor's preview and the
# shopper's "starts at" need a session that hasn't started. The shopper waits out
# the rest.
LEAD = timedelta(seconds=120)


def _typed(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _session_start():
    """The whole minute nearest LEAD from now (the dashboard's pickers type
    minutes)."""
    start = timezone.now() + LEAD + timedelta(seconds=30)
    return start.replace(second=0, microsecond=0)


def _approver(django_user_model, password):
    """A second merchandiser, with the same group (approving included)."""
    user = django_user_model.objects.create_user(
        "approver", "approver@mallard.test", password, is_staff=True
    )
    user.groups.add(Group.objects.get(name=settings.MERCHANDISER_GROUP))
    return user


@committed
def test_a_flash_sale_and_a_coupon_go_from_dashboard_to_page_to_a_phone_order(
    live_server,
    localstripe,
    desktop,
    desktops,
    phone,
    axe,
    demo_user,
    demo_password,
    django_user_model,
    settings,
):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party avatar request
    earbuds = Product.objects.get(upc=EARBUDS)
    regular = earbuds.stockrecords.get().price
    shopper = demo_user("shopper")
    passwords = {
        "merchandiser": demo_password("merchandiser"),
        "editor": demo_password("editor"),
        "shopper": demo_password("shopper"),
        "approver": secrets.token_urlsafe(12),
    }
    _approver(django_user_model, passwords["approver"])
    starts = _session_start()

    def at_the_desk(page, name, known=(), ignored=lambda error: False):
        page.wait_for_load_state("load")
        screenshot(page, f"flash-coupon-{name}")
        assert_accessible(page, known=known)
        errors = [e for e in page.console_errors if not ignored(e)]
        assert errors == [], errors

    def on_the_phone(name):
        phone.wait_for_load_state("load")
        assert_fits_360(phone)
        assert_tap_targets(phone)
        assert_accessible(phone)
        screenshot(phone, f"flash-coupon-{name}")
        assert phone.console_errors == [], phone.console_errors

    def dashboard_login(page, username):
        page.goto(live_server.url + "/dashboard/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(passwords[username])
        page.get_by_role("button", name="Login").click()
        page.wait_for_url(live_server.url + "/dashboard/")
        at_the_desk(
            page, f"{username}-dashboard", known=(ORDER_CHART, ORDER_CHART_AXIS)
        )

    # 1. The merchandiser sets the sale up: a session, the earbuds in it.
    dashboard = desktop
    dashboard_login(dashboard, "merchandiser")
    dashboard.get_by_role("button", name="Offers").click()
    dashboard.get_by_role("link", name="Flash sales").click()
    at_the_desk(dashboard, "01-flash-sales")
    dashboard.get_by_role("link", name="Create a flash sale").click()
    dashboard.get_by_label("Name").fill(SALE)
    dashboard.get_by_role("button", name="Create").click()
    at_the_desk(dashboard, "02-created")
    sale = FlashSale.objects.get(name=SALE)

    add_session = dashboard.locator("form", has_text="Add a session")
    add_session.get_by_label("Starts at").fill(_typed(starts))
    add_session.get_by_label("Ends at").fill(_typed(starts + timedelta(hours=1)))
    add_session.get_by_label("Ends at").press("Tab")
    add_session.get_by_role("button", name="Add the session").click()
    expect(dashboard.get_by_text("Session added.")).to_be_visible()
    (session,) = sale.sessions.all()
    assert session.starts_at == starts
    dashboard.get_by_role("link", name="Add a product").click()
    at_the_desk(dashboard, "03-add-product")
    dashboard.locator(".select2-selection").click()
    dashboard.locator(".select2-search__field").fill("earbuds")
    dashboard.locator(".select2-results__option", has_text=earbuds.title).click()
    dashboard.get_by_label("Flash price").fill(str(FLASH_PRICE))
    dashboard.get_by_label("Units in the pool").fill(str(POOL))
    dashboard.get_by_label("Limit per shopper").fill(str(LIMIT))
    dashboard.get_by_role("button", name="Save").click()
    expect(dashboard.get_by_text("Product added to the session.")).to_be_visible()
    at_the_desk(dashboard, "04-awaiting-approval")
    # Nobody approves their own sale.
    expect(
        dashboard.get_by_text("another merchandiser must approve it")
    ).to_be_visible()
    expect(dashboard.get_by_role("button", name=re.compile("^Approve"))).to_have_count(
        0
    )

    # 2. A second merchandiser approves it.
    approver = desktops()
    dashboard_login(approver, "approver")
    approver.goto(f"{live_server.url}/dashboard/flash-sales/")
    approver.get_by_role("link", name=SALE).click()
    at_the_desk(approver, "05-to-approve")
    approver.get_by_role("button", name=re.compile("^Approve")).click()
    expect(approver.get_by_text(re.compile("^Approved by approver"))).to_be_visible()
    at_the_desk(approver, "06-approved")
    sale.refresh_from_db()
    assert sale.approved_by.username == "approver"

    # 3. The editor puts both blocks on a campaign page, previews the session's
    # start and publishes.
    admin = desktops()
    autosave = Autosave(admin)

    def in_the_admin(name, known=()):
        at_the_desk(admin, name, known=known, ignored=autosave.is_rejection)

    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("editor")
    admin.get_by_label("Password").fill(passwords["editor"])
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(live_server.url + "/admin/")
    index = CampaignIndexPage.objects.get(locale__language_code="en")
    admin.goto(f"{live_server.url}/admin/pages/add/home/campaignpage/{index.pk}/")
    admin.get_by_placeholder("Page title*").fill(CAMPAIGN)

    def choose(button, query, choice):
        admin.get_by_role("button", name=button).locator("visible=true").click()
        chooser = admin.get_by_role("dialog")
        with admin.expect_response(lambda r: f"q={query}" in r.url):
            chooser.get_by_label("Search").fill(query)
        row = chooser.locator("a[data-chooser-modal-choice]", has_text=choice)
        expect(row).to_have_count(1)
        in_the_admin(f"07-chooser-{query}", known=(CHOOSER_MODAL,))
        row.click()
        expect(chooser).to_be_hidden()

    admin.get_by_title("Insert a block").first.click()
    admin.get_by_role("option", name="Flash sale").click()
    choose("Choose a flash sale", "earbuds", SALE)
    admin.get_by_title("Insert a block").last.click()
    admin.get_by_role("option", name="Coupon centre").click()
    choose("Choose a coupon", "199", COUPON)
    autosave.rest()
    admin.get_by_role("button", name="Save draft").click()
    admin.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    in_the_admin("08-draft")

    admin.locator("[data-side-panel-toggle=preview]").click()
    preview = admin.frame_locator("#w-preview-iframe")
    flash_block = preview.locator(".flash-sale")
    expect(flash_block).to_contain_text(f"Starts at {timezone.localtime(starts):%H:%M}")
    mode = admin.get_by_label("Preview mode")
    at_start = mode.locator("option", has_text=f"“{SALE}” starts")
    mode.select_option(at_start.get_attribute("value"))
    expect(flash_block.locator(".flash-sale__tab--on")).to_have_text("On now")
    # The countdown counts as it will then: the whole hour to go.
    expect(flash_block.locator(".countdown")).to_have_text(
        re.compile(r"^(01:00:00|00:59:\d\d)$")
    )
    expect(
        flash_block.get_by_role("button", name=re.compile("^Buy now"))
    ).to_be_visible()
    expect(preview.locator(".coupon-centre")).to_contain_text(COUPON)
    in_the_admin("09-preview-at-start")

    autosave.rest()
    admin.get_by_role("button", name="More actions").click()
    admin.get_by_role("button", name="Publish").click()
    admin.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
    in_the_admin("10-published")
    campaign = CampaignPage.objects.get(title=CAMPAIGN)
    assert campaign.live
    assert time.time() < starts.timestamp(), "set-up overran the session's start"

    # 4. The shopper signs in on a phone and claims the coupon from the page.
    phone.goto(live_server.url + "/shop/accounts/login/")
    phone.fill("#id_login-username", shopper.email)
    phone.fill("#id_login-password", passwords["shopper"])
    phone.locator("button[name=login_submit]").click()
    phone.wait_for_load_state("load")
    phone.goto(live_server.url + campaign.url)
    on_the_phone("11-campaign-before-the-start")
    card = phone.locator(".flash-card", has_text=earbuds.title)
    expect(card).to_contain_text(f"Starts at {timezone.localtime(starts):%H:%M}")
    coupon = phone.locator(".coupon", has_text=COUPON)
    coupon.get_by_role("button", name=re.compile("Claim")).click()
    expect(phone.get_by_text(f"{COUPON} is in your wallet")).to_be_visible()
    on_the_phone("12-claimed")
    claim = CouponClaim.objects.get(user=shopper, coupon__name=COUPON)

    # 5. The session opens (the countdown says so): the earbuds at the flash price,
    # the coupon in the basket with one tap, the test card.
    expect(phone.locator(f"#flash-session-{session.pk} .countdown")).to_have_text(
        "On now: reload the page",
        timeout=1000 * (starts.timestamp() - time.time() + 15),
    )
    phone.reload()
    on_the_phone("13-campaign-on-now")
    expect(card).to_contain_text(currency(FLASH_PRICE, "CNY"))
    card.get_by_role("button", name=re.compile("^Buy now")).click()
    phone.locator("[data-basket-count]").first.filter(has_text="1").wait_for()
    phone.locator(".tabbar a[href='/shop/basket/']").click()
    on_the_phone("14-basket")
    expect(phone.locator(".basket-line")).to_contain_text("(flash sale)")
    suggestion = phone.locator(".coupon-suggestion")
    expect(suggestion).to_contain_text("Your best coupon")
    suggestion.get_by_role("button", name=re.compile("^Use it")).click()
    on_the_phone("15-coupon-applied")
    expect(phone.locator(".basket-totals")).to_contain_text(COUPON)

    steps = iter(range(16, 20))
    check_out_with_card(phone, lambda step: on_the_phone(f"{next(steps):02d}-{step}"))

    # 6. Both discounts on the confirmation, and the totals add up.
    order = Order.objects.get(user=shopper)
    (line,) = order.lines.all()
    (discount,) = order.basket_discounts
    assert line.unit_price_incl_tax == FLASH_PRICE < regular
    assert discount.amount == Decimal("20.00") and discount.voucher_id
    assert order.basket_total_before_discounts_incl_tax == FLASH_PRICE
    assert order.total_incl_tax == (
        FLASH_PRICE - discount.amount + order.shipping_incl_tax
    )
    lines = phone.locator(".basket-lines")
    expect(lines).to_contain_text(f"{earbuds.title} (flash sale)")
    expect(lines).to_contain_text(currency(FLASH_PRICE, order.currency))
    totals = phone.locator("#basket_totals")
    expect(totals).to_contain_text(COUPON)
    expect(totals).to_contain_text(f"- {currency(discount.amount, order.currency)}")
    expect(totals).to_contain_text(currency(order.total_incl_tax, order.currency))
    assert order.number in phone.content()

    assert FlashPurchase.objects.get(order=order).quantity == 1
    claim.refresh_from_db()
    assert claim.voucher.applications.filter(order=order).exists()
