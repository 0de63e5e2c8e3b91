"""Issue 15's journey: a shopper whose phone is set to Chinese opens the mall, goes
to the spring sale, searches 芒果, buys the mangoes by card and reads the
confirmation page and e-mail, all in Chinese: no English word on any of those pages
but brand names."""

import re

from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.browser.conftest import (
    CARD,
    PHONE,
    REGION_FIELDS,
    assert_fits_360,
    screenshot,
)
from tests.checkout_steps import ADDRESS
from tests.markers import committed

Order = get_model("order", "Order")

# Words that may stay Latin on a Chinese page: brand and product-line names (the
# mall's, the payment provider's, MagSafe, "Pro") and the language switch's "EN".
ALLOWED = {"Mallard", "Stripe", "MagSafe", "Pro", "EN"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Not words: the shopper's e-mail address, links, and codes and references with
# digits or underscores in them (WELCOME10, the payment's pi_… reference).
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\S*[\d_]\S*")
# A China-style address written as a Chinese shopper writes it.
CHINESE_ADDRESS = {
    **ADDRESS,
    "first_name": "李伟",
    "line1": "世纪大道 88 号 2 栋 1201 室",
}
MANGOES = "云南甜芒果"


def english_words(text: str) -> set[str]:
    """Latin words in `text` that are not allowed on a Chinese page."""
    return set(LATIN_WORD.findall(NOT_WORDS.sub(" ", text))) - ALLOWED


def visible_text(page) -> str:
    """What the shopper reads: the rendered text, less the card field (Stripe.js
    draws it in the page's locale; localstripe's stand-in does not)."""
    return page.evaluate(
        """() => {
            const card = document.querySelector('#card-element');
            const text = document.body.innerText;
            const shown = card ? text.replace(card.innerText, '') : text;
            return document.title + ' ' + shown;
        }"""
    )


@committed
def test_a_chinese_shopper_finds_and_buys_mangoes_in_chinese_on_a_phone(
    live_server, localstripe, browser
):
    context = browser.new_context(**{**PHONE, "locale": "zh-CN"})
    phone = context.new_page()
    shown = {}

    def arrive(name):
        phone.wait_for_load_state("load")
        assert phone.locator("html").get_attribute("lang") == "zh-hans", phone.url
        assert_fits_360(phone)
        screenshot(phone, f"zh-{name}")
        shown[name] = english_words(visible_text(phone))

    # A Chinese phone lands on the Chinese home page.
    phone.goto(live_server.url + "/")
    phone.wait_for_url(re.compile(r".*/zh-hans/$"))
    arrive("01-home")
    phone.get_by_role("link", name="逛逛特卖").click()
    arrive("02-campaign")
    expect(phone.locator(".tile", has_text=MANGOES).first).to_be_visible()
    expect(phone.locator(".countdown").first).to_have_text(
        re.compile(r"^(\d+天 \d+时 \d+分|\d\d:\d\d:\d\d)$")
    )

    phone.fill("#site-search", "芒果")
    phone.press("#site-search", "Enter")
    phone.wait_for_url(re.compile(r".*/shop/search/\?q=.*"))
    arrive("03-search")
    mangoes = phone.locator(".tile", has_text=MANGOES).first
    expect(mangoes).to_be_visible()
    mangoes.locator("form[data-basket-add] button[type=submit]").click()
    phone.locator("[data-basket-count]").first.filter(has_text="1").wait_for()
    expect(phone.locator("[data-announce]")).to_contain_text("已加入购物车")
    shown["03-search-added"] = english_words(
        phone.locator("[data-announce]").inner_text()
    )

    phone.locator(".tabbar a[href='/shop/basket/']").click()
    arrive("04-basket")
    phone.locator("a[href='/shop/checkout/']").first.click()
    phone.wait_for_url(re.compile(r".*/checkout/$"))
    arrive("05-email")
    phone.fill("#id_username", "mango@example.com")
    phone.check("input[name=options][value=anonymous]")
    phone.locator("form button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r".*/checkout/shipping-address/$"))
    arrive("06-address")
    for field, value in CHINESE_ADDRESS.items():
        if field in REGION_FIELDS:
            phone.locator(f"#id_{field} option[value='{value}']").wait_for(
                state="attached"
            )
            phone.select_option(f"#id_{field}", value)
        else:
            phone.fill(f"#id_{field}", value)
    phone.locator("form button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r".*/checkout/shipping-method/$"))
    arrive("07-shipping-method")
    phone.locator("form button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r".*/checkout/payment-details/$"))
    arrive("08-pay")
    expect(phone.locator("#pay-button")).to_contain_text("¥")
    inputs = phone.locator("#card-element input")
    for index, value in enumerate(CARD.values()):
        inputs.nth(index).fill(value)
    phone.click("#pay-button")
    phone.wait_for_url(re.compile(r".*/checkout/thank-you/$"))
    arrive("09-confirmation")

    order = Order.objects.get()
    assert order.number in phone.content()
    assert MANGOES in order.lines.get().title
    assert order.language.code == "zh-hans"
    (confirmation,) = [m for m in mail.outbox if m.to == ["mango@example.com"]]
    assert confirmation.subject == f"确认订单{order.number}"
    assert MANGOES in confirmation.body
    shown["10-e-mail"] = english_words(f"{confirmation.subject}\n{confirmation.body}")
    context.close()

    assert {page: words for page, words in shown.items() if words} == {}
