"""Editors see when a promotion on their page stops working; shoppers never see a
dead voucher or an ended offer."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import (
    ConditionalOfferFactory,
    RangeFactory,
    create_basket,
    create_order,
)

from home.promotion_health import promotion_issues
from tests.factories import campaign

ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
Applicator = get_class("offer.applicator", "Applicator")

pytestmark = pytest.mark.django_db


def _voucher_page(voucher, slug="voucher-page", **fields):
    return campaign(
        slug=slug,
        body=[("voucher", {"voucher": voucher, "text": "Take 10%"})],
        **fields,
    )


def _single_use_voucher(code="ONCEONLY"):
    now = timezone.now()
    offer = ConditionalOfferFactory(
        name=f"{code} offer",
        offer_type=ConditionalOffer.VOUCHER,
        benefit__range=RangeFactory(includes_all_products=True),
        condition__range=RangeFactory(includes_all_products=True),
    )
    voucher = Voucher.objects.create(
        name=f"{code} voucher",
        code=code,
        usage=Voucher.SINGLE_USE,
        start_datetime=now - timedelta(days=1),
        end_datetime=now + timedelta(days=30),
    )
    voucher.offers.add(offer)
    return voucher


def _preview(page):
    return page.get_latest_revision_as_object().make_preview_request().content.decode()


def test_a_used_up_voucher_block_hides_from_shoppers_and_tells_the_editor(client):
    voucher = _single_use_voucher()
    page = _voucher_page(voucher)
    assert "ONCEONLY" in client.get(page.url).content.decode()  # cached now

    basket = create_basket()
    basket.vouchers.add(voucher)
    Applicator().apply(basket)
    create_order(basket=basket, user=AnonymousUser())  # Oscar records its use

    assert "ONCEONLY" not in client.get(page.url).content.decode()
    assert "ONCEONLY is used up, so shoppers don't see this block" in _preview(page)
    assert (
        "The voucher ONCEONLY is used up: its block is hidden from shoppers."
        in promotion_issues(page=page)
    )


def test_an_expired_voucher_and_an_ended_offer_banner_are_hidden(client):
    voucher = _single_use_voucher("LATE")
    voucher.end_datetime = timezone.now() - timedelta(minutes=5)
    voucher.save()
    offer = ConditionalOfferFactory(
        name="Last week's deal", end_datetime=timezone.now() - timedelta(days=1)
    )
    page = campaign(
        slug="ended-things",
        body=[
            ("voucher", {"voucher": voucher, "text": ""}),
            ("offer_banner", {"offer": offer, "image": None, "button_text": "Go"}),
        ],
    )

    html = client.get(page.url).content.decode()
    preview = _preview(page)

    assert "LATE" not in html and "Last week&#x27;s deal" not in html
    assert "LATE is ended" in preview
    assert "the offer “Last week&#x27;s deal” is ended" in preview
    issues = promotion_issues(page=page)
    assert "The offer “Last week's deal” is ended." in issues


def test_the_health_panel_warns_about_offers_ending_early_or_excluding_each_other(
    client, demo_user
):
    everything = RangeFactory(includes_all_products=True)
    ending = ConditionalOfferFactory(
        name="Short deal",
        exclusive=True,
        end_datetime=timezone.now() + timedelta(days=1),
        benefit__range=everything,
    )
    other = ConditionalOfferFactory(
        name="Another deal", exclusive=True, benefit__range=everything
    )
    page = campaign(
        slug="crowded",
        offer=ending,
        expire_at=timezone.now() + timedelta(days=5),
        body=[("offer_banner", {"offer": other, "image": None, "button_text": "Go"})],
    )
    client.force_login(demo_user("editor"))

    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
    html = html.decode()

    assert "data-promotion-health" in html
    assert "The offer “Short deal” ends on" in html
    assert "“Short deal” and “Another deal” can&#x27;t be combined" in html


def test_the_choosers_show_status_window_usage_and_pages(client, demo_user):
    _voucher_page(_single_use_voucher("CHOOSEME"), slug="uses-chooseme")
    client.force_login(demo_user("editor"))

    offers = client.get(reverse("offer_chooser:choose_results"), {"q": "spring"})
    vouchers = client.get(reverse("voucher_chooser:choose_results"), {"q": "CHOOSEME"})

    offers_html = offers.content.decode()
    assert "running" in offers_html
    assert " to 20" in offers_html  # its window, from … to …
    assert "Spring sale" in offers_html  # the demo campaign page using it
    vouchers_html = vouchers.content.decode()
    for shown in ("CHOOSEME", "running", "Can be used once", "Test campaign"):
        assert shown in vouchers_html, shown


def test_every_block_still_renders_for_a_shopper(rf):
    page = _voucher_page(_single_use_voucher("ANON"), slug="anon")
    request = rf.get(page.url)
    request.user = AnonymousUser()
    assert page.body[0].render(context={"request": request})


def test_editors_read_who_changed_an_offer_in_wagtail(client, demo_user):
    offer = ConditionalOfferFactory(name="Logged deal")
    client.force_login(demo_user("merchandiser"))
    client.post(reverse("dashboard:offer-detail", args=[offer.pk]), {"suspend": "1"})
    page = campaign(slug="logged", offer=offer)
    client.force_login(demo_user("editor"))

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    report = client.get(
        reverse("promotion_changes"), {"kind": "offer", "object_id": offer.pk}
    )

    assert f"object_id={offer.pk}" in edit.content.decode()
    html = report.content.decode()
    assert report.status_code == 200
    assert "merchandiser" in html and "Status: Open → Suspended" in html
    assert "Oscar dashboard" in html
