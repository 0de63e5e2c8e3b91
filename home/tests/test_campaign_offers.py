"""A campaign never changes an offer it doesn't own: a linked offer is read-only
(the editor is warned and must confirm), a campaign discount is the page's own
offer and follows its schedule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import CampaignIndexPage, CampaignOffer, CampaignPage
from shop.promotions.changes import history
from shop.promotions.models import PromotionChange

ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")

pytestmark = pytest.mark.django_db

SPRING_SALE = "Spring sale: 20% off spring picks"


def _typed(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _form(slug, **fields):
    data = {
        "title": f"Campaign {slug}",
        "slug": slug,
        "intro": "A week of deals",
        "theme_colour": "#0055aa",
        "hero_image": "",
        "offer": "",
        "discount_kind": "",
        "discount_value": "",
        "discount_range": "",
        "body": streamfield([]),
        "go_live_at": "",
        "expire_at": "",
        "action-publish": "publish",
    }
    data.update(fields)
    return nested_form_data(data)


def _create(client, slug, **fields):
    index = CampaignIndexPage.objects.get(locale__language_code="en")
    url = reverse("wagtailadmin_pages:add", args=("home", "campaignpage", index.pk))
    return client.post(url, _form(slug, **fields))


def _window(offer):
    offer.refresh_from_db()
    return offer.status, offer.start_datetime, offer.end_datetime


@pytest.fixture
def editor(client, demo_user):
    client.force_login(demo_user("editor"))
    return client


def test_linking_the_running_sale_to_a_campaign_scheduled_next_week_leaves_it_alone(
    editor,
):
    sale = ConditionalOffer.objects.get(name=SPRING_SALE)
    before = _window(sale)
    changes_before = history(sale).count()
    go_live = timezone.now() + timedelta(days=7)
    schedule = {
        "offer": str(sale.pk),
        "go_live_at": _typed(go_live),
        "expire_at": _typed(go_live + timedelta(days=14)),
    }

    refused = _create(editor, "next-week", **schedule)

    # Warned before publishing: the sale ends before the page does, nothing saved.
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "ends on" in html and "before this page" in html
    assert "never changes the linked offer" in html
    assert not CampaignPage.objects.filter(slug="next-week").exists()

    published = _create(editor, "next-week", confirm_linked_offer="on", **schedule)

    assert published.status_code == 302
    page = CampaignPage.objects.get(slug="next-week")
    assert page.offer == sale and not page.live  # scheduled
    assert _window(sale) == before
    assert history(sale).count() == changes_before
    assert not CampaignOffer.objects.filter(page=page).exists()

    # Unscheduling and unpublishing leave it as it was too.
    revision = page.revisions.get(approved_go_live_at__isnull=False)
    editor.post(
        reverse("wagtailadmin_pages:revisions_unschedule", args=[page.pk, revision.pk])
    )
    assert _window(sale) == before


def test_a_linked_offer_that_covers_the_page_publishes_without_a_question(editor):
    sale = ConditionalOffer.objects.get(name=SPRING_SALE)

    response = _create(
        editor,
        "inside-the-sale",
        offer=str(sale.pk),
        expire_at=_typed(sale.end_datetime - timedelta(days=1)),
    )

    assert response.status_code == 302
    assert CampaignPage.objects.get(slug="inside-the-sale").live


def test_a_campaign_discount_follows_the_page_and_touches_no_other_offer(
    editor, demo_user
):
    spring = Range.objects.get(name="Spring picks")
    others = {offer.pk: _window(offer) for offer in ConditionalOffer.objects.all()}
    go_live = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    expire = go_live + timedelta(days=2)

    response = _create(
        editor,
        "own-discount",
        discount_kind="percentage",
        discount_value="15",
        discount_range=str(spring.pk),
        go_live_at=_typed(go_live),
        expire_at=_typed(expire),
    )

    assert response.status_code == 302
    page = CampaignPage.objects.get(slug="own-discount")
    owned = page.owned_offer.offer
    assert _window(owned) == (ConditionalOffer.OPEN, go_live, expire)
    assert owned.benefit.value == Decimal("15.00")
    assert owned.benefit.range == spring
    created = history(owned).last()
    assert created.action == PromotionChange.CREATED
    assert created.user == demo_user("editor")
    assert created.source == PromotionChange.WAGTAIL

    # Unscheduled: the discount must not start.
    revision = page.revisions.get(approved_go_live_at__isnull=False)
    editor.post(
        reverse("wagtailadmin_pages:revisions_unschedule", args=[page.pk, revision.pk])
    )
    assert _window(owned)[0] == ConditionalOffer.SUSPENDED

    # Published now, until the same expiry: runs now.
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = editor.post(
        edit,
        _form(
            "own-discount",
            discount_kind="percentage",
            discount_value="15",
            discount_range=str(spring.pk),
            expire_at=_typed(expire),
        ),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    status, start, end = _window(owned)
    assert (status, start, end) == (ConditionalOffer.OPEN, None, expire)

    # Unpublished: suspended again.
    editor.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert _window(owned)[0] == ConditionalOffer.SUSPENDED
    assert CampaignOffer.objects.filter(offer=owned).count() == 1  # never a second

    for offer in ConditionalOffer.objects.exclude(pk=owned.pk):
        assert _window(offer) == others[offer.pk], offer.name


def test_a_campaign_discount_needs_a_value_and_products(editor):
    response = _create(editor, "half-done", discount_kind="amount")

    assert response.status_code == 200
    html = response.content.decode()
    assert "How much is the discount?" in html
    assert "Which products does it apply to?" in html
    assert not CampaignPage.objects.filter(slug="half-done").exists()
