"""After-sales (售后) from both sides: a shopper asks to return one unit with a
photo, the merchandiser approves, the shopper sends it back with a tracking number,
the merchandiser marks it received and the refund goes back through localstripe,
the unit back into stock. Nobody else sees or touches the request or its photos."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import UserFactory
from PIL import Image

from shop.fulfilment import statuses
from shop.fulfilment.dispatch import order_dispatch
from shop.fulfilment.lifecycle import confirm_receipt
from shop.fulfilment.models import AfterSalesPhoto, AfterSalesRequest, Carrier
from shop.fulfilment.selectors import (
    aftersales_entry_url,
    customer_order_tab_counts,
    line_after_sales,
)
from shop.payments import get_gateway
from tests.paid_orders import order_paid

StockRecord = get_model("partner", "StockRecord")
ShippingEvent = get_model("order", "ShippingEvent")

pytestmark = pytest.mark.django_db


def _photo(name="crack.png", fmt="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt}")


def _refunded_in_gateway(order) -> int:
    payment = order.checkout_payment
    intent = get_gateway(payment.gateway).intent_retrieve(payment.intent_id)
    return intent.amount_refunded


@pytest.fixture
def received(localstripe):
    """A shopper's order (2 × 50.00 and 1 × 30.00), dispatched and received."""
    shopper = UserFactory()
    order = order_paid(localstripe, user=shopper, items=[("50.00", 2), ("30.00", 1)])
    order_dispatch(
        order=order, carrier=Carrier.objects.get(code="sf"), tracking_number="SF9999"
    )
    confirm_receipt(order=order, user=shopper)
    order.refresh_from_db()
    mugs, plates = order.lines.order_by("pk")
    return order, shopper, mugs, plates


def _ask(client, order, data, photos=()):
    url = reverse("aftersales:create", kwargs={"order_number": order.number})
    return client.post(url, {**data, "photos": list(photos)})


def _return_one(line, **extra):
    return {
        "kind": "return",
        "reason": "damaged",
        "description": "The handle is cracked",
        f"line_{line.pk}": "on",
        f"quantity_{line.pk}": "1",
        **extra,
    }


