"""The offer a campaign page owns (its campaign discount) follows the page.

A page owns only the offer it created (home.models.CampaignOffer); a linked offer
(CampaignPage.offer) is the merchandiser's and is never written here. Wagtail tells
us about a page's schedule through signals, not hooks, when it matters most:
scheduled go-live and expiry happen in a Celery task, and unscheduling is a revision
save. So `campaign_offer_follow_page` runs on each of those (wagtail_hooks.py) and
sets the owned offer from the page's state, whatever the path that changed it:

- live: runs from the page's go-live (or at once) to its expiry;
- scheduled: runs over the scheduled revision's go-live and expiry;
- a draft, unscheduled, unpublished or expired page: suspended.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from oscar.core.loading import get_model

from .models import CampaignOffer, CampaignPage

ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")

_BENEFIT_TYPES = {
    CampaignPage.PERCENTAGE: Benefit.PERCENTAGE,
    CampaignPage.AMOUNT: Benefit.FIXED_UNIT,
}


@dataclass(frozen=True)
class Plan:
    """What the owned offer should be: its terms come from `source` (the live page or
    the scheduled revision); `running` False means suspended."""

    source: CampaignPage
    running: bool
    start: datetime | None = None
    end: datetime | None = None


def _plan(page: CampaignPage) -> Plan:
    scheduled = (
        page.revisions.filter(approved_go_live_at__isnull=False)
        .order_by("-created_at")
        .first()
    )
    if page.live and not page.expired:
        return Plan(page, True, page.go_live_at, page.expire_at)
    if scheduled is not None:
        version = scheduled.as_object()
        return Plan(version, True, scheduled.approved_go_live_at, version.expire_at)
    return Plan(page, False)


def campaign_offer_follow_page(*, page: CampaignPage) -> ConditionalOffer | None:
    """Create, update or suspend the offer `page` owns so it matches the page's
    schedule and campaign discount. Touches no other offer. Returns the owned
    offer, if any."""
    page = CampaignPage.objects.get(pk=page.pk)  # the row as committed, not a form
    link = CampaignOffer.objects.filter(page=page).select_related("offer").first()
    if link is None and (shared := _translations_offer(page)) is not None:
        return shared
    plan = _plan(page)
    wants_discount = bool(
        plan.source.discount_kind
        and plan.source.discount_value
        and plan.source.discount_range_id
    )
    if link is None and not (plan.running and wants_discount):
        return None
    with transaction.atomic():
        if link is None:
            offer = _create_offer(page, plan)
            CampaignOffer.objects.create(page=page, offer=offer)
            return offer
        offer = ConditionalOffer.objects.select_for_update().get(pk=link.offer_id)
        running = plan.running and wants_discount
        status = ConditionalOffer.OPEN if running else ConditionalOffer.SUSPENDED
        fields = {"status": status}
        if wants_discount:
            _set_terms(offer, plan.source)
            fields["name"] = _offer_name(plan.source)
        if running:
            fields |= {"start_datetime": plan.start, "end_datetime": plan.end}
        if any(getattr(offer, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(offer, name, value)
            offer.save()
        return offer


def _translations_offer(page: CampaignPage) -> ConditionalOffer | None:
    """The offer another language's version of `page` owns. A campaign is one
    campaign in every language: its translations (which copy the discount fields)
    share that offer rather than create a second discount on the same products,
    and only the version that created it moves its dates."""
    link = (
        CampaignOffer.objects.filter(page__translation_key=page.translation_key)
        .exclude(page=page)
        .select_related("offer")
        .first()
    )
    return link.offer if link is not None else None


def _offer_name(page: CampaignPage) -> str:
    return f"{page.title} (campaign #{page.pk})"


def _create_offer(page: CampaignPage, plan: Plan) -> ConditionalOffer:
    source = plan.source
    condition = Condition.objects.create(
        range=source.discount_range, type=Condition.COUNT, value=1
    )
    benefit = Benefit.objects.create(
        range=source.discount_range,
        type=_BENEFIT_TYPES[source.discount_kind],
        value=source.discount_value,
    )
    return ConditionalOffer.objects.create(
        name=_offer_name(source),
        description=source.intro,
        offer_type=ConditionalOffer.SITE,
        condition=condition,
        benefit=benefit,
        start_datetime=plan.start,
        end_datetime=plan.end,
        status=ConditionalOffer.OPEN,
    )


def _set_terms(offer: ConditionalOffer, source: CampaignPage) -> None:
    """Edits the owned offer's condition and benefit in place (they are its own:
    created with it, shared with no other offer)."""
    condition, benefit = offer.condition, offer.benefit
    if condition.range_id != source.discount_range_id:
        condition.range_id = source.discount_range_id
        condition.save()
    new_type = _BENEFIT_TYPES[source.discount_kind]
    if (benefit.range_id, benefit.type, benefit.value) != (
        source.discount_range_id,
        new_type,
        source.discount_value,
    ):
        benefit.range_id = source.discount_range_id
        benefit.type = new_type
        benefit.value = source.discount_value
        benefit.save()


# Signals, because scheduled go-live and expiry run in a Celery task with no admin
# hook, and (un)scheduling is only a revision's approved_go_live_at being saved.
def _owned_offer_follows_publishing(sender, instance, **kwargs):
    if isinstance(instance, CampaignPage):
        campaign_offer_follow_page(page=instance)


def _owned_offer_follows_schedule(sender, instance, update_fields=None, **kwargs):
    if kwargs.get("raw") or (
        update_fields is not None and "approved_go_live_at" not in update_fields
    ):
        return
    if instance.approved_go_live_at is None and update_fields is None:
        return  # a plain new revision (a draft save): nothing scheduled or not
    if issubclass(instance.content_type.model_class() or object, CampaignPage):
        campaign_offer_follow_page(page=CampaignPage(pk=int(instance.object_id)))


def _owned_offer_stops_with_its_page(sender, instance, **kwargs):
    """A deleted campaign takes its discount with it; the offer's history stays."""
    offer = instance.offer
    if not offer.is_suspended:
        offer.suspend()


def connect() -> None:
    from django.db.models.signals import post_save, pre_delete
    from wagtail.models import Revision
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(
        _owned_offer_follows_publishing, dispatch_uid="home:campaign_offer_published"
    )
    page_unpublished.connect(
        _owned_offer_follows_publishing, dispatch_uid="home:campaign_offer_unpublished"
    )
    post_save.connect(
        _owned_offer_follows_schedule,
        sender=Revision,
        dispatch_uid="home:campaign_offer_scheduled",
    )
    pre_delete.connect(
        _owned_offer_stops_with_its_page,
        sender=CampaignOffer,
        dispatch_uid="home:campaign_offer_deleted",
    )
