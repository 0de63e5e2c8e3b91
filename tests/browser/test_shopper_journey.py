"""A shopper on a phone: home → campaign → two products → basket → guest checkout →
pay with the test card through localstripe's Stripe.js → the order number."""

from oscar.core.loading import get_model

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_360,
    assert_tap_targets,
    check_out_with_card,
    screenshot,
)
from tests.markers import committed

Order = get_model("order", "Order")


@committed
def test_a_shopper_buys_two_products_from_a_campaign_on_a_phone(
    live_server, localstripe, phone, axe
):
    visited = []

    def arrive(name):
        phone.wait_for_load_state("load")
        visited.append(phone.url)
        assert_fits_360(phone)
        assert_tap_targets(phone)
        assert_accessible(phone)
        screenshot(phone, name)

    phone.goto(live_server.url + "/")
    arrive("01-home")
    phone.get_by_role("link", name="Shop the sale").click()
    arrive("02-campaign")

    add_buttons = phone.locator("form[data-basket-add] button[type=submit]")
    add_buttons.nth(0).click()
    phone.locator("[data-basket-count]").first.filter(has_text="1").wait_for()
    add_buttons.nth(1).click()
    phone.locator("[data-basket-count]").first.filter(has_text="2").wait_for()
    assert phone.url.endswith("/campaigns/spring-sale/")  # no page load for either

    phone.locator(".tabbar a[href='/shop/basket/']").click()
    arrive("03-basket")
    steps = iter(range(4, 9))
    check_out_with_card(
        phone,
        lambda step: arrive(f"{next(steps):02d}-{step}"),
        guest_email="phone@example.com",
    )

    order = Order.objects.get()
    assert order.lines.count() == 2 and order.guest_email == "phone@example.com"
    assert order.number in phone.content()
    assert phone.console_errors == [], phone.console_errors
