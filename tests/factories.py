"""Builders for pages the tests compose, on top of the seeded demo mall."""

from wagtail.models import Page

from home.models import CampaignIndexPage, CampaignPage


def product_grid(products, *, when_unavailable="sold_out", heading="Picks"):
    return (
        "product_grid",
        {
            "heading": heading,
            "source": "picked",
            "products": list(products),
            "category": None,
            "product_range": None,
            "sort": "newest",
            "limit": 8,
            "when_unavailable": when_unavailable,
        },
    )


def campaign(*, slug="test-campaign", body=(), publish=True, **fields) -> CampaignPage:
    index = CampaignIndexPage.objects.get()
    page = CampaignPage(
        title=fields.pop("title", "Test campaign"),
        slug=slug,
        body=list(body),
        live=publish,
        **fields,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return Page.objects.get(pk=page.pk).specific
