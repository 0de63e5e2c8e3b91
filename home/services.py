"""Writes that keep Wagtail content and Oscar commerce in step."""

from .models import CampaignPage


def campaign_sync_offer_window(*, page: CampaignPage) -> bool:
    """Run the campaign's linked offer over the campaign's schedule.

    Only a scheduled page moves the offer: without go-live or expiry dates the
    merchandiser's own offer dates stand. Returns whether the offer changed.
    """
    offer = page.offer
    if offer is None or not (page.go_live_at or page.expire_at):
        return False
    if (offer.start_datetime, offer.end_datetime) == (page.go_live_at, page.expire_at):
        return False
    offer.start_datetime = page.go_live_at
    offer.end_datetime = page.expire_at
    offer.save(update_fields=["start_datetime", "end_datetime"])
    return True
