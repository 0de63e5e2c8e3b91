"""What an offer or voucher is doing now, in the words editors and merchandisers use:
running, scheduled, ended, suspended or used up. Oscar's own checks answer yes or no;
these say which, and why."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

RUNNING, SCHEDULED, ENDED, SUSPENDED, USED_UP = (
    "running",
    "scheduled",
    "ended",
    "suspended",
    "used_up",
)
STATUS_LABELS = {
    RUNNING: _("running"),
    SCHEDULED: _("scheduled"),
    ENDED: _("ended"),
    SUSPENDED: _("suspended"),
    USED_UP: _("used up"),
}


@dataclass(frozen=True)
class Status:
    code: str

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.code])

    @property
    def is_running(self) -> bool:
        return self.code == RUNNING

    def __str__(self):
        return self.label


def _window_status(start, end, now) -> str | None:
    if start and start > now:
        return SCHEDULED
    if end and end < now:
        return ENDED
    return None


def offer_is_used_up(offer) -> bool:
    """No shopper can get it any more: its global application limit or its
    discount budget is spent."""
    if offer.max_global_applications and (
        offer.num_applications >= offer.max_global_applications
    ):
        return True
    return bool(offer.max_discount and offer.total_discount >= offer.max_discount)


def offer_status(offer, *, now: datetime | None = None) -> Status:
    now = now or timezone.now()
    if offer.is_suspended:
        return Status(SUSPENDED)
    if window := _window_status(offer.start_datetime, offer.end_datetime, now):
        return Status(window)
    if offer_is_used_up(offer):
        return Status(USED_UP)
    return Status(RUNNING)


def voucher_is_used_up(voucher) -> bool:
    """Nobody can use it again: a single-use voucher already used, or every offer
    behind it used up."""
    Voucher = get_model("voucher", "Voucher")
    if voucher.usage == Voucher.SINGLE_USE and voucher.num_orders > 0:
        return True
    offers = list(voucher.offers.all())
    return bool(offers) and all(offer_is_used_up(offer) for offer in offers)


def voucher_status(voucher, *, now: datetime | None = None) -> Status:
    now = now or timezone.now()
    if window := _window_status(voucher.start_datetime, voucher.end_datetime, now):
        return Status(window)
    if voucher_is_used_up(voucher):
        return Status(USED_UP)
    offers = list(voucher.offers.all())
    if offers and all(offer.is_suspended for offer in offers):
        return Status(SUSPENDED)
    return Status(RUNNING)


def window_text(start, end) -> str:
    """'from … until …' in the site's time zone, as people type dates."""

    def moment(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    if start and end:
        return _("%(start)s to %(end)s") % {"start": moment(start), "end": moment(end)}
    if start:
        return _("from %(start)s") % {"start": moment(start)}
    if end:
        return _("until %(end)s") % {"end": moment(end)}
    return str(_("no end date"))