def test_return_with_a_photo_from_request_to_refund(
    client, demo_user, received, django_capture_on_commit_callbacks, mailoutbox
):
    order, shopper, mugs, plates = received
    record = StockRecord.objects.get(pk=mugs.stockrecord_id)
    in_stock = record.num_in_stock
    client.force_login(shopper)
    entry = line_after_sales(mugs)["url"]
    assert entry == aftersales_entry_url(mugs)
    form = client.get(entry)
    assert form.status_code == 200
    assert (
        f'name="line_{mugs.pk}" id="id_line_{mugs.pk}" checked' in form.content.decode()
    )

    response = _ask(client, order, _return_one(mugs), photos=[_photo()])

    after_sales = AfterSalesRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "aftersales:detail", kwargs={"pk": after_sales.pk}
    )
    mugs.refresh_from_db()
    assert mugs.status == statuses.RETURN_REQUESTED
    assert customer_order_tab_counts(user=shopper)["after_sales"] == 1
    photo = after_sales.photos.get()
    photo_url = reverse(
        "aftersales:photo", kwargs={"pk": after_sales.pk, "photo_pk": photo.pk}
    )
    shown = client.get(photo_url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG")
    assert not photo.image.name.startswith("/")
    assert "crack" not in photo.image.name  # stored under a name nobody can guess

    # The merchandiser sees it, photo included, and approves with a message.
    staff = type(client)()
    staff.force_login(demo_user("merchandiser"))
    detail = reverse("dashboard:aftersales-detail", kwargs={"pk": after_sales.pk})
    page = staff.get(detail).content.decode()
    assert "The handle is cracked" in page and photo_url in page
    assert staff.get(photo_url).status_code == 200
    assert (
        str(order.number)
        in staff.get(reverse("dashboard:aftersales-list")).content.decode()
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = staff.post(
            detail, {"action": "approve", "message": "Sorry! Send it back"}
        )
    assert approved.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [shopper.email] and "approved" in mail.subject
    assert "Sorry! Send it back" in mail.body

    # The shopper sends it back with a tracking number.
    sent = client.post(
        reverse("aftersales:return-shipment", kwargs={"pk": after_sales.pk}),
        {"carrier": Carrier.objects.get(code="zto").pk, "tracking_number": "ZT5555"},
    )
    assert sent.status_code == 302
    after_sales.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.RETURN_SHIPPED
    assert "ZT5555" in staff.get(detail).content.decode()

    # It arrives: refunded by line through the gateway, restocked.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(detail, {"action": "receive", "restock": "on", "message": ""})
    assert done.status_code == 302
    after_sales.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.REFUNDED
    assert after_sales.refund_amount == Decimal("50.00")
    assert _refunded_in_gateway(order) == 5000
    record.refresh_from_db()
    assert record.num_in_stock == in_stock + 1
    mugs.refresh_from_db()
    plates.refresh_from_db()
    assert mugs.status == statuses.COMPLETED  # one of two refunded: kept the other
    assert plates.status == statuses.COMPLETED
    order.refresh_from_db()
    assert order.status == statuses.COMPLETED
    refund = order.payment_events.get(event_type__name="Refunded")
    assert [(q.line_id, q.quantity) for q in refund.line_quantities.all()] == [
        (mugs.pk, 1)
    ]
    assert order.shipping_events.filter(event_type__name="Returned").exists()
    (mail,) = mailoutbox
    assert "refund" in mail.subject.lower() and mail.to == [shopper.email]

    # Both sides see the same timeline.
    steps = ["requested", "approved", "return_shipped", "refunded"]
    assert [e.status for e in after_sales.events.all()] == steps
    mine = client.get(reverse("aftersales:detail", kwargs={"pk": after_sales.pk}))
    theirs = staff.get(detail)
    for page in (mine.content.decode(), theirs.content.decode()):
        assert [s for s in steps if f'data-event="{s}"' in page] == steps
    order_page = staff.get(
        reverse("dashboard:order-detail", kwargs={"number": order.number})
    )
    assert "-50.00" in order_page.content.decode().replace("¥", "").replace("CN", "")


def test_a_refund_only_request_is_refunded_when_approved(client, demo_user, received):
    order, shopper, mugs, plates = received
    record = StockRecord.objects.get(pk=plates.stockrecord_id)
    in_stock = record.num_in_stock
    client.force_login(shopper)
    _ask(
        client,
        order,
        {**_return_one(plates), "kind": "refund", "reason": "missing_parts"},
    )
    after_sales = AfterSalesRequest.objects.get()
    client.force_login(demo_user("merchandiser"))

    client.post(
        reverse("dashboard:aftersales-detail", kwargs={"pk": after_sales.pk}),
        {"action": "approve", "message": "Keep it"},
    )

    after_sales.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.REFUNDED
    assert _refunded_in_gateway(order) == 3000
    plates.refresh_from_db()
    assert plates.status == statuses.REFUNDED  # its only unit
    record.refresh_from_db()
    assert record.num_in_stock == in_stock  # the shopper kept it


def test_a_rejection_says_why_and_the_shopper_may_ask_again(
    client, demo_user, received, django_capture_on_commit_callbacks, mailoutbox
):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)
    _ask(client, order, _return_one(mugs))
    after_sales = AfterSalesRequest.objects.get()
    staff = type(client)()
    staff.force_login(demo_user("merchandiser"))
    detail = reverse("dashboard:aftersales-detail", kwargs={"pk": after_sales.pk})

    assert staff.post(detail, {"action": "reject", "message": ""}).status_code == 400
    after_sales.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.REQUESTED
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(detail, {"action": "reject", "message": "Used items can't go back"})

    after_sales.refresh_from_db()
    mugs.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.REJECTED
    assert mugs.status == statuses.RETURN_REJECTED
    (mail,) = mailoutbox
    assert "Used items can't go back" in mail.body
    assert _refunded_in_gateway(order) == 0
    again = _ask(client, order, _return_one(mugs))
    assert again.status_code == 302
    assert AfterSalesRequest.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "swap"},
        {"reason": "because"},
        {"reason": ""},
        {"quantity": "0"},
        {"quantity": "3"},
        {"quantity": "two"},
        {"tick": ""},
        {"description": "x" * 501},
    ],
    ids=lambda change: "-".join(f"{k}={v[:6]}" for k, v in change.items()),
)
def test_bad_requests_are_a_400_and_change_nothing(client, received, change):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)
    data = _return_one(mugs)
    if "quantity" in change:
        data[f"quantity_{mugs.pk}"] = change.pop("quantity")
    if "tick" in change:
        data.pop(f"line_{mugs.pk}")
        change.pop("tick")
    data.update(change)

    response = _ask(client, order, data)

    assert response.status_code == 400
    assert not AfterSalesRequest.objects.exists()
    mugs.refresh_from_db()
    assert mugs.status == statuses.COMPLETED


