"""Flash sales in Oscar's dashboard: merchandisers build one, a second approves it;
bad input is a 4xx with the reason, and changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.flashsales.models import FlashItem, FlashSale, FlashSaleEvent, FlashSession

from .factories import flash_sale, merchandiser, product

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%d %H:%M"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(FORMAT)


def _state():
    """Everything a refused form must leave as it was."""
    return (
        list(FlashSale.objects.values_list("pk", "name", "approved_at")),
        list(FlashSession.objects.values_list("pk", "starts_at", "ends_at")),
        list(
            FlashItem.objects.values_list(
                "pk", "flash_price", "pool", "limit_per_shopper"
            )
        ),
        FlashSaleEvent.objects.count(),
    )


def test_a_merchandiser_builds_a_sale_and_a_second_one_approves_it(client):
    kettle = product(price="100.00", stock=100)
    author, approver = merchandiser("author"), merchandiser("approver")
    client.force_login(author)

    response = client.post(reverse("dashboard:flashsale-create"), {"name": "Kettles"})
    sale = FlashSale.objects.get()
    assert response.url == reverse("dashboard:flashsale-detail", kwargs={"pk": sale.pk})
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("dashboard:flashsale-session-repeat", kwargs={"pk": sale.pk}),
        {
            "first_day": tomorrow.isoformat(),
            "days": 7,
            "times": "10:00, 20:00",
            "duration": 120,
        },
    )
    assert response.status_code == 302
    sessions = list(sale.sessions.all())
    assert len(sessions) == 14
    starts = [timezone.localtime(s.starts_at) for s in sessions[:2]]
    assert [(s.hour, s.minute) for s in starts] == [(10, 0), (20, 0)]
    assert sessions[0].ends_at - sessions[0].starts_at == timedelta(hours=2)
    response = client.post(
        reverse("dashboard:flashsale-item-add", kwargs={"pk": sessions[0].pk}),
        {
            "product": kettle.pk,
            "flash_price": "49.90",
            "pool": 5,
            "limit_per_shopper": 2,
        },
    )
    assert response.status_code == 302
    item = FlashItem.objects.get()
    assert (item.flash_price, item.pool, item.limit_per_shopper) == (
        Decimal("49.90"),
        5,
        2,
    )
    detail = client.get(reverse("dashboard:flashsale-detail", kwargs={"pk": sale.pk}))
    assert detail.status_code == 200
    assert "another merchandiser must approve it" in detail.content.decode()

    # The author can't approve (the button isn't there, and posting is refused).
    response = client.post(
        reverse("dashboard:flashsale-approve", kwargs={"pk": sale.pk})
    )
    assert response.status_code == 400
    assert not FlashSale.objects.get().is_approved

    client.force_login(approver)
    page = client.get(reverse("dashboard:flashsale-detail", kwargs={"pk": sale.pk}))
    assert "Approve: set the pools aside and go live" in page.content.decode()
    response = client.post(
        reverse("dashboard:flashsale-approve", kwargs={"pk": sale.pk})
    )
    assert response.status_code == 302
    sale.refresh_from_db()
    assert sale.approved_by == approver
    listing = client.get(reverse("dashboard:flashsale-list")).content.decode()
    assert "Kettles" in listing and "Approved" in listing


def test_the_dashboard_menu_lists_flash_sales_for_merchandisers(client, demo_user):
    client.force_login(demo_user("merchandiser"))

    page = client.get(reverse("dashboard:index")).content.decode()

    assert reverse("dashboard:flashsale-list") in page
    assert client.get(reverse("dashboard:flashsale-list")).status_code == 200


def test_without_the_approval_permission_approving_is_forbidden(client):
    sale, _session, _item = flash_sale(product(), approve=False)
    client.force_login(merchandiser("junior", approver=False))

    response = client.post(
        reverse("dashboard:flashsale-approve", kwargs={"pk": sale.pk})
    )

    assert response.status_code == 403
    assert not FlashSale.objects.get().is_approved


def test_shoppers_and_editors_cant_reach_the_flash_sale_dashboard(client, demo_user):
    sale, _session, _item = flash_sale(product())
    for user in (demo_user("shopper"), demo_user("editor")):
        client.force_login(user)
        for url in (
            reverse("dashboard:flashsale-list"),
            reverse("dashboard:flashsale-detail", kwargs={"pk": sale.pk}),
        ):
            assert client.get(url).status_code in (302, 403)
        client.post(reverse("dashboard:flashsale-approve", kwargs={"pk": sale.pk}))
    assert FlashSale.objects.get().approved_by.username == "flash-approver"


@pytest.mark.parametrize(
    "view, data, says",
    [
        ("flashsale-rename", {"name": ""}, "This field is required"),
        (
            "flashsale-session-add",
            {"starts_at": "tomorrow", "ends_at": "later"},
            "Enter a date and time like",
        ),
        (
            "flashsale-session-add",
            {"starts_at": "2030-01-02 20:00", "ends_at": "2030-01-02 19:00"},
            "A session must end after it starts",
        ),
        (
            "flashsale-session-add",
            {"starts_at": "2020-01-02 20:00", "ends_at": "2020-01-02 22:00"},
            "already be over",
        ),
        (
            "flashsale-session-repeat",
            {"first_day": "2030-01-02", "days": 7, "times": "10am", "duration": 60},
            "is not a time like 20:00",
        ),
        (
            "flashsale-session-repeat",
            {"first_day": "2030-01-02", "days": 400, "times": "10:00", "duration": 60},
            "less than or equal to 31",
        ),
        (
            "flashsale-session-repeat",
            {
                "first_day": "2030-01-02",
                "days": 2,
                "times": "10:00, 11:00",
                "duration": 90,
            },
            "would overlap each other",
        ),
        (
            "flashsale-session-repeat",
            {"first_day": "2020-01-02", "days": 2, "times": "10:00", "duration": 60},
            "can't be in the past",
        ),
    ],
)
def test_bad_sale_and_session_input_is_a_400_and_changes_nothing(
    client, view, data, says
):
    sale, _session, _item = flash_sale(product())
    client.force_login(merchandiser("flash-author"))
    before = _state()

    response = client.post(reverse(f"dashboard:{view}", kwargs={"pk": sale.pk}), data)

    assert response.status_code == 400
    assert says in response.content.decode().replace("&#x27;", "'")
    assert _state() == before


@pytest.mark.parametrize(
    "data, says",
    [
        ({"flash_price": "", "pool": 5, "limit_per_shopper": 1}, "required"),
        ({"flash_price": "-1", "pool": 5, "limit_per_shopper": 1}, "greater than or"),
        ({"flash_price": "abc", "pool": 5, "limit_per_shopper": 1}, "Enter a number"),
        ({"flash_price": "100.00", "pool": 5, "limit_per_shopper": 1}, "must be below"),
        ({"flash_price": "10", "pool": 0, "limit_per_shopper": 1}, "greater than or"),
        ({"flash_price": "10", "pool": 101, "limit_per_shopper": 1}, "Only"),
        ({"flash_price": "10", "pool": 5, "limit_per_shopper": 0}, "greater than or"),
        ({"flash_price": "10", "pool": "x", "limit_per_shopper": 1}, "whole number"),
    ],
)
def test_bad_item_input_is_a_400_and_changes_nothing(client, data, says):
    kettle = product(price="100.00", stock=100)
    sale, session, item = flash_sale(kettle, pool=5)
    other = product(price="100.00", stock=100, title="Flash teapot")
    client.force_login(merchandiser("flash-author"))
    before = _state()

    added = client.post(
        reverse("dashboard:flashsale-item-add", kwargs={"pk": session.pk}),
        {"product": other.pk, **data},
    )
    updated = client.post(
        reverse("dashboard:flashsale-item-update", kwargs={"pk": item.pk}), data
    )

    for response in (added, updated):
        assert response.status_code == 400
        assert says in response.content.decode()
    assert _state() == before
    assert FlashSale.objects.get(pk=sale.pk).is_approved


def test_unknown_ids_and_products_are_refused(client):
    sale, session, item = flash_sale(product())
    parent = product(title="Flash tee")
    parent.structure = "parent"
    parent.save()
    client.force_login(merchandiser("flash-author"))
    before = _state()

    for name in ("flashsale-detail", "flashsale-approve", "flashsale-session-add"):
        url = reverse(f"dashboard:{name}", kwargs={"pk": 999999})
        assert client.post(url, {}).status_code in (404, 405)
    for name in ("flashsale-item-update", "flashsale-item-delete"):
        url = reverse(f"dashboard:{name}", kwargs={"pk": 999999})
        assert client.post(url, {}).status_code == 404
    add = reverse("dashboard:flashsale-item-add", kwargs={"pk": session.pk})
    for product_id in ("999999", "abc", str(parent.pk)):
        response = client.post(
            add,
            {
                "product": product_id,
                "flash_price": "1",
                "pool": 1,
                "limit_per_shopper": 1,
            },
        )
        assert response.status_code == 400
    lookup = reverse("dashboard:flashsale-product-lookup")
    for query in ({"page": "x"}, {"page": "-1", "q": "kettle"}, {"initial": "1,a"}):
        assert client.get(lookup, query).status_code == 200
    assert _state() == before


def test_the_product_lookup_finds_variants_by_title_and_upc(client):
    kettle = product(title="Lookup kettle")
    client.force_login(merchandiser("flash-author"))

    found = client.get(
        reverse("dashboard:flashsale-product-lookup"), {"q": "lookup"}
    ).json()

    assert [r["id"] for r in found["results"]] == [kettle.pk]


def test_a_session_with_sales_cant_be_deleted_nor_its_items_removed(client):
    sale, session, item = flash_sale(product())
    from oscar.test.factories import create_order

    from shop.flashsales.models import FlashPurchase

    FlashPurchase.objects.create(item=item, order=create_order(), quantity=1)
    client.force_login(merchandiser("flash-author"))
    before = _state()

    deleted = client.post(
        reverse("dashboard:flashsale-session-delete", kwargs={"pk": session.pk})
    )
    removed = client.post(
        reverse("dashboard:flashsale-item-delete", kwargs={"pk": item.pk})
    )

    assert deleted.status_code == removed.status_code == 400
    assert "Shoppers have bought" in deleted.content.decode()
    assert _state() == before
