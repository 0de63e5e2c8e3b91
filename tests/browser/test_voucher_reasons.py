"""A shopper on a phone taps a voucher on a campaign page and, when it doesn't
apply, reads why."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot
from tests.markers import committed


@committed
def test_a_shopper_is_told_why_the_welcome_voucher_does_not_apply(
    live_server, phone, axe
):
    phone.goto(live_server.url + "/campaigns/spring-sale/")
    phone.locator("form[data-basket-add] button[type=submit]").first.click()
    phone.locator("[data-basket-count]").first.filter(has_text="1").wait_for()

    phone.get_by_role("button", name="Apply to basket").click()
    phone.wait_for_load_state("load")

    reason = phone.get_by_text(
        "Sign in to use WELCOME10: it is for customers with an account, once each."
    )
    expect(reason).to_be_visible()
    screenshot(phone, "voucher-reason")
    assert_accessible(phone)
    assert phone.console_errors == [], phone.console_errors
