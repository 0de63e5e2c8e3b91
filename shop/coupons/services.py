"""Writes of the coupon centre: defining a coupon, claiming one, applying a claimed
one to the basket, and giving one back when its order is cancelled or refunded.

Claims queue on the coupon's row lock: the count of claims, the shopper's own count
and the new claim are read and written under it, so a batch of N is claimed exactly
N times and no shopper passes their limit, however many tap at once.

A claim issues an Oscar voucher written with bulk_create (no model signals): issuing
a shopper's personal copy is not a merchandiser's change to audit
(shop/promotions/changes.py) and changes no cached page. The coupon itself, its
offer and its voucher set are saved normally, so their edits are audited.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.voucher.utils import get_unused_code
from oscar.core.loading import get_model

from shop.basket.voucher_reasons import basket_apply_voucher
from shop.fulfilment import statuses

from . import cache
from .models import Coupon, CouponClaim
from .terms import Terms, offer_write

Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")
VoucherApplication = get_model("voucher", "VoucherApplication")
OrderDiscount = get_model("order", "OrderDiscount")

CODE_LENGTH = 12
# Order statuses that mean "this order will not be fulfilled": its coupons come
# back. A whole refund counts too, whatever the status.
VOID_STATUSES = {statuses.CANCELLED, statuses.REFUNDED}


class CouponRefused(Exception):
    """The shopper can't have or use this coupon now; the message says why.
    `code` names the reason for callers answering machines (JSON)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


class CouponNotFound(CouponRefused):
    def __init__(self):
        super().__init__(_("That coupon does not exist."), code="not_found")


# --- Defining a coupon (the dashboard) ----------------------------------------------


@dataclass(frozen=True)
class CouponDefinition:
    name: str
    description: str
    total_quantity: int
    per_shopper_limit: int
    claim_start: datetime
    claim_end: datetime
    validity: str
    valid_from: datetime | None
    valid_until: datetime | None
    valid_days: int | None
    terms: Terms | None  # None: leave the offer's terms as they are


def coupon_save(*, definition: CouponDefinition, coupon: Coupon | None = None):
    """Create or update a coupon with its offer and voucher set. Vouchers already
    claimed keep the dates they were issued with; new terms apply to them too (they
    share the offer)."""
    d = definition
    with transaction.atomic():
        if coupon is not None:
            coupon = Coupon.objects.select_for_update().get(pk=coupon.pk)
        offer_name = offer_name_for(d.name)
        if coupon is None or d.terms is not None:
            offer = offer_write(
                offer=coupon.offer if coupon else None,
                name=offer_name[:128],
                description=d.description,
                terms=d.terms,
            )
        else:
            offer = coupon.offer
        fixed = d.validity == Coupon.FIXED_DATES
        fields = {
            "name": d.name,
            "description": d.description,
            "total_quantity": d.total_quantity,
            "per_shopper_limit": d.per_shopper_limit,
            "claim_start": d.claim_start,
            "claim_end": d.claim_end,
            "validity": d.validity,
            "valid_from": d.valid_from if fixed else None,
            "valid_until": d.valid_until if fixed else None,
            "valid_days": None if fixed else d.valid_days,
        }
        if coupon is None:
            coupon = Coupon(offer=offer, **fields)
            coupon.voucher_set = VoucherSet.objects.create(
                count=0, code_length=CODE_LENGTH, **_set_fields(coupon)
            )
            coupon.save()
        else:
            for field, value in fields.items():
                setattr(coupon, field, value)
            coupon.save()
            VoucherSet.objects.filter(pk=coupon.voucher_set_id).update(
                **_set_fields(coupon)
            )
        cache.coupon_changed(coupon.pk)
        return coupon


def offer_name_for(coupon_name: str) -> str:
    """The coupon's offer's name in Oscar's dashboard (offer names are unique)."""
    return f"Coupon: {coupon_name}"


def _set_fields(coupon) -> dict:
    return {
        "name": f"Coupon: {coupon.name}",
        "description": (
            f"Personal vouchers shoppers claimed from the coupon “{coupon.name}”. "
            "Edit the coupon, not this set."
        ),
        "start_datetime": coupon.claim_start,
        "end_datetime": coupon.last_valid_moment(),
    }


# --- Claiming -------------------------------------------------------------------------


def claim_refusal(*, coupon: Coupon, user, now: datetime) -> CouponRefused | None:
    """Why `user` can't claim `coupon` now (read it under the coupon's lock to act
    on it). Checked in the order a shopper would want to hear it."""
    name = coupon.name
    if user is None or not user.is_authenticated:
        return CouponRefused(
            _("Sign in to claim %(name)s.") % {"name": name}, code="sign_in"
        )
    if now < coupon.claim_start:
        return CouponRefused(
            _("%(name)s can be claimed from %(start)s.")
            % {"name": name, "start": _moment(coupon.claim_start)},
            code="not_started",
        )
    if now > coupon.claim_end or coupon.offer.is_suspended:
        return CouponRefused(
            _("%(name)s can no longer be claimed.") % {"name": name}, code="ended"
        )
    if coupon.validity_for_claim_at(now)[1] < now:
        return CouponRefused(
            _("%(name)s can no longer be claimed.") % {"name": name}, code="ended"
        )
    mine = CouponClaim.objects.filter(coupon=coupon, user=user).count()
    if mine >= coupon.per_shopper_limit:
        return CouponRefused(
            _("You already have %(name)s: it is %(limit)s per shopper.")
            % {"name": name, "limit": coupon.per_shopper_limit},
            code="limit_reached",
        )
    if coupon.num_claimed >= coupon.total_quantity:
        return CouponRefused(
            _("%(name)s has all been claimed.") % {"name": name}, code="sold_out"
        )
    return None


