"""Reads of the coupon centre: what a shopper sees of each coupon (can I claim it?),
their wallet (available / used / expired), and whether a voucher is somebody's
personal coupon."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from .models import Coupon, CouponClaim
from .terms import describe

VoucherApplication = get_model("voucher", "VoucherApplication")

CLAIMABLE, CLAIMED, LIMIT_REACHED, SOLD_OUT, NOT_STARTED, ENDED, SIGN_IN = (
    "claimable",
    "claimed",
    "limit_reached",
    "sold_out",
    "not_started",
    "ended",
    "sign_in",
)
AVAILABLE, USED, EXPIRED = "available", "used", "expired"
WALLET_STATES = [
    (AVAILABLE, gettext_lazy("Available")),
    (USED, gettext_lazy("Used")),
    (EXPIRED, gettext_lazy("Expired")),
]


@dataclass(frozen=True)
class ClaimState:
    """What one shopper can do with one coupon now."""

    code: str
    can_claim: bool
    yours: int  # how many of it the shopper has claimed
    left: int  # how many anybody can still claim
    label: str  # the button's or the status line's words

    def as_json(self) -> dict:
        return {
            "state": self.code,
            "can_claim": self.can_claim,
            "yours": self.yours,
            "left": self.left,
            "label": self.label,
        }


def coupons_listed(*, now: datetime | None = None):
    """Coupons shoppers can see in the coupon centre: claimable now or soon (their
    window hasn't closed), soonest-closing first."""
    now = now or timezone.now()
    return (
        Coupon.objects.filter(claim_end__gte=now)
        .exclude(offer__status="Suspended")
        .select_related("offer__condition__range", "offer__benefit__range")
        .order_by("claim_start", "claim_end", "pk")
    )


def claim_states(*, coupons, user, now: datetime | None = None) -> dict:
    """{coupon pk: ClaimState} for `user`: a guest is asked to sign in; None gives
    the state every shopper shares (for cached HTML: window, sold out)."""
    now = now or timezone.now()
    coupons = list(coupons)
    mine = {}
    if user is not None and user.is_authenticated and coupons:
        mine = dict(
            CouponClaim.objects.filter(user=user, coupon__in=coupons)
            .values_list("coupon")
            .annotate(n=Count("pk"))
        )
    return {
        coupon.pk: _state(coupon, user=user, yours=mine.get(coupon.pk, 0), now=now)
        for coupon in coupons
    }


def _state(coupon, *, user, yours: int, now) -> ClaimState:
    left = coupon.remaining
    shared = user is None
    signed_in = not shared and user.is_authenticated

    def state(code, label, can_claim=False):
        return ClaimState(code, can_claim, yours, left, str(label))

    if now < coupon.claim_start:
        start = timezone.localtime(coupon.claim_start).strftime("%m-%d %H:%M")
        return state(NOT_STARTED, _("From %(start)s") % {"start": start})
    if now > coupon.claim_end or coupon.offer.is_suspended:
        return state(ENDED, _("Ended"))
    if coupon.validity_for_claim_at(now)[1] < now:
        return state(ENDED, _("Ended"))
    if signed_in and yours >= coupon.per_shopper_limit:
        return state(CLAIMED if yours == 1 else LIMIT_REACHED, _("Claimed"))
    if left <= 0:
        return state(SOLD_OUT, _("All claimed"))
    if not signed_in and not shared:
        return state(SIGN_IN, _("Sign in to claim"), can_claim=True)
    return state(CLAIMABLE, _("Claim"), can_claim=True)


def coupon_card(coupon, *, currency: str) -> dict:
    """What every shopper sees of a coupon: its terms, validity and how much of it
    is claimed. Shared by the coupon centre page and the block (cacheable)."""
    if coupon.validity == Coupon.FIXED_DATES:
        valid = _("Valid %(start)s – %(end)s") % {
            "start": _day(coupon.valid_from),
            "end": _day(coupon.valid_until),
        }
    else:
        valid = _("Valid for %(days)s days after you claim it") % {
            "days": coupon.valid_days
        }
    total = coupon.total_quantity or 1
    return {
        "coupon": coupon,
        **describe(coupon.offer, currency),
        "valid": valid,
        # Rounded up: the first claim shows as 1%, not 0%.
        "claimed_percent": min(100, math.ceil(100 * coupon.num_claimed / total)),
    }


def block_cards(coupons, *, now: datetime | None = None) -> list[dict]:
    """Cards for the coupon block, in the editor's order, with the state every
    shopper shares; coupons whose claim window has closed are left out."""
    now = now or timezone.now()
    shown = [
        c
        for c in coupons
        if c is not None and c.claim_end >= now and not c.offer.is_suspended
    ]
    states = claim_states(coupons=shown, user=None, now=now)
    currency = settings.OSCAR_DEFAULT_CURRENCY
    return [{**coupon_card(c, currency=currency), "state": states[c.pk]} for c in shown]


# --- The wallet ----------------------------------------------------------------------


@dataclass(frozen=True)
class WalletEntry:
    claim: CouponClaim
    state: str  # AVAILABLE, USED or EXPIRED
    order: object | None  # the order it was used on

    @property
    def coupon(self):
        return self.claim.coupon

    @property
    def voucher(self):
        return self.claim.voucher

    @property
    def terms(self) -> dict:
        """The coupon's terms in shoppers' words (terms.describe)."""
        return describe(self.coupon.offer, settings.OSCAR_DEFAULT_CURRENCY)

    @property
    def not_yet_valid(self) -> bool:
        return self.state == AVAILABLE and self.voucher.start_datetime > timezone.now()


def wallet(*, user, now: datetime | None = None) -> dict[str, list[WalletEntry]]:
    """The shopper's claimed coupons by state: available (soonest to expire first),
    used (the order it went on) and expired."""
    now = now or timezone.now()
    claims = (
        CouponClaim.objects.filter(user=user)
        .select_related(
            "coupon__offer__condition__range",
            "coupon__offer__benefit__range",
            "voucher",
        )
        .prefetch_related(
            Prefetch(
                "voucher__applications",
                queryset=VoucherApplication.objects.select_related("order"),
            )
        )
    )
    found = {AVAILABLE: [], USED: [], EXPIRED: []}
    for claim in claims:
        entry = wallet_entry(claim, now=now)
        found[entry.state].append(entry)
    found[AVAILABLE].sort(key=lambda e: (e.voucher.end_datetime, e.claim.pk))
    return found


def wallet_entry(claim, *, now: datetime | None = None) -> WalletEntry:
    """One claim's state (prefetch `voucher__applications__order` for many)."""
    now = now or timezone.now()
    applications = list(claim.voucher.applications.all())
    if applications:
        return WalletEntry(claim, USED, applications[0].order)
    if claim.voucher.end_datetime < now:
        return WalletEntry(claim, EXPIRED, None)
    return WalletEntry(claim, AVAILABLE, None)


def wallet_state_counts(*, coupon, now: datetime | None = None) -> dict[str, int]:
    """How many of a coupon's claims are available, used and expired."""
    now = now or timezone.now()
    claims = CouponClaim.objects.filter(coupon=coupon)
    used = claims.filter(voucher__applications__isnull=False).distinct().count()
    unused = claims.filter(voucher__applications__isnull=True)
    expired = unused.filter(voucher__end_datetime__lt=now).count()
    return {AVAILABLE: unused.count() - expired, USED: used, EXPIRED: expired}


def usable_claims(*, user, now: datetime | None = None) -> list[CouponClaim]:
    """The shopper's coupons usable now: valid today and not used."""
    if user is None or not user.is_authenticated:
        return []
    now = now or timezone.now()
    return list(
        CouponClaim.objects.filter(
            user=user,
            voucher__start_datetime__lte=now,
            voucher__end_datetime__gte=now,
            voucher__applications__isnull=True,
        )
        .exclude(coupon__offer__status="Suspended")
        .select_related(
            "coupon__offer__condition__range",
            "coupon__offer__benefit__range",
            "voucher",
        )
        .order_by("voucher__end_datetime", "pk")
    )


def personal_voucher_refusal(voucher, *, user) -> str | None:
    """A claimed coupon's voucher is its claimer's alone: anyone else (a guest, or
    another account that got hold of the code) is refused."""
    owner = (
        CouponClaim.objects.filter(voucher_id=voucher.pk)
        .values_list("user_id", flat=True)
        .first()
    )
    if owner is None:
        return None
    if user is not None and user.is_authenticated and user.pk == owner:
        return None
    return _(
        "%(code)s is a coupon in another shopper's wallet: only they can use it."
    ) % {"code": voucher.code}


def _day(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d")
