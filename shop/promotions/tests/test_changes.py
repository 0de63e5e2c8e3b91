"""Every change a person makes to an offer or voucher is on record; orders using
them are not changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import ConditionalOfferFactory, VoucherFactory

from shop.promotions.changes import acting_as, history
from shop.promotions.models import PromotionChange

ConditionalOffer = get_model("offer", "ConditionalOffer")

pytestmark = pytest.mark.django_db


def test_suspending_an_offer_in_the_dashboard_records_who_and_what(client, demo_user):
    offer = ConditionalOfferFactory(name="Tea weekend")
    merchandiser = demo_user("merchandiser")
    client.force_login(merchandiser)

    response = client.post(
        reverse("dashboard:offer-detail", args=[offer.pk]), {"suspend": "1"}
    )

    assert response.status_code == 302
    change = history(offer).first()
    assert change.action == PromotionChange.CHANGED
    assert change.user == merchandiser
    assert change.source == PromotionChange.DASHBOARD
    assert change.changes == {"Status": ["Open", "Suspended"]}


def test_editing_a_voucher_in_the_dashboard_records_each_changed_field(
    client, demo_user
):
    start = timezone.now().replace(second=0, microsecond=0)
    voucher = VoucherFactory(
        name="Autumn",
        code="AUTUMN5",
        start_datetime=start,
        end_datetime=start + timedelta(days=30),
    )
    offer = ConditionalOfferFactory(
        name="Autumn 5%", offer_type=ConditionalOffer.VOUCHER
    )
    voucher.offers.add(offer)
    client.force_login(demo_user("merchandiser"))
    end = timezone.localtime(voucher.end_datetime) + timedelta(days=7)

    response = client.post(
        reverse("dashboard:voucher-update", args=[voucher.pk]),
        {
            # The dashboard names a voucher in each language (modeltranslation).
            "name_en": "Autumn",
            "code": "AUTUMN5",
            "start_datetime": timezone.localtime(voucher.start_datetime).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "end_datetime": end.strftime("%Y-%m-%d %H:%M"),
            "usage": voucher.usage,
            "offers": [offer.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    change = history(voucher).first()
    assert change.user.username == "merchandiser"
    assert list(change.changes) == ["End datetime"]
    assert change.changes["End datetime"][1] == end.strftime("%Y-%m-%d %H:%M")


def test_orders_using_an_offer_or_voucher_are_not_changes():
    offer = ConditionalOfferFactory(name="Busy offer")
    voucher = VoucherFactory(code="BUSY")
    before = PromotionChange.objects.count()

    offer.record_usage({"freq": 1, "discount": Decimal("5.00")})
    voucher.num_orders += 1
    voucher.save()

    assert PromotionChange.objects.count() == before


def test_a_change_outside_a_request_is_credited_to_the_system_or_the_caller(
    demo_user,
):
    offer = ConditionalOfferFactory(name="Quiet offer")
    offer.priority = 3
    offer.save()
    editor = demo_user("editor")
    with acting_as(editor, source=PromotionChange.WAGTAIL):
        offer.benefit.value = Decimal("15.00")
        offer.benefit.save()

    by_caller, by_system, created = history(offer)[:3]
    assert (by_system.user, by_system.source) == (None, PromotionChange.SYSTEM)
    assert by_system.changes == {"Priority": ["0", "3"]}
    assert (by_caller.user, by_caller.source) == (editor, PromotionChange.WAGTAIL)
    assert list(by_caller.changes) == ["Benefit: Value"]
    assert created.action == PromotionChange.CREATED


def test_the_dashboard_offer_and_voucher_pages_show_their_history(client, demo_user):
    offer = ConditionalOfferFactory(name="History offer")
    offer.suspend()
    voucher = VoucherFactory(code="HISTORY1")
    voucher.name = "Renamed"
    voucher.save()
    client.force_login(demo_user("merchandiser"))

    offer_page = client.get(reverse("dashboard:offer-detail", args=[offer.pk]))
    voucher_page = client.get(reverse("dashboard:voucher-stats", args=[voucher.pk]))

    offer_html = offer_page.content.decode()
    assert "History" in offer_html and "Suspended" in offer_html
    voucher_html = voucher_page.content.decode()
    assert "History" in voucher_html and "Renamed" in voucher_html
