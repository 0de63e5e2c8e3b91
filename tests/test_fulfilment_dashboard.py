"""A merchandiser fulfils orders in Oscar's dashboard: dispatch one or many with a
carrier and tracking number, print packing slips, filter by status. Bad input is a
400 and changes nothing."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.fulfilment import statuses
from shop.fulfilment.models import Carrier, Shipment
from shop.fulfilment.tests.factories import paid_order

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchandiser(client, demo_user):
    client.force_login(demo_user("merchandiser"))
    return client


def _detail(order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def _unchanged(order):
    order.refresh_from_db()
    return (
        order.status == statuses.PAID
        and not order.shipping_events.exists()
        and not Shipment.objects.filter(order=order).exists()
        and not order.communication_events.exists()
    )


def test_merchandiser_dispatches_and_the_order_page_shows_status_and_tracking(
    merchandiser, django_capture_on_commit_callbacks, mailoutbox
):
    order = paid_order(email="mei@example.com")
    page = merchandiser.get(_detail(order)).content.decode()
    assert "data-dispatch-form" in page
    sf = Carrier.objects.get(code="sf")

    with django_capture_on_commit_callbacks(execute=True):
        response = merchandiser.post(
            _detail(order),
            {
                "order_action": "dispatch_order",
                "carrier": sf.pk,
                "tracking_number": "SF1234567890",
            },
            follow=True,
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-order-status="Shipped"' in page
    assert "SF1234567890" in page
    assert sf.tracking_url("SF1234567890") in page.replace("&amp;", "&")
    assert "data-dispatch-form" not in page  # nothing more to dispatch
    order.refresh_from_db()
    assert order.status == statuses.SHIPPED
    event = order.shipping_events.get()
    assert event.event_type.name == statuses.EVENT_DISPATCHED
    assert event.shipment.tracking_number == "SF1234567890"
    line = order.lines.get()
    assert line.status == statuses.SHIPPED
    assert line.stockrecord.num_allocated == 0  # the units left the stock
    (mail,) = mailoutbox
    assert mail.to == ["mei@example.com"] and order.number in mail.subject
    assert "SF1234567890" in mail.body
    assert sf.tracking_url("SF1234567890") in mail.body


@pytest.mark.parametrize(
    "data",
    [
        {"order_action": "dispatch_order", "carrier": "", "tracking_number": "SF1"},
        {"order_action": "dispatch_order", "carrier": "999999", "tracking_number": "X"},
        {"order_action": "dispatch_order", "carrier": "sf", "tracking_number": ""},
        {"order_action": "dispatch_order", "tracking_number": "bad number!"},
        {"order_action": "no_such_action"},
        {"order_action": "change_order_status", "new_status": "Teleported"},
        {"order_action": "change_order_status", "new_status": "Shipped"},
        {"order_action": "change_order_status", "new_status": "Completed"},
        {"line_action": "refund_lines", "reason": "damaged"},
        {"line_action": "create_shipping_event"},
    ],
    ids=lambda data: "-".join(f"{k}={v}" for k, v in data.items()),
)
def test_bad_input_on_the_order_page_is_a_400_and_changes_nothing(
    merchandiser, data, mailoutbox
):
    order = paid_order()
    if data.get("carrier") == "sf":
        data = {**data, "carrier": Carrier.objects.get(code="sf").pk}
    if "tracking_number" in data and "carrier" not in data:
        data = {**data, "carrier": Carrier.objects.get(code="sf").pk}

    response = merchandiser.post(_detail(order), data)

    assert response.status_code == 400
    assert _unchanged(order)
    assert mailoutbox == []


def test_a_dispatched_order_is_not_dispatched_again(merchandiser):
    order = paid_order()
    sf = Carrier.objects.get(code="sf")
    merchandiser.post(
        _detail(order),
        {"order_action": "dispatch_order", "carrier": sf.pk, "tracking_number": "A123"},
    )

    again = merchandiser.post(
        _detail(order),
        {"order_action": "dispatch_order", "carrier": sf.pk, "tracking_number": "B456"},
    )

    assert again.status_code == 400
    assert "can&#x27;t be dispatched" in again.content.decode()
    assert list(order.shipments.values_list("tracking_number", flat=True)) == ["A123"]


def test_bulk_dispatch_sends_them_all(merchandiser, mailoutbox):
    orders = [paid_order(email=f"{n}@example.com") for n in range(3)]
    carrier = Carrier.objects.get(code="zto")
    ids = [order.pk for order in orders]

    form = merchandiser.get(
        reverse("dashboard:order-dispatch"), {"selected_order": ids}
    )
    assert form.status_code == 200
    for order in orders:
        assert order.number in form.content.decode()
    data = {"order": ids}
    for order in orders:
        data[f"carrier_{order.pk}"] = carrier.pk
        data[f"tracking_{order.pk}"] = f"ZTO{order.pk:06d}"
    response = merchandiser.post(reverse("dashboard:order-dispatch"), data)

    assert response.status_code == 302
    for order in orders:
        order.refresh_from_db()
        assert order.status == statuses.SHIPPED
        assert order.shipments.get().tracking_number == f"ZTO{order.pk:06d}"


def test_bulk_dispatch_with_one_bad_row_dispatches_none(merchandiser):
    good, shipped = paid_order(), paid_order()
    Order.objects.filter(pk=shipped.pk).update(status=statuses.SHIPPED)
    carrier = Carrier.objects.get(code="jd")
    data = {"order": [good.pk, shipped.pk]}
    for order in (good, shipped):
        data[f"carrier_{order.pk}"] = carrier.pk
        data[f"tracking_{order.pk}"] = f"JD{order.pk:06d}"

    response = merchandiser.post(reverse("dashboard:order-dispatch"), data)

    assert response.status_code == 400
    assert shipped.number in response.content.decode()
    assert _unchanged(good)
    assert not shipped.shipping_events.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"order": ["x"]}, {"order": ["99999999"]}],
    ids=["no-orders", "not-a-number", "not-an-order"],
)
def test_bulk_dispatch_of_no_or_unknown_orders_is_a_400(merchandiser, data):
    order = paid_order()
    response = merchandiser.post(
        reverse("dashboard:order-dispatch"),
        {**data, f"carrier_{order.pk}": "1", f"tracking_{order.pk}": "AB1234"},
    )
    assert response.status_code == 400
    assert _unchanged(order)


def test_packing_slips_print_what_is_left_to_send(merchandiser):
    first = paid_order(lines=[("10.00", 2), ("5.00", 1)])
    second = paid_order()

    response = merchandiser.get(
        reverse("dashboard:order-packing-slips"),
        {"selected_order": [first.pk, second.pk]},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-packing-slip=") == 2
    for line in first.lines.all():
        assert line.title in page
    assert merchandiser.get(reverse("dashboard:order-packing-slips")).status_code == 400


def test_orders_filter_by_status(merchandiser):
    waiting, sent = paid_order(), paid_order()
    Order.objects.filter(pk=sent.pk).update(status=statuses.SHIPPED)

    page = merchandiser.get(reverse("dashboard:order-list"), {"status": "Shipped"})

    html = page.content.decode()
    assert "data-status-filters" in html
    assert sent.number in html and waiting.number not in html


def test_bulk_status_change_is_all_or_none(merchandiser):
    paid, shipped = paid_order(), paid_order()
    Order.objects.filter(pk=shipped.pk).update(status=statuses.SHIPPED)

    response = merchandiser.post(
        reverse("dashboard:order-list"),
        {
            "action": "change_order_statuses",
            "selected_order": [paid.pk, shipped.pk],
            "new_status": statuses.PROCESSING,
        },
    )

    assert response.status_code == 400
    paid.refresh_from_db()
    shipped.refresh_from_db()
    assert (paid.status, shipped.status) == (statuses.PAID, statuses.SHIPPED)


def test_shoppers_and_editors_cannot_reach_fulfilment(client, demo_user):
    order = paid_order()
    for username in ("shopper", "editor"):
        client.force_login(demo_user(username))
        for url in (
            reverse("dashboard:order-dispatch"),
            reverse("dashboard:order-tracking-import"),
            reverse("dashboard:order-packing-slips") + f"?selected_order={order.pk}",
            reverse("dashboard:aftersales-list"),
        ):
            response = client.get(url)
            assert response.status_code in (302, 403), (username, url)
            assert order.number not in response.content.decode()
