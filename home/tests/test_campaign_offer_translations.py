"""A campaign's discount is one offer in every language: translations share it."""

import pytest
from oscar.core.loading import get_model
from wagtail.models import Locale

from home.models import CampaignIndexPage, CampaignOffer, CampaignPage

ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")

pytestmark = pytest.mark.django_db


def test_a_translated_campaign_shares_the_originals_discount_and_leaves_it_alone():
    index = CampaignIndexPage.objects.get(locale__language_code="en")
    original = CampaignPage(
        title="Tea week",
        slug="tea-week",
        discount_kind=CampaignPage.PERCENTAGE,
        discount_value=10,
        discount_range=Range.objects.get(name="Spring picks"),
    )
    index.add_child(instance=original)
    original.save_revision().publish()
    offer = original.owned_offer.offer
    offers = ConditionalOffer.objects.count()

    chinese = original.copy_for_translation(Locale.objects.get(language_code="zh-hans"))
    chinese.title = "茶叶周"
    chinese.save_revision().publish()

    assert ConditionalOffer.objects.count() == offers
    owners = CampaignOffer.objects.filter(page__translation_key=chinese.translation_key)
    assert [link.page_id for link in owners] == [original.pk]
    # Unpublishing the translation doesn't stop the campaign's discount.
    CampaignPage.objects.get(pk=chinese.pk).unpublish()
    offer.refresh_from_db()
    assert offer.status == ConditionalOffer.OPEN
    assert offer.name.startswith("Tea week")
