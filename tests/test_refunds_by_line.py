"""Refunds by line from the dashboard: chosen lines and quantities, a reason and a
restock choice; the money goes back through the gateway (localstripe), shows as a
negative transaction, the shopper is told, and the sales report is net of it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory

from shop.fulfilment import statuses
from shop.fulfilment.reports import sales_totals
from shop.fulfilment.selectors import order_money_movements
from shop.payments import get_gateway
from tests.paid_orders import order_paid

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _refunded_in_gateway(order) -> int:
    payment = order.checkout_payment
    return (
        get_gateway(payment.gateway).intent_retrieve(payment.intent_id).amount_refunded
    )


@pytest.fixture
def order(localstripe):
    return order_paid(
        localstripe, user=UserFactory(), items=[("40.00", 3), ("25.00", 1)]
    )


def _refund(client, order, picks, **data):
    post = {"line_action": "refund_lines", "reason": "damaged", **data}
    post["selected_line"] = [line.pk for line, _q in picks]
    for line, quantity in picks:
        post[f"selected_line_qty_{line.pk}"] = str(quantity)
    return client.post(
        reverse("dashboard:order-detail", kwargs={"number": order.number}), post
    )


def test_refund_two_units_of_a_line_with_restock(
    client, demo_user, order, django_capture_on_commit_callbacks, mailoutbox
):
    cups, saucer = order.lines.order_by("pk")
    record = StockRecord.objects.get(pk=cups.stockrecord_id)
    before = (record.num_in_stock, record.num_allocated)
    client.force_login(demo_user("merchandiser"))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _refund(client, order, [(cups, 2)], restock="on")

    assert response.status_code == 302
    assert _refunded_in_gateway(order) == 8000
    record.refresh_from_db()
    # Not yet dispatched: the two units are released from the allocation.
    assert (record.num_in_stock, record.num_allocated) == (before[0], before[1] - 2)
    cups.refresh_from_db()
    assert cups.status == statuses.PAID  # one unit still to send
    movements = order_money_movements(order)
    assert [m.amount for m in movements] == [order.total_incl_tax, Decimal("-80.00")]
    page = client.get(
        reverse("dashboard:order-detail", kwargs={"number": order.number})
    )
    assert page.content.decode().count("data-refund") >= 1
    (mail,) = mailoutbox
    assert mail.to == [order.user.email]
    assert cups.title in mail.body and "80.00" in mail.body
    totals = sales_totals(Order.objects.filter(pk=order.pk))
    assert totals["refunded"] == Decimal("80.00")
    assert totals["net"] == order.total_incl_tax - Decimal("80.00")


def test_refunding_every_unit_cancels_an_undispatched_order(client, demo_user, order):
    cups, saucer = order.lines.order_by("pk")
    client.force_login(demo_user("merchandiser"))

    _refund(client, order, [(cups, 3), (saucer, 1)], reason="out_of_stock")

    order.refresh_from_db()
    assert order.status == statuses.CANCELLED
    assert {line.status for line in order.lines.all()} == {statuses.REFUNDED}
    assert _refunded_in_gateway(order) == 14500


@pytest.mark.parametrize(
    ("picks", "reason"),
    [
        ([("cups", 4)], "damaged"),  # more than bought
        ([("cups", 0)], "damaged"),
        ([("cups", 1)], ""),  # no reason
        ([("cups", 1)], "bored"),
        ([], "damaged"),  # no line
    ],
    ids=["too-many", "zero", "no-reason", "unknown-reason", "no-line"],
)
def test_bad_refunds_are_a_400_and_refund_nothing(
    client, demo_user, order, picks, reason, mailoutbox
):
    lines = dict(zip(("cups", "saucer"), order.lines.order_by("pk"), strict=True))
    client.force_login(demo_user("merchandiser"))
    mailoutbox.clear()

    response = _refund(
        client, order, [(lines[name], q) for name, q in picks], reason=reason
    )

    assert response.status_code == 400
    assert _refunded_in_gateway(order) == 0
    assert not order.payment_events.filter(event_type__name="Refunded").exists()
    assert mailoutbox == []


def test_the_sales_report_is_net_of_refunds(client, demo_user, order):
    cups, _saucer = order.lines.order_by("pk")
    client.force_login(demo_user("merchandiser"))
    _refund(client, order, [(cups, 1)])

    report = client.get(
        reverse("dashboard:reports-index"),
        {"report_type": "sales_report", "date_from": "", "date_to": ""},
    )

    page = report.content.decode()
    assert report.status_code == 200
    assert "data-sales-report" in page
    assert str(order.number) in page
    net = order.total_incl_tax - Decimal("40.00")
    assert f"{net:.2f}" in page
