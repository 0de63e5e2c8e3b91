"""Browser journeys: Playwright drives Debian's chromium against a live server;
axe-core (from npm, see package.json) checks each page's accessibility."""

import json
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.checkout_steps import ADDRESS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
AXE_MISSING = "needs axe-core from npm: run `npm ci` (make install-test does it)"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
# Browsers ask for English like the test clients (the site's default is Chinese);
# a journey in Chinese opens its own context with locale="zh-CN".
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US"}
PHONE = {
    "locale": "en-US",
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(
            reason="needs Debian's chromium (apt-get install chromium)"
        )
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)
    if not AXE.exists():
        skip = pytest.mark.skip(reason=AXE_MISSING)
        for item in items:
            if "axe" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django must allow
    # the test's own ORM calls while it does (only for this test).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    # CI machines are shared: give the page up to 15 s (not 5) to reach a state.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class ConsoleError:
    page: str  # the page's URL
    text: str
    source: str  # the script or, for a failed request, the resource's URL

    def __str__(self):
        return f"{self.page}: {self.text} ({self.source})"

    __repr__ = __str__


def _recording_console_errors(page):
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error"
        and page.console_errors.append(
            ConsoleError(page.url, message.text, message.location.get("url", ""))
        ),
    )
    page.on(
        "pageerror",
        lambda error: page.console_errors.append(
            ConsoleError(page.url, str(error), "")
        ),
    )
    return page


@pytest.fixture
def phone(browser):
    """A phone-sized page that records console errors."""
    context = browser.new_context(**PHONE)
    yield _recording_console_errors(context.new_page())
    context.close()


@pytest.fixture
def desktop(browser):
    """A desktop-sized page (editors and merchandisers) that records console
    errors."""
    context = browser.new_context(**DESKTOP)
    yield _recording_console_errors(context.new_page())
    context.close()


@pytest.fixture
def desktops(browser):
    """More desks: `desktops()` opens another desktop-sized page in a browser
    context of its own (its own sign-in), recording console errors."""
    contexts = []

    def open_one():
        contexts.append(browser.new_context(**DESKTOP))
        return _recording_console_errors(contexts[-1].new_page())

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def demo_password(demo_user):
    """A fresh password for a seeded demo user (seed_demo makes random ones)."""

    def reset(username: str) -> str:
        password = secrets.token_urlsafe(12)
        user = demo_user(username)
        user.set_password(password)
        user.save(update_fields=["password"])
        return password

    return reset


@pytest.fixture
def axe():
    """Asked for by tests that call `assert_accessible` (skipped without axe-core)."""
    return AXE


REGION_FIELDS = ("state", "line4", "line3")


def fill_shipping_address(page) -> None:
    """Checkout's address form, filled as tests/checkout_steps.py posts it: the
    province, city and district lists fill in one after another."""
    for field, value in ADDRESS.items():
        if field in REGION_FIELDS:
            option = page.locator(f"#id_{field} option[value='{value}']")
            if not option.count() and page.locator(".region-refresh").count():
                # Without JavaScript the form comes back with the next list.
                page.locator(".region-refresh").last.click()
            option.wait_for(state="attached")
            page.select_option(f"#id_{field}", value)
        else:
            page.fill(f"#id_{field}", value)


# The test card, typed into localstripe's Stripe.js card Element field by field.
CARD = {
    "number": "4242424242424242",
    "exp_month": "12",
    "exp_year": "30",
    "cvc": "123",
    "postal_code": "200120",
}


def check_out_with_card(
    page, arrive: Callable[[str], None], *, guest_email: str | None = None
) -> None:
    """From the basket page: Oscar's checkout through to the thank-you page, paying
    with the test card. `arrive(step)` runs as each page has loaded ("email" for a
    guest, then "address", "shipping-method", "pay", "confirmation"); a signed-in
    shopper skips the e-mail step."""
    page.locator("a[href='/shop/checkout/']").first.click()
    if guest_email is not None:
        page.wait_for_url(re.compile(r".*/checkout/$"))
        arrive("email")
        page.fill("#id_username", guest_email)
        page.check("input[name=options][value=anonymous]")
        page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/checkout/shipping-address/$"))
    arrive("address")
    fill_shipping_address(page)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/checkout/shipping-method/$"))
    arrive("shipping-method")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/checkout/payment-details/$"))
    arrive("pay")
    inputs = page.locator("#card-element input")
    for index, value in enumerate(CARD.values()):
        inputs.nth(index).fill(value)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r".*/checkout/thank-you/$"))
    arrive("confirmation")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


