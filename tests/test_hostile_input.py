"""Hostile input over every storefront page, form and query parameter.

A fixed list of payloads (bad numbers, huge and control-character strings, bytes that
are not UTF-8, unknown ids and other shoppers' ids) goes into every field the
storefront reads. Nothing may answer 5xx, and nothing may change another shopper's
basket, saved lines, addresses, wish list or order.
"""

import traceback
from dataclasses import dataclass, field
from urllib.parse import quote_plus

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import UserAddressFactory, WishListFactory, create_order

from tests.checkout_steps import ADDRESS
from tests.factories import page_url

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db

NUMBERS = [
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999999",
    "1e400",
    "NaN",
    "1.5",
    "١٢",  # Arabic-Indic digits
    "abc",
    "",
]
TEXTS = [
    "\x00",
    "tea\x00",
    "\x1f\x7f\x08",
    "\ud800",  # a lone surrogate: sent as bytes that are not UTF-8
    "x" * 20_000,
    "🦆" * 2_000,
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "{{ 7|add:7 }}{% debug %}",
    "a\r\nSet-Cookie: evil=1",
]
HOSTILE = NUMBERS + TEXTS
FORMSET = {
    "TOTAL_FORMS": "1",
    "INITIAL_FORMS": "1",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


def _encode(data: dict) -> str:
    """Form-encode as a browser would; a lone surrogate goes as the (invalid UTF-8)
    bytes a careless client sends."""
    return "&".join(
        f"{quote_plus(key)}={quote_plus(value.encode('utf-8', 'surrogatepass'))}"
        for key, value in data.items()
    )


@dataclass
class Prober:
    """Sends requests through one test client and keeps every 5xx, with its cause."""

    client: Client = field(
        default_factory=lambda: Client(raise_request_exception=False)
    )
    sent: int = 0
    failures: list = field(default_factory=list)

    def request(self, method: str, url: str, data: dict | None = None):
        body = _encode(data or {})
        # A savepoint each: one failure's broken transaction must not fail the rest.
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(f"{url}?{body}" if body else url)
            else:
                response = self.client.post(
                    url,
                    body,
                    content_type="application/x-www-form-urlencoded",
                    HTTP_REFERER=reverse("basket:summary"),
                )
            if response.status_code >= 500:
                transaction.set_rollback(True)
        self.sent += 1
        if response.status_code >= 500:
            cause = traceback.format_exception(*response.exc_info)[-1]
            shown = {k: v[:40] for k, v in (data or {}).items()}
            self.failures.append(f"{method} {url} {shown!r}: {cause}")
        return response

    def each(self, method, url, fields, *, base=None, payloads=HOSTILE):
        """Every payload into each field in turn, the other fields as in `base`."""
        for name in fields:
            for payload in payloads:
                self.request(method, url, {**(base or {}), name: payload})

    def assert_no_server_errors(self):
        assert self.sent
        assert not self.failures, (
            f"{len(self.failures)} of {self.sent} hostile requests answered 5xx:\n"
            + "\n".join(self.failures)
        )


def _product(upc="MAL-1003"):
    return Product.objects.get(upc=upc)


def _signed_in(django_user_model, username="hostile") -> Prober:
    probe = Prober()
    probe.client.force_login(
        django_user_model.objects.create_user(
            username=username, email=f"{username}@example.com", password="x"
        )
    )
    return probe


@pytest.fixture
def other_shopper(django_user_model):
    """Someone else's account, with everything a hostile shopper might aim at."""
    user = django_user_model.objects.create_user(
        username="other", email="other@example.com", password="a-Long-pass-123"
    )
    strategy = Selector().strategy(user=user)
    saved = Basket.objects.create(owner=user, status=Basket.SAVED)
    saved.strategy = strategy
    saved.add_product(_product("MAL-1003"), 2)
    basket = Basket.objects.create(owner=user)
    basket.strategy = strategy
    basket.add_product(_product("MAL-1001"), 1)
    wishlist = WishListFactory(owner=user, visibility=WishList.PRIVATE, name="Mine")
    wishlist.add(_product("MAL-1001"))
    return {
        "user": user,
        "saved": saved,
        "saved_line": saved.all_lines()[0],
        "basket": basket,
        "line": basket.all_lines()[0],
        "order": create_order(user=user),
        "address": UserAddressFactory(user=user, line1="1 Other Street"),
        "wishlist": wishlist,
    }


def _state(other) -> dict:
    """All of another shopper's data a hostile request might reach."""
    user = other["user"]
    return {
        "baskets": sorted(
            Basket.objects.filter(owner=user).values_list("id", "status")
        ),
        "lines": sorted(
            Line.objects.filter(basket__owner=user).values_list(
                "id", "basket_id", "product_id", "quantity"
            )
        ),
        "orders": list(Order.objects.filter(user=user).values()),
        "addresses": list(UserAddress.objects.filter(user=user).values()),
        "wishlists": list(WishList.objects.filter(owner=user).values()),
        "wishlist lines": sorted(
            other["wishlist"].lines.values_list("id", "product_id", "quantity")
        ),
    }


def test_catalogue_search_offers_and_pages_take_any_query_parameter():
    probe = Prober()
    product = _product()
    category = Category.objects.filter(is_public=True).first()
    offer = ConditionalOffer.objects.filter(offer_type=ConditionalOffer.SITE).first()
    product_range = Range.objects.filter(is_public=True).first()
    reviews = reverse(
        "catalogue:reviews-list",
        kwargs={"product_slug": product.slug, "product_pk": product.pk},
    )

    probe.each("GET", reverse("catalogue:index"), ["q", "sort_by", "page"])
    probe.each("GET", category.get_absolute_url(), ["q", "sort_by", "page"])
    probe.each(
        "GET",
        reverse("search:search"),
        ["q", "category", "price_min", "price_max", "in_stock", "sort", "page"],
    )
    probe.each("GET", reverse("search:suggest"), ["q"])
    probe.each("GET", reverse("offer:list"), ["page"], payloads=NUMBERS)
    probe.each("GET", reverse("offer:detail", args=(offer.slug,)), ["page"])
    if product_range is not None:
        probe.each(
            "GET", reverse("catalogue:range", args=(product_range.slug,)), ["page"]
        )
    probe.each("GET", product.get_absolute_url(), ["page"], payloads=NUMBERS)
    probe.each("GET", _product("MAL-5000").get_absolute_url(), ["variant", "size"])
    probe.each("GET", reviews, ["sort_by", "page"], payloads=NUMBERS)
    for page in ("/", page_url(), page_url("campaigns/"), page_url("help/", "zh-hans")):
        probe.each("GET", page, ["page", "q", "utm_source"], payloads=TEXTS)
    for path in (
        f"/shop/catalogue/{product.slug}_999999999/",
        "/shop/catalogue/x_99999999999999999999999/",
        f"/shop/catalogue/category/{category.slug}_999999999/",
        "/shop/catalogue/ranges/no-such-range/",
        "/shop/offers/no-such-offer/",
        "/shop/wishlists/no-such-key/",
        "/shop/wishlists/%00/",
        "/no-such-page/",
        "/%ED%A0%80/",
        "/help/%00/",
        "/shop/search/?q=%ED%A0%80&page=%FF",
    ):
        probe.request("GET", path)

    probe.assert_no_server_errors()


def test_basket_forms_refuse_hostile_input_and_other_shoppers_lines(
    django_user_model, other_shopper
):
    before = _state(other_shopper)
    theirs = [str(other_shopper["line"].pk), str(other_shopper["saved_line"].pk)]
    probes = [Prober(), _signed_in(django_user_model)]
    parent = _product("MAL-5000")

    for probe in probes:
        add = reverse("basket:add", kwargs={"pk": _product().pk})
        probe.each("POST", add, ["quantity"])
        probe.each(
            "POST",
            reverse("basket:add", kwargs={"pk": parent.pk}),
            ["child_id", "quantity"],
            base={"quantity": "1", "child_id": str(_product("MAL-5001").pk)},
            payloads=NUMBERS,
        )
        for pk in ("999999999", str(_product("MAL-1004").pk)):  # unknown, sold out
            probe.request("POST", f"/shop/basket/add/{pk}/", {"quantity": "1"})
        probe.request("POST", add, {"quantity": "1"})
        basket = probe.client.get(reverse("basket:summary")).context["basket"]
        lines = {f"form-{k}": v for k, v in FORMSET.items()} | {
            "form-0-id": str(basket.all_lines()[0].pk),
            "form-0-quantity": "1",
        }
        probe.each(
            "POST",
            reverse("basket:summary"),
            ["form-TOTAL_FORMS", "form-INITIAL_FORMS", "form-0-id", "form-0-quantity"],
            base=lines,
        )
        incomplete = {k: v for k, v in lines.items() if k != "form-MAX_NUM_FORMS"}
        probe.each(
            "POST",
            reverse("basket:summary"),
            ["form-INITIAL_FORMS"],
            base=incomplete,
            payloads=NUMBERS,
        )
        saved = {f"saved-{k}": v for k, v in FORMSET.items()} | {
            "saved-0-move_to_basket": "on"
        }
        probe.each(
            "POST",
            reverse("basket:saved"),
            ["saved-TOTAL_FORMS", "saved-0-id"],
            base={**saved, "saved-0-id": theirs[1]},
            payloads=NUMBERS,
        )
        for line in theirs:  # another shopper's lines, by id, every action
            for action in (
                {"form-0-quantity": "0"},
                {"form-0-DELETE": "on"},
                {"form-0-save_for_later": "on"},
            ):
                probe.request(
                    "POST",
                    reverse("basket:summary"),
                    {**lines, "form-0-id": line, **action},
                )
            for action in ({}, {"saved-0-DELETE": "on"}):
                probe.request(
                    "POST",
                    reverse("basket:saved"),
                    {**saved, "saved-0-id": line, **action},
                )
        probe.each("POST", reverse("basket:vouchers-add"), ["code"], payloads=TEXTS)
        probe.request("POST", "/shop/basket/vouchers/999999999/remove/")
        probe.each("GET", reverse("basket:summary"), ["page"], payloads=NUMBERS)

    for probe in probes:
        probe.assert_no_server_errors()
    assert _state(other_shopper) == before


def test_checkout_steps_refuse_hostile_input():
    probe = Prober()
    probe.request(
        "POST", reverse("basket:add", kwargs={"pk": _product().pk}), {"quantity": "1"}
    )
    gateway = {"username": "guest@example.com", "options": "anonymous"}

    probe.each("POST", reverse("checkout:index"), ["username", "options"], base=gateway)
    probe.request("POST", reverse("checkout:index"), gateway)
    probe.each(
        "POST",
        reverse("checkout:shipping-address"),
        ["first_name", "line1", "postcode", "country", "phone_number"],
        base=ADDRESS,
    )
    probe.request("POST", reverse("checkout:shipping-address"), ADDRESS)
    probe.each("POST", reverse("checkout:shipping-method"), ["method_code"])
    probe.request(
        "POST", reverse("checkout:shipping-method"), {"method_code": "standard"}
    )
    probe.each(
        "GET",
        reverse("checkout:payment-return"),
        ["payment_intent", "redirect_status"],
        payloads=TEXTS,
    )
    for step in ("checkout:payment-method", "checkout:preview", "checkout:thank-you"):
        probe.request("GET", reverse(step))

    probe.assert_no_server_errors()


def test_sign_in_registration_and_language_forms_refuse_hostile_input():
    probe = Prober()
    login = {"login-username": "nobody@example.com", "login-password": "x"}
    probe.each(
        "POST",
        reverse("customer:login"),
        ["login-username", "login-password", "redirect_url"],
        base={**login, "login_submit": "1"},
        payloads=TEXTS,
    )
    probe.each("POST", reverse("password-reset"), ["email"], payloads=TEXTS)
    probe.each(
        "POST",
        reverse("set_language"),
        ["language", "next"],
        base={"language": "en"},
        payloads=TEXTS,
    )
    probe.each("GET", reverse("customer:login"), ["next"], payloads=TEXTS)
    for path in (
        "/shop/accounts/order-status/100001/not-the-hash/",
        "/shop/accounts/order-status/999999/abc/",
        "/shop/password-reset/confirm/%00/abc/",
        "/shop/accounts/alerts/confirm/%00/",
        "/shop/accounts/alerts/confirm/no-such-key/",
        "/shop/accounts/alerts/cancel/key/no-such-key/",
    ):
        probe.request("GET", path)
    registration = {
        "registration-email": "new@example.com",
        "registration-password1": "a-Long-pass-123",
        "registration-password2": "a-Long-pass-123",
    }
    probe.each(
        "POST",
        reverse("customer:register"),
        list(registration),
        base={**registration, "registration_submit": "1"},
        payloads=TEXTS,
    )

    probe.assert_no_server_errors()


def test_account_pages_refuse_hostile_input_and_other_shoppers_ids(
    django_user_model, other_shopper
):
    before = _state(other_shopper)
    probe = _signed_in(django_user_model)
    product = _product()
    order, address = other_shopper["order"], other_shopper["address"]
    wishlist = other_shopper["wishlist"]
    key, line = wishlist.key, wishlist.lines.get().pk
    profile = {"first_name": "Hos", "last_name": "Tile", "email": "hostile@example.com"}

    probe.each(
        "POST",
        reverse("customer:profile-update"),
        list(profile),
        base=profile,
        payloads=TEXTS,
    )
    probe.each(
        "POST",
        reverse("customer:change-password"),
        ["old_password", "new_password1"],
        payloads=TEXTS,
    )
    probe.each(
        "GET", reverse("customer:order-list"), ["date_from", "order_number", "page"]
    )
    probe.each(
        "POST",
        reverse("customer:address-create"),
        ["line1", "postcode", "country", "phone_number"],
        base=ADDRESS,
    )
    probe.each(
        "POST",
        reverse("customer:wishlists-create"),
        ["name", "visibility"],
        base={"name": "Gifts", "visibility": "Private"},
    )
    probe.each(
        "POST",
        reverse("customer:alert-create", args=(product.pk,)),
        ["email"],
        payloads=TEXTS,
    )
    for path in (
        f"/shop/accounts/orders/{order.number}/",
        f"/shop/accounts/orders/{order.number}/{order.lines.first().pk}/",
        "/shop/accounts/orders/%00/",
        f"/shop/accounts/addresses/{address.pk}/",
        "/shop/accounts/addresses/999999999/",
        f"/shop/accounts/wishlists/{key}/",
        f"/shop/wishlists/{key}/",
        "/shop/accounts/wishlists/%00/",
        "/shop/accounts/emails/999999999/",
        "/shop/accounts/notifications/999999999/",
        f"/shop/checkout/user-address/edit/{address.pk}/",
    ):
        probe.request("GET", path)
    for path, data in (
        (f"/shop/accounts/orders/{order.number}/", {"order_id": str(order.pk)}),
        (f"/shop/accounts/orders/{order.number}/{order.lines.first().pk}/", {}),
        (f"/shop/accounts/addresses/{address.pk}/", ADDRESS),
        (f"/shop/accounts/addresses/{address.pk}/delete/", {}),
        (f"/shop/accounts/addresses/{address.pk}/default_for_shipping/", {}),
        (f"/shop/checkout/user-address/delete/{address.pk}/", {}),
        (f"/shop/checkout/user-address/edit/{address.pk}/", ADDRESS),
        (f"/shop/accounts/wishlists/{key}/update/", {"name": "Mine now"}),
        (f"/shop/accounts/wishlists/{key}/delete/", {}),
        (f"/shop/accounts/wishlists/{key}/lines/{line}/delete/", {}),
        (f"/shop/accounts/wishlists/{key}/products/{product.pk}/delete/", {}),
        (f"/shop/accounts/wishlists/{key}/add/{product.pk}/", {}),
        (f"/shop/accounts/wishlists/{key}/lines/{line}/move-to/{key}/", {}),
        ("/shop/accounts/wishlists/add/999999999/", {}),
        ("/shop/accounts/alerts/cancel/999999999/", {}),
        (
            "/shop/accounts/notifications/update/",
            {"action": "archive", "selected_notification": "999999999"},
        ),
    ):
        probe.request("POST", path, data)
    review = {"title": "Good", "score": "5", "body": "Nice"}
    probe.each(
        "POST",
        reverse(
            "catalogue:reviews-add",
            kwargs={"product_slug": product.slug, "product_pk": product.pk},
        ),
        list(review),
        base=review,
    )

    probe.assert_no_server_errors()
    assert _state(other_shopper) == before


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("GET", "/shop/wishlists/%00/", {}),
        ("GET", "/shop/accounts/alerts/confirm/%00/", {}),
        ("GET", "/shop/checkout/payment-return/", {"payment_intent": "pi_\x00"}),
        ("GET", "/shop/search/", {"q": "tea\x00"}),
        ("POST", "/shop/basket/vouchers/add/", {"code": "\x00"}),
    ],
)
def test_a_nul_character_anywhere_in_a_request_is_refused_with_a_400(method, url, data):
    assert Prober().request(method, url, data).status_code == 400


def test_a_basket_post_missing_part_of_its_formset_is_refused_with_a_400():
    probe = Prober()
    probe.request(
        "POST", reverse("basket:add", kwargs={"pk": _product().pk}), {"quantity": "1"}
    )
    line = probe.client.get(reverse("basket:summary")).context["basket"].all_lines()[0]
    post = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "abc",
        "form-0-id": str(line.pk),
        "form-0-quantity": "7",
    }

    assert probe.request("POST", reverse("basket:summary"), post).status_code == 400
    line.refresh_from_db()
    assert line.quantity == 1