def coupon_claim(*, coupon_id, user, now: datetime | None = None) -> CouponClaim:
    """Put one of the coupon into `user`'s wallet: a personal single-use voucher
    valid for the coupon's validity. Raises CouponNotFound or CouponRefused (nothing
    written)."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        raise CouponRefused(_("Sign in to claim coupons."), code="sign_in")
    with transaction.atomic():
        coupon = (
            Coupon.objects.select_for_update(of=("self",))
            .select_related("offer")
            .filter(pk=coupon_id)
            .first()
        )
        if coupon is None:
            raise CouponNotFound()
        if refusal := claim_refusal(coupon=coupon, user=user, now=now):
            raise refusal
        start, end = coupon.validity_for_claim_at(now)
        code = get_unused_code(length=CODE_LENGTH)
        (voucher,) = Voucher.objects.bulk_create(
            [
                Voucher(
                    name=f"{coupon.name[:100]} · {code}",
                    code=code,
                    usage=Voucher.SINGLE_USE,
                    start_datetime=start,
                    end_datetime=end,
                    voucher_set_id=coupon.voucher_set_id,
                )
            ]
        )
        if voucher.pk is None:  # backends that don't return ids from bulk inserts
            voucher = Voucher.objects.get(code=code)
        Voucher.offers.through.objects.bulk_create(
            [Voucher.offers.through(voucher=voucher, conditionaloffer=coupon.offer)]
        )
        claim = CouponClaim.objects.create(
            coupon=coupon, user=user, voucher=voucher, claimed_at=now
        )
        Coupon.objects.filter(pk=coupon.pk).update(num_claimed=F("num_claimed") + 1)
        VoucherSet.objects.filter(pk=coupon.voucher_set_id).update(count=F("count") + 1)
        cache.coupon_claimed(coupon.pk)
        if coupon.num_claimed + 1 >= coupon.total_quantity:
            cache.coupon_changed(coupon.pk)  # sold out: every page says so at once
        return claim


# --- Using one -----------------------------------------------------------------------


def claim_for(*, claim_id, user) -> CouponClaim:
    """One of `user`'s own claims; CouponNotFound for anyone else's."""
    if user is None or not user.is_authenticated:
        raise CouponNotFound()
    claim = (
        CouponClaim.objects.select_related("coupon", "voucher")
        .filter(pk=claim_id, user=user)
        .first()
    )
    if claim is None:
        raise CouponNotFound()
    return claim


@dataclass(frozen=True)
class Applied:
    applied: bool  # newly added to the basket
    message: str
    voucher: object


def claim_apply_to_basket(*, claim_id, user, basket, request=None) -> Applied:
    """Add the claimed coupon's voucher to the basket, through the basket's own
    voucher path (its checks and plain-words refusals); the basket is left as it was
    when it gives nothing. Raises CouponNotFound for a claim that isn't the
    shopper's."""
    claim = claim_for(claim_id=claim_id, user=user)
    voucher, name = claim.voucher, claim.coupon.name
    if not basket.id or basket.is_empty:
        message = _("Add something to your basket first, then use %(name)s.")
        return Applied(False, message % {"name": name}, voucher)
    if basket.vouchers.filter(pk=voucher.pk).exists():
        message = _("%(name)s is already applied to your basket.")
        return Applied(False, message % {"name": name}, voucher)
    result = basket_apply_voucher(
        basket=basket, voucher=voucher, user=user, request=request
    )
    # The basket's messages name the voucher by its code; the shopper knows this
    # one by the coupon's name (the code is random and unique, so this is exact).
    message = result.message.replace(voucher.code, f"“{name}”")
    return Applied(result.applied, message, voucher)


# --- Giving back ---------------------------------------------------------------------


def order_is_void(order) -> bool:
    """Cancelled, or every payment refunded in full."""
    if order.status in VOID_STATUSES:
        return True
    paid = refunded = Decimal(0)
    for source in order.sources.all():
        paid += source.amount_debited
        refunded += source.amount_refunded
    return paid > 0 and refunded >= paid


def restore_for_order(order, *, now: datetime | None = None) -> list[CouponClaim]:
    """Give back the claimed coupons `order` used, when the order is cancelled or
    refunded in full and the coupon is still valid: Oscar's record of the use is
    reversed (the voucher's application and counters), so the wallet shows it
    available and checkout accepts it again. Expired ones stay used. Safe to call
    more than once, and by anything that cancels or refunds an order (the order
    status signal and full refunds call it; see apps.py and shop/checkout/refunds.py).
    Returns the claims given back."""
    now = now or timezone.now()
    if not order_is_void(order):
        return []
    restored = []
    with transaction.atomic():
        applications = (
            VoucherApplication.objects.select_for_update(of=("self",))
            .filter(order=order, voucher__coupon_claim__isnull=False)
            .select_related("voucher__coupon_claim")
            .order_by("voucher_id")
        )
        for application in applications:
            voucher = application.voucher
            if voucher.end_datetime < now:
                continue
            discount = (
                OrderDiscount.objects.filter(
                    order=order, voucher_id=voucher.pk
                ).aggregate(total=Sum("amount"))["total"]
                or 0
            )
            application.delete()
            Voucher.objects.filter(pk=voucher.pk, num_orders__gt=0).update(
                num_orders=F("num_orders") - 1
            )
            Voucher.objects.filter(pk=voucher.pk, total_discount__gte=discount).update(
                total_discount=F("total_discount") - discount
            )
            restored.append(voucher.coupon_claim)
    return restored


def restore_on_status_change(sender, order, old_status, new_status, **kwargs):
    """Oscar's order_status_changed: an order moved to a void status gives its
    coupons back (whoever changed it: the dashboard, the cancel service)."""
    if new_status in VOID_STATUSES:
        restore_for_order(order)


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
