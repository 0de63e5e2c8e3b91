"""Reads of Oscar offers by time, for showing a moment other than now (previews)."""

from datetime import datetime

from django.db.models import Q
from oscar.core.loading import get_model

ConditionalOffer = get_model("offer", "ConditionalOffer")


def site_offers_at(when: datetime) -> list:
    """The site offers Oscar would apply at `when` (its active manager, at another
    moment than now)."""
    return list(
        ConditionalOffer.objects.filter(
            Q(start_datetime__lte=when) | Q(start_datetime=None),
            Q(end_datetime__gte=when) | Q(end_datetime=None),
            offer_type=ConditionalOffer.SITE,
            status=ConditionalOffer.OPEN,
        ).select_related("condition", "benefit")
    )
