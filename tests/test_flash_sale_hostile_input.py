"""Hostile input into the flash sale basket button and the flash sale dashboard's
forms: never a 5xx, and nothing saved that breaks the sale's rules."""

import pytest
from django.urls import reverse

from shop.flashsales.models import FlashItem, FlashSale, FlashSession
from shop.flashsales.tests.factories import flash_sale, merchandiser, product
from tests.test_hostile_input import HOSTILE, NUMBERS, TEXTS, Prober

pytestmark = pytest.mark.django_db


def _state():
    return (
        list(FlashSale.objects.values_list("pk", "name", "approved_at")),
        list(FlashSession.objects.values_list("pk", "starts_at", "ends_at")),
        list(FlashItem.objects.values_list("pk", "flash_price", "pool", "sold")),
    )


def test_the_flash_basket_button_refuses_hostile_input():
    _sale, _session, item = flash_sale(product())
    probe = Prober()

    add = reverse("flashsales:add", kwargs={"pk": item.pk})
    probe.each("POST", add, ["quantity", "next"])
    probe.request("POST", "/shop/flash-sales/add/999999999/", {"quantity": "1"})
    probe.request("GET", add)

    probe.assert_no_server_errors()
    assert FlashItem.objects.get(pk=item.pk).sold == 0


def test_the_flash_sale_dashboard_refuses_hostile_input(client):
    sale, session, item = flash_sale(product())
    probe = Prober()
    probe.client.force_login(merchandiser("flash-author"))
    before = _state()
    pk = {"pk": sale.pk}

    probe.each(
        "POST",
        reverse("dashboard:flashsale-rename", kwargs=pk),
        ["name"],
        payloads=TEXTS,
    )
    probe.each(
        "POST",
        reverse("dashboard:flashsale-session-add", kwargs=pk),
        ["starts_at", "ends_at"],
        base={"starts_at": "2030-01-01 10:00", "ends_at": "2030-01-01 11:00"},
        payloads=HOSTILE,
    )
    probe.each(
        "POST",
        reverse("dashboard:flashsale-session-repeat", kwargs=pk),
        ["first_day", "days", "times", "duration", "copy_from"],
        base={
            "first_day": "2030-01-01",
            "days": "2",
            "times": "10:00",
            "duration": "600",
        },
        payloads=HOSTILE,
    )
    item_form = {"flash_price": "10", "pool": "1", "limit_per_shopper": "1"}
    probe.each(
        "POST",
        reverse("dashboard:flashsale-item-add", kwargs={"pk": session.pk}),
        ["product", "flash_price", "pool", "limit_per_shopper"],
        base={"product": "x", **item_form},
        payloads=HOSTILE,
    )
    probe.each(
        "POST",
        reverse("dashboard:flashsale-item-update", kwargs={"pk": item.pk}),
        ["flash_price", "pool", "limit_per_shopper"],
        base={**item_form, "pool": "-5"},
        payloads=HOSTILE,
    )
    probe.each(
        "GET",
        reverse("dashboard:flashsale-product-lookup"),
        ["q", "page", "page_limit", "initial"],
        payloads=HOSTILE,
    )
    probe.each("GET", reverse("dashboard:flashsale-list"), ["page"], payloads=NUMBERS)

    probe.assert_no_server_errors()
    # Some payloads are valid (Arabic-Indic digits are numbers; a name may hold
    # odd characters): what was saved still makes sense.
    for item in FlashItem.objects.select_related("stockrecord"):
        assert 0 < item.flash_price < item.stockrecord.price
        assert item.pool >= max(1, item.sold) and item.limit_per_shopper >= 1
    for session in FlashSession.objects.all():
        assert session.ends_at > session.starts_at
    assert len(_state()[1]) >= len(before[1])
