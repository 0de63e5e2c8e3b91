"""A merchandiser at a desk sells out a product of the running spring sale in Oscar's
dashboard; a shopper's phone, which saw the product in stock a moment earlier, then
sees it sold out on the campaign page, with no basket button. End to end, this is
the proof that the page cache lets go of a page when stock moves."""

from oscar.apps.partner.strategy import Selector
from oscar.core.loading import get_model
from playwright.sync_api import expect

from home.models import CampaignPage
from tests.browser.conftest import (
    Known,
    assert_accessible,
    assert_fits_360,
    screenshot,
)
from tests.markers import committed

Product = get_model("catalogue", "Product")

# One of the spring picks: the campaign's grid shows the sale range's products.
PRODUCT = "Cold Brew Coffee Bags x 12"

# Oscar's own, found by axe-core 4.14 and not fixed here:
ORDER_CHART = Known(
    rule="definition-list",
    selector="#order_graph dl.bar-chart",
    why="Oscar 4.2's dashboard home (oscar/dashboard/index.html) draws the last "
    "24 hours' orders as a <dl> of <dd> bars with no <dt>. The chart sits inside "
    "the page's single 160-line dashboard_content block: fixing it means copying "
    "that whole block (and the chart's CSS) out of Oscar.",
)


def is_available_to_buy(product) -> bool:
    return (
        Selector()
        .strategy()
        .fetch_for_product(product)
        .availability.is_available_to_buy
    )


@committed
def test_a_merchandiser_sells_out_a_campaign_product_and_the_page_shows_it(
    live_server, desktop, phone, axe, demo_password, settings
):
    password = demo_password("merchandiser")
    product = Product.objects.get(title=PRODUCT)
    (record,) = product.stockrecords.all()  # one record: it alone decides availability
    assert product.get_product_class().track_stock and record.net_stock_level > 0
    campaign = CampaignPage.objects.get(slug="spring-sale", locale__language_code="en")
    dashboard = desktop

    def on_the_phone(name):
        phone.wait_for_load_state("load")
        screenshot(phone, f"merchandiser-{name}")
        assert_fits_360(phone)
        assert_accessible(phone)
        assert phone.console_errors == [], phone.console_errors

    def arrive(name, known=()):
        dashboard.wait_for_load_state("load")
        screenshot(dashboard, f"merchandiser-{name}")
        assert_accessible(dashboard, known=known)
        assert dashboard.console_errors == [], dashboard.console_errors

    # A shopper has the sale open, and the page cache holds it.
    phone.goto(live_server.url + campaign.url)
    if settings.PAGE_CACHE_ENABLED:
        assert phone.reload().headers.get("x-page-cache") == "hit"
    on_the_phone("01-campaign-before")
    tile = phone.get_by_role("listitem").filter(has_text=PRODUCT)
    expect(tile).to_have_count(1)
    expect(tile.locator("form[data-basket-add]")).to_have_count(1)
    expect(tile).not_to_contain_text("Sold out")

    dashboard.goto(live_server.url + "/dashboard/")
    arrive("02-sign-in")
    dashboard.get_by_label("Username").fill("merchandiser")
    dashboard.get_by_label("Password").fill(password)
    dashboard.get_by_role("button", name="Login").click()
    dashboard.wait_for_url(live_server.url + "/dashboard/")
    arrive("03-dashboard", known=(ORDER_CHART,))

    dashboard.get_by_role("button", name="Catalog").click()
    dashboard.get_by_role("link", name="Products", exact=True).click()
    arrive("04-products")
    dashboard.get_by_label("Product title").fill("cold brew")
    dashboard.get_by_role("button", name="Search").click()
    arrive("05-found")
    dashboard.get_by_role("link", name=PRODUCT, exact=True).first.click()
    arrive("06-product")
    dashboard.get_by_role("link", name="Stock and pricing").click()
    in_stock = dashboard.get_by_role("spinbutton", name="Number in stock").first
    expect(in_stock).to_be_visible()
    expect(in_stock).to_have_value(str(record.num_in_stock))
    arrive("07-stock")
    # Oscar sells while num_in_stock - num_allocated > 0: nothing in stock leaves
    # nothing to sell, however many units orders have already allocated.
    in_stock.fill("0")
    dashboard.get_by_role("button", name="Save", exact=True).click()
    dashboard.wait_for_url(live_server.url + "/dashboard/catalogue/**")
    expect(dashboard.get_by_text(PRODUCT).first).to_be_visible()
    arrive("08-saved")

    record.refresh_from_db()
    assert record.num_in_stock == 0 and record.net_stock_level <= 0
    assert not is_available_to_buy(product)

    served = phone.reload().headers.get("x-page-cache")
    on_the_phone("09-campaign-after")
    expect(tile).to_have_count(1)
    expect(
        tile, f"still on sale (X-Page-Cache: {served}) though Oscar says sold out"
    ).to_contain_text("Sold out")
    expect(tile.locator("form[data-basket-add]")).to_have_count(0)
