"""Tracking numbers from CSV: a file with any bad row dispatches nothing and says
which rows are wrong; a good file dispatches every order it lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from shop.fulfilment import statuses
from shop.fulfilment.models import Shipment
from shop.fulfilment.tracking_import import tracking_import

from .factories import paid_order

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def _csv(*rows, header="order_number,carrier,tracking_number"):
    return ("\n".join([header, *rows]) + "\n").encode()


def _nothing_dispatched(*orders):
    for order in orders:
        order.refresh_from_db()
        assert order.status == statuses.PAID
    assert not Shipment.objects.filter(order__in=orders).exists()


def test_a_good_file_dispatches_every_order_it_lists(mailoutbox):
    first, second = paid_order(), paid_order()

    result = tracking_import(
        data=_csv(
            f"{first.number},sf,SF0001", f"{second.number},ZTO Express 中通快递,Z-77"
        )
    )

    assert result.ok, result.errors
    assert [s.order_id for s in result.shipments] == [first.pk, second.pk]
    for order, number in ((first, "SF0001"), (second, "Z-77")):
        order.refresh_from_db()
        assert order.status == statuses.SHIPPED
        assert order.shipments.get().tracking_number == number


def test_bad_rows_are_reported_and_nothing_is_imported():
    good, shipped, also_good = paid_order(), paid_order(), paid_order()
    Order.objects.filter(pk=shipped.pk).update(status=statuses.SHIPPED)

    result = tracking_import(
        data=_csv(
            f"{good.number},sf,SF0001",  # row 2: fine
            "NO-SUCH-ORDER,sf,SF0002",  # row 3
            f"{shipped.number},sf,SF0003",  # row 4: already shipped
            f"{also_good.number},pigeon,P0004",  # row 5: unknown carrier
            f"{good.number},jd,JD0005",  # row 6: listed twice
            f"{also_good.number},sf,no!",  # row 7: bad tracking number
        )
    )

    assert not result.ok
    assert [error.split(":")[0] for error in result.errors] == [
        "Row 3",
        "Row 4",
        "Row 5",
        "Row 6",
        "Row 7",
    ]
    assert "NO-SUCH-ORDER" in result.errors[0]
    assert "pigeon" in result.errors[2]
    assert result.shipments == []
    _nothing_dispatched(good, also_good)
    assert not shipped.shipments.exists()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "must name the columns"),
        (b"order,carrier\n1,sf\n", "missing: order_number, tracking_number"),
        (b"order_number,carrier,tracking_number\n", "no rows"),
        (
            "order_number,carrier,tracking_number\n1,sf,X1234\n".encode("utf-16"),
            "UTF-8",
        ),
        (b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
    ],
    ids=["empty", "missing-column", "header-only", "not-utf8", "too-large"],
)
def test_a_file_that_is_not_a_tracking_list_is_refused(data, says):
    order = paid_order()

    result = tracking_import(data=data)

    assert not result.ok
    assert says in " ".join(result.errors)
    _nothing_dispatched(order)


def test_the_dashboard_page_reports_bad_rows_with_a_400(client, demo_user):
    good = paid_order()
    client.force_login(demo_user("merchandiser"))
    url = reverse("dashboard:order-tracking-import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(
        "tracking.csv",
        _csv(f"{good.number},sf,SF0001", "404404,sf,SF0002"),
        content_type="text/csv",
    )

    response = client.post(url, {"file": upload})

    assert response.status_code == 400
    page = response.content.decode()
    assert "data-import-errors" in page and "Row 3" in page
    _nothing_dispatched(good)
    assert client.post(url, {}).status_code == 400  # no file at all


def test_the_dashboard_page_dispatches_a_good_file(client, demo_user):
    order = paid_order()
    client.force_login(demo_user("merchandiser"))
    upload = SimpleUploadedFile(
        "tracking.csv", _csv(f"{order.number},ems,EMS123456"), content_type="text/csv"
    )

    response = client.post(reverse("dashboard:order-tracking-import"), {"file": upload})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