@pytest.mark.parametrize(
    "photos",
    [
        [_photo(f"p{n}.png") for n in range(4)],
        [SimpleUploadedFile("note.png", b"not an image", content_type="image/png")],
        [_photo("anim.gif", fmt="GIF")],
    ],
    ids=["four-photos", "not-an-image", "gif"],
)
def test_bad_photos_are_a_400_and_nothing_is_stored(client, received, photos):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)

    response = _ask(client, order, _return_one(mugs), photos=photos)

    assert response.status_code == 400
    assert not AfterSalesRequest.objects.exists()
    assert not AfterSalesPhoto.objects.exists()


def test_after_the_return_window_nothing_can_be_asked(client, received, settings):
    order, shopper, mugs, _plates = received
    settings.RETURN_WINDOW_DAYS = 7
    ShippingEvent.objects.filter(order=order, event_type__name="Delivered").update(
        date_created=timezone.now() - timedelta(days=8)
    )
    client.force_login(shopper)

    page = client.get(aftersales_entry_url(mugs))
    response = _ask(client, order, _return_one(mugs))

    assert "data-aftersales-closed" in page.content.decode()
    assert response.status_code == 400
    assert not AfterSalesRequest.objects.exists()
    assert line_after_sales(mugs)["url"] == ""


def test_another_shopper_gets_404_for_the_order_request_photo_and_actions(
    client, received
):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)
    _ask(client, order, _return_one(mugs), photos=[_photo()])
    after_sales = AfterSalesRequest.objects.get()
    photo = after_sales.photos.get()
    AfterSalesRequest.objects.filter(pk=after_sales.pk).update(
        status=AfterSalesRequest.APPROVED
    )
    urls = {
        "create": reverse("aftersales:create", kwargs={"order_number": order.number}),
        "detail": reverse("aftersales:detail", kwargs={"pk": after_sales.pk}),
        "photo": reverse(
            "aftersales:photo", kwargs={"pk": after_sales.pk, "photo_pk": photo.pk}
        ),
        "return": reverse("aftersales:return-shipment", kwargs={"pk": after_sales.pk}),
    }
    client.force_login(UserFactory())

    assert client.get(urls["create"]).status_code == 404
    assert _ask(client, order, _return_one(mugs)).status_code == 404
    assert client.get(urls["detail"]).status_code == 404
    assert client.get(urls["photo"]).status_code == 404
    sent = client.post(
        urls["return"],
        {"carrier": Carrier.objects.get(code="sf").pk, "tracking_number": "SF1111"},
    )
    assert sent.status_code == 404
    assert (
        str(order.number) not in client.get(reverse("aftersales:list")).content.decode()
    )
    client.logout()
    assert client.get(urls["photo"]).status_code == 404
    assert client.get(urls["detail"]).status_code == 302  # to sign in
    after_sales.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.APPROVED
    assert AfterSalesRequest.objects.count() == 1
    assert not after_sales.return_tracking_number


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "explode"},
        {"action": "receive"},  # a return not yet approved
        {"action": "approve", "message": "x" * 1001},
    ],
    ids=["no-action", "unknown", "receive-too-early", "long-message"],
)
def test_bad_dashboard_decisions_are_a_400_and_change_nothing(
    client, demo_user, received, data
):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)
    _ask(client, order, _return_one(mugs))
    after_sales = AfterSalesRequest.objects.get()
    client.force_login(demo_user("merchandiser"))

    response = client.post(
        reverse("dashboard:aftersales-detail", kwargs={"pk": after_sales.pk}), data
    )

    assert response.status_code == 400
    after_sales.refresh_from_db()
    assert after_sales.status == AfterSalesRequest.REQUESTED
    assert after_sales.events.count() == 1
    assert _refunded_in_gateway(order) == 0


