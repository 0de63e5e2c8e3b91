"""Dates typed into the offer wizard save, or are refused with a form error."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.test.factories import ConditionalOfferFactory

pytestmark = pytest.mark.django_db


def _restrictions(client, demo_user, **dates):
    offer = ConditionalOfferFactory(name="Typed dates")
    client.force_login(demo_user("merchandiser"))
    url = reverse("dashboard:offer-restrictions", args=[offer.pk])
    response = client.post(url, {"priority": "0", "exclusive": "on", **dates})
    offer.refresh_from_db()
    return response, offer


def test_a_date_typed_in_the_sites_format_saves(client, demo_user):
    response, offer = _restrictions(
        client,
        demo_user,
        start_datetime="2026-11-30 00:00",
        end_datetime="2026-12-14 18:30",
    )

    assert response.status_code == 302
    zone = timezone.get_current_timezone()
    assert offer.start_datetime == datetime(2026, 11, 30, 0, 0, tzinfo=zone)
    assert offer.end_datetime == datetime(2026, 12, 14, 18, 30, tzinfo=zone)


@pytest.mark.parametrize(
    "typed", ["2026-11-30 00:00:ss", "30/11/2026", "next tuesday", "2026-13-40 25:00"]
)
def test_a_date_that_does_not_parse_is_a_form_error_not_a_500(client, demo_user, typed):
    response, offer = _restrictions(
        client, demo_user, start_datetime="2026-11-30 00:00", end_datetime=typed
    )

    assert response.status_code == 200
    assert "Enter a date and time like 2026-11-30 18:00." in response.content.decode()
    assert offer.end_datetime is None


def test_the_date_picker_asks_for_what_people_type(client, demo_user):
    offer = ConditionalOfferFactory(name="Mask")
    client.force_login(demo_user("merchandiser"))

    html = client.get(
        reverse("dashboard:offer-restrictions", args=[offer.pk])
    ).content.decode()

    assert "yyyy-mm-dd HH:MM&#x27;" in html
