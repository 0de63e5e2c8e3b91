from wagtail import hooks

from .models import CampaignPage
from .services import campaign_sync_offer_window
from .viewsets import ALL_CHOOSERS


@hooks.register("register_admin_viewset")
def register_choosers():
    return ALL_CHOOSERS


@hooks.register("after_publish_page")
def run_linked_offer_with_the_campaign(request, page):
    if isinstance(page.specific, CampaignPage):
        campaign_sync_offer_window(page=page.specific)