def test_a_bad_return_tracking_number_is_a_400(client, demo_user, received):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)
    _ask(client, order, _return_one(mugs))
    after_sales = AfterSalesRequest.objects.get()
    url = reverse("aftersales:return-shipment", kwargs={"pk": after_sales.pk})
    sf = Carrier.objects.get(code="sf").pk

    too_early = client.post(url, {"carrier": sf, "tracking_number": "SF1234"})
    AfterSalesRequest.objects.filter(pk=after_sales.pk).update(
        status=AfterSalesRequest.APPROVED
    )
    bad_number = client.post(url, {"carrier": sf, "tracking_number": "no!"})
    no_carrier = client.post(url, {"carrier": "9999", "tracking_number": "SF1234"})

    assert [r.status_code for r in (too_early, bad_number, no_carrier)] == [400] * 3
    after_sales.refresh_from_db()
    assert not after_sales.return_tracking_number


def test_a_photo_is_named_and_served_as_the_picture_it_is(client, received):
    order, shopper, mugs, _plates = received
    client.force_login(shopper)
    mislabelled = _photo("look.PNG", fmt="JPEG")  # a JPEG calling itself a PNG
    disguised = _photo("look.html", fmt="JPEG")

    refused = _ask(client, order, _return_one(mugs), photos=[disguised])
    _ask(client, order, _return_one(mugs), photos=[mislabelled])

    assert refused.status_code == 400

    photo = AfterSalesPhoto.objects.get()
    assert photo.image.name.endswith(".jpg")
    shown = client.get(
        reverse(
            "aftersales:photo",
            kwargs={"pk": photo.request_id, "photo_pk": photo.pk},
        )
    )
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff"


def test_hostile_input_to_every_after_sales_form_is_never_a_500(demo_user, received):
    from tests.test_hostile_input import Prober

    order, shopper, mugs, plates = received
    shopper_probe, staff_probe = Prober(), Prober()
    shopper_probe.client.force_login(shopper)
    staff_probe.client.force_login(demo_user("merchandiser"))
    create = reverse("aftersales:create", kwargs={"order_number": order.number})
    ask = _return_one(mugs)
    shopper_probe.each("POST", create, [*ask, f"line_{plates.pk}"], base=ask)
    shopper_probe.each("GET", create, ["line"])
    # Hostile text is a fine description: at most one request was made (the line
    # is then in after-sales, and every later one is refused).
    assert AfterSalesRequest.objects.count() <= 1
    if not AfterSalesRequest.objects.exists():
        shopper_probe.request("POST", create, ask)
    after_sales = AfterSalesRequest.objects.get()
    # The other fields stay invalid, so no probe is a decision.
    staff_probe.each(
        "POST",
        reverse("dashboard:aftersales-detail", kwargs={"pk": after_sales.pk}),
        ["action", "message", "restock"],
        base={"action": "explode", "message": "no"},
    )
    AfterSalesRequest.objects.filter(pk=after_sales.pk).update(
        status=AfterSalesRequest.APPROVED
    )
    send_back = reverse("aftersales:return-shipment", kwargs={"pk": after_sales.pk})
    shopper_probe.each("POST", send_back, ["carrier"], base={"tracking_number": "x"})
    shopper_probe.each("POST", send_back, ["tracking_number"], base={"carrier": "0"})
    staff_probe.each("GET", reverse("dashboard:aftersales-list"), ["status"])

    shopper_probe.assert_no_server_errors()
    staff_probe.assert_no_server_errors()
    after_sales.refresh_from_db()
    assert after_sales.events.count() == 1
    assert not after_sales.return_tracking_number
