"""With JavaScript switched off a phone shopper still browses, fills a basket and
checks out up to the pay step, where the page says why paying needs it (Stripe.js
keeps card numbers off our servers). axe-core needs JavaScript to run, so the
same pages are checked for accessibility by the shopper journey instead."""

from oscar.core.loading import get_model

from tests.browser.conftest import (
    PHONE,
    assert_fits_360,
    fill_shipping_address,
    screenshot,
)
from tests.markers import committed

Basket = get_model("basket", "Basket")


@committed
def test_a_shopper_without_javascript_reaches_the_pay_step(
    live_server, localstripe, browser
):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Shop the sale").click()
    page.locator("form[data-basket-add] button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert Basket.objects.get().num_items == 1

    page.goto(live_server.url + "/shop/catalogue/")
    page.locator(".tile__link").nth(1).click()
    page.fill(".buy-bar input[name=quantity]", "2")
    page.locator(".buy-bar button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Basket.objects.get().num_items == 3

    page.goto(live_server.url + "/shop/basket/")
    page.locator("button[name='form-0-DELETE']").click()
    page.wait_for_load_state("load")
    assert Basket.objects.get().num_items == 2
    assert_fits_360(page)
    screenshot(page, "nojs-basket")

    page.locator("a[href='/shop/checkout/']").first.click()
    page.fill("#id_username", "nojs@example.com")
    page.check("input[name=options][value=anonymous]")
    page.locator("form button[type=submit]").first.click()
    fill_shipping_address(page)
    page.get_by_role("button", name="Continue").click()
    page.locator("form button[type=submit]").first.click()

    page.wait_for_url("**/checkout/payment-details/")
    assert "Card payment needs JavaScript switched on." in page.content()
    assert_fits_360(page)
    screenshot(page, "nojs-pay")
    context.close()
