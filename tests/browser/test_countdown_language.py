"""A campaign's countdown ticks in the shopper's language on a phone: 天/时/分 in
Chinese, d/h/m in English, and a clock on the last day."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.factories import campaign
from tests.markers import committed

LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}


def _phone_in(browser, live_server, language):
    context = browser.new_context(**{**PHONE, "locale": LOCALES[language]})
    context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


@committed
@pytest.mark.parametrize(
    "language, days_left",
    [
        ("zh-hans", r"^12天 3时 [45]分$"),
        ("en", r"^12d 3h [45]m$"),
    ],
)
def test_the_countdown_counts_in_the_shoppers_language(
    language, days_left, live_server, browser
):
    now = timezone.now()
    page = campaign(
        body=[
            (
                "countdown",
                {
                    "headline": "倒计时",
                    "ends_at": now + timedelta(days=12, hours=3, minutes=5),
                    "ended_text": "已结束",
                },
            ),
            (
                "countdown",
                {
                    "headline": "今天",
                    "ends_at": now + timedelta(hours=2, minutes=30),
                    "ended_text": "已结束",
                },
            ),
        ],
        language=language,
    )
    context, phone = _phone_in(browser, live_server, language)

    phone.goto(live_server.url + page.url)

    assert phone.locator("html").get_attribute("lang") == language
    countdowns = phone.locator(".countdown-block .countdown")
    expect(countdowns.nth(0)).to_have_text(re.compile(days_left))
    expect(countdowns.nth(1)).to_have_text(re.compile(r"^02:(30:00|29:\d\d)$"))
    context.close()
