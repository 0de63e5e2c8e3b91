"""Issue 16's journey: a phone shopper lands on a campaign from a WeChat link (UTM
parameters), adds a product from the second block and one from a search result,
and pays; the campaign's report in the Wagtail admin attributes the first line's
revenue to that page and block and the second to search, and after a partial
refund shows the net revenue. A Do-Not-Track visitor leaves nothing behind."""

import re
from decimal import Decimal

from oscar.core.loading import get_model

from insights.events import events_drain
from insights.models import Event, OrderLineSource
from insights.tasks import roll_up_recent_days
from shop.checkout.refunds import order_refund
from tests.browser.conftest import PHONE, check_out_with_card, screenshot
from tests.factories import campaign, product_for_sale, product_grid
from tests.markers import committed

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

SEARCHED = "West Lake Longjing Green Tea"


def _add_from(page, scope, count):
    scope.locator("form[data-basket-add] button[type=submit]").first.click()
    page.locator("[data-basket-count]").first.filter(has_text=str(count)).wait_for()


@committed
def test_a_campaign_report_attributes_a_phone_shoppers_order_by_block_and_search(
    live_server, localstripe, phone, desktop, browser, demo_password, settings
):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    first, second = (
        product_for_sale(price="30.00", stock=20),
        product_for_sale(price="50.00", stock=20),
    )
    page = campaign(
        slug="wechat-week",
        title="WeChat week",
        body=[
            product_grid([first], heading="Starters"),
            product_grid([second], heading="Bestsellers"),
        ],
    )
    events_drain()
    Event.objects.all().delete()

    phone.goto(
        f"{live_server.url}{page.url}?utm_source=wechat&utm_medium=social"
        "&utm_campaign=week"
    )
    screenshot(phone, "attribution-01-landing")
    _add_from(phone, phone.locator(".product-grid").nth(1), 1)
    phone.goto(f"{live_server.url}/shop/search/?q=Longjing")
    searched = phone.locator(".tile").filter(has_text=SEARCHED)
    _add_from(phone, searched, 2)
    phone.goto(live_server.url + "/shop/basket/")
    check_out_with_card(phone, lambda step: None, guest_email="wechat@example.com")
    screenshot(phone, "attribution-02-confirmation")

    order = Order.objects.get()
    campaign_line = order.lines.get(product=second)
    search_line = order.lines.get(product__upc="MAL-1008")  # the tea
    sources = {row.line_id: row for row in OrderLineSource.objects.all()}
    assert sources[campaign_line.pk].last_block_id == page.body[1].id
    assert sources[search_line.pk].last_source == "search"
    assert sources[campaign_line.pk].traffic_source == "wechat"

    # A merchandiser refunds 20.00 of the campaign's line.
    order_refund(
        order=order, amount=Decimal("20.00"), line_quantities=[(campaign_line, 1)]
    )

    # Someone who asks not to be tracked visits and adds: nothing is recorded.
    private = browser.new_context(**PHONE, extra_http_headers={"DNT": "1"})
    dnt = private.new_page()
    dnt.goto(f"{live_server.url}{page.url}?utm_source=wechat")
    _add_from(dnt, dnt.locator(".product-grid").nth(0), 1)
    assert not [c for c in private.cookies() if c["name"].startswith("mallard_")]
    private.close()

    roll_up_recent_days()
    assert {event.session_id for event in Event.objects.all()} == {
        sources[campaign_line.pk].session_id
    }

    password = demo_password("editor")
    desktop.goto(live_server.url + "/admin/")
    desktop.get_by_label("Username").fill("editor")
    desktop.get_by_label("Password").fill(password)
    desktop.get_by_role("button", name="Sign in").click()
    desktop.wait_for_url(live_server.url + "/admin/")
    desktop.goto(live_server.url + "/admin/reports/campaigns/")
    screenshot(desktop, "attribution-03-campaigns")
    rows = desktop.locator("table tbody tr")
    campaign_row = rows.filter(has_text="WeChat week")
    search_row = rows.filter(has_text="Site search")
    # 50.00 sold from the page, 20.00 of it refunded; the tea through search.
    assert "30.00" in campaign_row.inner_text()
    assert str(search_line.line_price_incl_tax) in search_row.inner_text()

    campaign_row.get_by_role("link", name="WeChat week").click()
    desktop.wait_for_url(re.compile(r".*/admin/reports/campaigns/\d+/.*"))
    screenshot(desktop, "attribution-04-campaign-report")
    assert desktop.locator("[data-net-revenue]").inner_text() == "30.00"
    blocks = desktop.locator("#listing-results table").last.locator("tbody tr")
    # Best net revenue first; the first block only has the tiles' impressions.
    assert "2. Product grid: Bestsellers" in blocks.first.inner_text()
    assert "30.00" in blocks.first.inner_text()
    assert "1. Product grid: Starters" in blocks.nth(1).inner_text()
    assert Event.objects.filter(kind=Event.IMPRESSION, block_id=page.body[0].id)
    assert "wechat" in desktop.locator(".insights-sources").inner_text()
    assert desktop.locator("svg[role=img] rect").count() == 2 * 30