TAP_TARGETS = """() => [...document.querySelectorAll(
    'button, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox]),'
    + ' .tabbar a, .chips a, .nav a, .pager a, a.button, a.btn')]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.outerHTML.slice(0, 100), e.getBoundingClientRect()])
  .filter(([, box]) => box.height < 44 || box.width < 44)
  .map(([html, box]) => `${Math.round(box.width)}x${Math.round(box.height)} ${html}`)"""


def assert_tap_targets(page) -> None:
    """Every control a thumb aims at is at least 44 px each way (links inside
    running text are exempt, as WCAG exempts them)."""
    small = page.evaluate(TAP_TARGETS)
    assert not small, f"{page.url}: tap targets under 44px:\n" + "\n".join(small)


def assert_fits_360(page) -> None:
    """No horizontal scroll on a 360 px wide phone."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": size["height"]})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.set_viewport_size(size)
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 360px"


# WCAG 2.0/2.1 A and AA, and axe's best practices. Every violation is reported;
# serious and critical ones fail the test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")


SETTLED = """() => document.getAnimations().forEach((animation) => {
    if (animation.effect?.getComputedTiming().endTime !== Infinity) {
        animation.finish();
    }
})"""


@dataclass(frozen=True)
class Known:
    """A violation that is the framework's own (Wagtail's admin, Oscar's dashboard)
    and not ours to fix: the rule, a CSS selector for exactly the elements it is
    known on, and why. Only elements matching both are let through, never the
    whole rule."""

    rule: str
    selector: str
    why: str


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # Colours half-way through a fade-in are not the page's: end finite animations.
    page.evaluate(SETTLED)
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def _matches(page, target: list, selectors: list[str]) -> bool:
    """Whether the element axe names by `target` matches one of `selectors`."""
    if len(target) != 1 or not isinstance(target[0], str):
        return False  # inside an iframe or a shadow root: never a known one
    return page.evaluate(
        """([target, selectors]) => {
            const element = document.querySelector(target);
            return !!element && selectors.some((s) => element.matches(s));
        }""",
        [target[0], selectors],
    )


def _describe(violation: dict, nodes: list[dict]) -> str:
    targets = "\n".join(
        f"      {' '.join(map(str, node['target']))}  {node['html'][:100]!r}"
        for node in nodes[:8]
    )
    more = f"\n      … and {len(nodes) - 8} more" if len(nodes) > 8 else ""
    return (
        f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    {violation['helpUrl']}\n{targets}{more}"
    )


def _record(url: str, violations: list[dict]) -> None:
    """Every page's violations, minor ones too, in test-artifacts/axe.jsonl."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = [
        {"rule": v["id"], "impact": v["impact"], "elements": len(v["nodes"])}
        for v in violations
    ]
    with open(ARTIFACTS / "axe.jsonl", "a") as log:
        log.write(json.dumps({"url": url, "violations": summary}) + "\n")


def assert_accessible(page, *, known: tuple[Known, ...] = ()) -> list[dict]:
    """Fail on serious or critical axe violations, listing rule, impact, help and
    the offending elements; `known` framework issues are let through element by
    element. Returns every violation (minor and moderate ones too) for reports."""
    violations = axe_violations(page)
    _record(page.url, violations)
    blocking = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        selectors = [k.selector for k in known if k.rule == violation["id"]]
        nodes = [
            node
            for node in violation["nodes"]
            if not (selectors and _matches(page, node["target"], selectors))
        ]
        if nodes:
            blocking.append(_describe(violation, nodes))
    assert not blocking, (
        f"{page.url}: accessibility violations (axe-core)\n" + "\n".join(blocking)
    )
    return violations
