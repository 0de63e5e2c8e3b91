"""A signed-in shopper's "Me" on a phone: order tabs with counts, a shipped
order's page (pictures, tracking, timeline), confirm receipt, a review with
stars, the wish list's add to basket, a China-style address picked province →
city → district, and signing out. Every page fits 360 px and passes axe."""

from oscar.core.loading import get_model

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_360,
    assert_tap_targets,
    screenshot,
)
from tests.markers import committed
from tests.orders import dispatch, order_for

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
ProductReview = get_model("reviews", "ProductReview")


def _for_sale(count: int):
    products = Product.objects.filter(
        structure="standalone", is_public=True, stockrecords__num_in_stock__gt=5
    ).exclude(images=None)
    return list(products.order_by("pk")[:count])


@committed
def test_a_shopper_follows_an_order_reviews_it_and_signs_out_on_a_phone(
    live_server, phone, axe, demo_user, demo_password
):
    password = demo_password("shopper")
    shopper = demo_user("shopper")
    tea, cup, gift = _for_sale(3)
    shipped = dispatch(order_for(shopper, "Paid", product=tea, quantity=2))
    order_for(shopper, "Paid", product=cup)
    WishList.objects.create(owner=shopper, name="Default").add(gift)

    def arrive(name):
        phone.wait_for_load_state("load")
        assert_fits_360(phone)
        assert_tap_targets(phone)
        assert_accessible(phone)
        screenshot(phone, f"me-{name}")

    phone.goto(live_server.url + "/shop/accounts/login/")
    phone.fill("#id_login-username", shopper.email)
    phone.fill("#id_login-password", password)
    phone.locator("button[name=login_submit]").click()
    phone.wait_for_load_state("load")

    phone.locator(".tabbar a[href='/shop/accounts/']").click()
    arrive("01-me")
    tabs = phone.locator(".order-tabs a")
    assert tabs.nth(1).inner_text().split() == ["1", "To", "ship"]
    assert tabs.nth(2).inner_text().split() == ["1", "Shipped"]

    tabs.nth(2).click()
    arrive("02-shipped-tab")
    phone.locator(".order-card__link").click()
    arrive("03-order")
    assert phone.locator(".order-line img").count() == 1
    track = phone.get_by_role("link", name="Track the parcel").first
    assert track.get_attribute("href").endswith("nu=SF1234567890")

    phone.get_by_role("button", name="Confirm receipt").click()
    arrive("04-received")
    assert "Thank you: the order is complete." in phone.content()
    shipped.refresh_from_db()
    assert shipped.status == "Completed"

    phone.get_by_role("link", name="Write a review").click()
    arrive("05-review-form")
    phone.locator(".star-input__star", has_text="5 stars").click()
    phone.fill("#id_title", "Fragrant")
    phone.fill("#id_body", "Arrived in two days, lovely tea.")
    phone.get_by_role("button", name="Post review").click()
    arrive("06-product-with-review")
    assert ProductReview.objects.get(product=tea).score == 5
    assert phone.locator(".product__summary .stars").get_attribute("aria-label") == (
        "5.0 out of 5 stars"
    )

    phone.goto(live_server.url + "/shop/accounts/wishlists/")
    arrive("07-wish-lists")
    phone.locator(".link-list a", has_text="Default").click()
    arrive("08-wish-list")
    phone.locator(".item-card form[data-basket-add] button").click()
    phone.locator("[data-basket-count]").first.filter(has_text="1").wait_for()

    phone.goto(live_server.url + "/shop/accounts/addresses/add/")
    arrive("09-address-form")
    phone.fill("#id_first_name", "王芳")
    phone.fill("#id_phone_number", "139 1234 5678")
    phone.select_option("#id_state", "广东省")
    phone.locator("#id_line4 option[value='广州市']").wait_for(state="attached")
    phone.select_option("#id_line4", "广州市")
    phone.locator("#id_line3 option[value='天河区']").wait_for(state="attached")
    phone.select_option("#id_line3", "天河区")
    phone.fill("#id_line1", "天河路 385 号 1203 室")
    phone.get_by_role("button", name="Save").click()
    arrive("10-addresses")
    address = UserAddress.objects.get(user=shopper)
    assert (address.state, address.line4, address.line3) == (
        "广东省",
        "广州市",
        "天河区",
    )
    assert str(address.phone_number) == "+8613912345678"

    # The rest of "Me": every page fits a phone, passes axe, thumb-sized controls.
    for name in ["orders", "profile", "emails", "alerts", "notifications/inbox"]:
        phone.goto(f"{live_server.url}/shop/accounts/{name}/")
        arrive(f"11-{name.replace('/', '-')}")
    phone.goto(live_server.url + tea.get_absolute_url() + "reviews/")
    arrive("12-reviews")

    phone.goto(live_server.url + "/shop/accounts/")
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_load_state("load")
    phone.goto(live_server.url + "/shop/accounts/")
    assert "/accounts/login/" in phone.url
    assert phone.console_errors == [], phone.console_errors
