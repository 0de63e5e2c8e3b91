"""What editors should know about the offers and vouchers on a page: the linked
offer's window against the page's, and promotions that no longer work (not running,
used up, ending before the page, exclusive with each other)."""

from datetime import datetime
from itertools import combinations

from django.utils import timezone
from django.utils.translation import gettext as _

from shop.promotions.health import (
    ENDED,
    RUNNING,
    SCHEDULED,
    offer_status,
    voucher_status,
)


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def linked_offer_warnings(
    *, offer, go_live_at=None, expire_at=None, now: datetime | None = None
) -> list[str]:
    """Why a page linking `offer` over [go_live_at, expire_at] won't show the offer
    running all the time it is live. Linking never changes the offer."""
    if offer is None:
        return []
    now = now or timezone.now()
    starts = max(go_live_at or now, now)
    name = offer.name
    status = offer_status(offer, now=starts)
    if status.code not in (RUNNING, SCHEDULED, ENDED):
        return [
            _("The linked offer “%(name)s” is %(status)s: shoppers get no discount.")
            % {"name": name, "status": status.label}
        ]
    warnings = []
    if offer.end_datetime and offer.end_datetime <= starts:
        warnings.append(
            _(
                "The linked offer “%(name)s” ended on %(end)s, before this page "
                "goes live."
            )
            % {"name": name, "end": _moment(offer.end_datetime)}
        )
        return warnings
    if offer.start_datetime and offer.start_datetime > starts:
        warnings.append(
            _(
                "The linked offer “%(name)s” starts on %(start)s, after this page "
                "goes live (%(live)s)."
            )
            % {
                "name": name,
                "start": _moment(offer.start_datetime),
                "live": _moment(starts),
            }
        )
    if offer.end_datetime and (expire_at is None or offer.end_datetime < expire_at):
        warnings.append(
            _(
                "The linked offer “%(name)s” ends on %(end)s, before this page "
                "does (%(expiry)s)."
            )
            % {
                "name": name,
                "end": _moment(offer.end_datetime),
                "expiry": _moment(expire_at) if expire_at else _("no expiry date"),
            }
        )
    return warnings


def page_promotions(page) -> tuple[list, list]:
    """The offers (linked, owned, in offer banners) and vouchers (voucher blocks) on
    `page`, each once, in page order."""
    offers, vouchers = [], []
    if getattr(page, "offer_id", None):
        offers.append(page.offer)
    owned = _owned_offer(page)
    if owned is not None:
        offers.append(owned)
    for block in getattr(page, "body", None) or []:
        value = block.value
        if block.block_type == "offer_banner" and value.get("offer"):
            offers.append(value["offer"])
        elif block.block_type == "voucher" and value.get("voucher"):
            vouchers.append(value["voucher"])
    return _unique(offers), _unique(vouchers)


def _owned_offer(page):
    if not page.pk:
        return None
    from .models import CampaignOffer

    # Translations of a campaign share the offer whichever version created it.
    link = CampaignOffer.objects.filter(
        page__translation_key=page.translation_key
    ).select_related("offer")
    return link[0].offer if link else None


def _unique(objects: list) -> list:
    return list({obj.pk: obj for obj in objects}.values())


def promotion_issues(*, page, now: datetime | None = None) -> list[str]:
    """Plain-language warnings about the promotions on `page`."""
    now = now or timezone.now()
    offers, vouchers = page_promotions(page)
    page_ends = getattr(page, "expire_at", None)
    issues = []
    for offer in offers:
        status = offer_status(offer, now=now)
        if status.code == SCHEDULED:
            issues.append(
                _("The offer “%(name)s” has not started: it starts on %(start)s.")
                % {"name": offer.name, "start": _moment(offer.start_datetime)}
            )
        elif not status.is_running:
            issues.append(
                _("The offer “%(name)s” is %(status)s.")
                % {"name": offer.name, "status": status.label}
            )
        elif offer.end_datetime and (
            page_ends is None or offer.end_datetime < page_ends
        ):
            issues.append(
                _("The offer “%(name)s” ends on %(end)s, before this page does.")
                % {"name": offer.name, "end": _moment(offer.end_datetime)}
            )
    voucher_offers = []
    for voucher in vouchers:
        status = voucher_status(voucher, now=now)
        if not status.is_running:
            issues.append(
                _(
                    "The voucher %(code)s is %(status)s: its block is hidden from "
                    "shoppers."
                )
                % {"code": voucher.code, "status": status.label}
            )
        elif voucher.end_datetime and (
            page_ends is None or voucher.end_datetime < page_ends
        ):
            issues.append(
                _("The voucher %(code)s ends on %(end)s, before this page does.")
                % {"code": voucher.code, "end": _moment(voucher.end_datetime)}
            )
        voucher_offers.extend((offer, voucher.code) for offer in voucher.offers.all())
    named = [(offer, f"“{offer.name}”") for offer in offers]
    named += [(offer, f"{code} (“{offer.name}”)") for offer, code in voucher_offers]
    for (first, first_name), (second, second_name) in combinations(named, 2):
        if first.pk != second.pk and offers_exclude_each_other(first, second):
            issues.append(
                _(
                    "%(first)s and %(second)s can't be combined: an item gets only "
                    "one of them."
                )
                % {"first": first_name, "second": second_name}
            )
    return issues


def offers_exclude_each_other(first, second) -> bool:
    """Oscar gives a basket line to one offer only when either is exclusive, and
    only matters when some product is in both offers' ranges."""
    if not (first.exclusive or second.exclusive):
        return False
    ranges = [first.benefit.range, second.benefit.range]
    if any(r is None for r in ranges):
        return False
    if any(r.includes_all_products for r in ranges):
        return True
    a, b = ranges
    return a.all_products().filter(pk__in=b.all_products().values("pk")).exists()


def history_url(kind: str, pk: int) -> str:
    """The Wagtail report of one offer's or voucher's changes (promotion_report)."""
    from django.urls import reverse

    return f"{reverse('promotion_changes')}?kind={kind}&object_id={pk}"
