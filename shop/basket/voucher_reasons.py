"""Applying a voucher to a basket, and when it gives nothing, saying why in plain
words: not started or expired, used up, signed-in customers only, already used by
you, nothing in the basket it covers, spend more, or kept off by a running offer
that can't be combined with it.

Oscar's VoucherAddView decides the same things but says "not available" or "does
not qualify"; its checks are reused here (its offer engine applies the voucher),
only the explanation is ours."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from shop.coupons.selectors import personal_voucher_refusal
from shop.promotions.health import offer_is_used_up

Applicator = get_class("offer.applicator", "Applicator")
Condition = get_model("offer", "Condition")
OrderDiscount = get_model("order", "OrderDiscount")
Voucher = get_model("voucher", "Voucher")


@dataclass(frozen=True)
class VoucherResult:
    applied: bool
    message: str


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def voucher_refusal(*, voucher, user, now: datetime | None = None) -> str | None:
    """Why this shopper can't use `voucher` at all, whatever the basket holds."""
    now = now or timezone.now()
    code = voucher.code
    if refusal := personal_voucher_refusal(voucher, user=user):
        return refusal
    if voucher.start_datetime and voucher.start_datetime > now:
        return _("%(code)s can be used from %(start)s.") % {
            "code": code,
            "start": _moment(voucher.start_datetime),
        }
    if voucher.end_datetime and voucher.end_datetime < now:
        return _("%(code)s expired on %(end)s.") % {
            "code": code,
            "end": _moment(voucher.end_datetime),
        }
    offers = list(voucher.offers.all())
    if voucher.usage == Voucher.SINGLE_USE and voucher.applications.exists():
        return _("%(code)s has already been used: it works for one order only.") % {
            "code": code
        }
    if offers and all(offer_is_used_up(offer) for offer in offers):
        return _("%(code)s has been used as many times as it can be.") % {"code": code}
    if offers and all(offer.is_suspended for offer in offers):
        return _("%(code)s is paused at the moment.") % {"code": code}
    signed_in = user is not None and user.is_authenticated
    if voucher.usage == Voucher.ONCE_PER_CUSTOMER:
        if not signed_in:
            return _(
                "Sign in to use %(code)s: it is for customers with an account, "
                "once each."
            ) % {"code": code}
        if voucher.applications.filter(user=user).exists():
            return _(
                "You have already used %(code)s on an earlier order: it is once "
                "per customer."
            ) % {"code": code}
    if signed_in and offers and all(_used_up_by(offer, user) for offer in offers):
        return _("You have already had %(code)s as many times as it allows.") % {
            "code": code
        }
    return None


def _used_up_by(offer, user) -> bool:
    if not offer.max_user_applications:
        return False
    return offer.get_num_user_applications(user) >= offer.max_user_applications


def why_no_discount(*, voucher, basket) -> str:
    """Why `voucher`, applied to `basket` by Oscar's offer engine, gave nothing.
    Call with the voucher's offers applied (the basket's lines then know which
    offers took them)."""
    code = voucher.code
    if basket.is_empty:
        return _("Add something to your basket first, then use %(code)s.") % {
            "code": code
        }
    reasons = [
        _why_offer_gave_nothing(offer, basket, code) for offer in voucher.offers.all()
    ]
    return next((r for r in reasons if r), None) or _(
        "Your basket doesn't qualify for %(code)s."
    ) % {"code": code}


def _why_offer_gave_nothing(offer, basket, code) -> str | None:
    condition = offer.condition.proxy()
    covered = [
        line for line in basket.all_lines() if condition.can_apply_condition(line)
    ]
    if not covered:
        return _(
            "%(code)s doesn't cover anything in your basket (it is for %(range)s)."
        ) % {"code": code, "range": offer.condition.range.name}
    blockers = {
        other.name: other
        for line in covered
        if line.quantity_without_offer_discount(offer) == 0
        for other in line.discounts.consumers
        if other.pk != offer.pk
    }
    blocked = all(line.quantity_without_offer_discount(offer) == 0 for line in covered)
    if blocked and blockers:
        return _(
            "%(code)s can't be combined with “%(offer)s”, which already gives the "
            "items in your basket their discount."
        ) % {"code": code, "offer": ", ".join(sorted(blockers))}
    if offer.condition.type == Condition.VALUE:
        spent = sum(
            (
                (line.unit_effective_price or 0)
                * line.quantity_without_offer_discount(offer)
                for line in covered
            ),
        )
        if spent < condition.value:
            return _("Spend %(more)s more on %(range)s to use %(code)s.") % {
                "more": currency(condition.value - spent, basket.currency),
                "range": offer.condition.range.name,
                "code": code,
            }
    if offer.condition.type == Condition.COUNT:
        count = sum(line.quantity_without_offer_discount(offer) for line in covered)
        if count < condition.value:
            more = int(condition.value - count)
            return ngettext(
                "Add %(more)s more item from %(range)s to use %(code)s.",
                "Add %(more)s more items from %(range)s to use %(code)s.",
                more,
            ) % {
                "more": more,
                "range": offer.condition.range.name,
                "code": code,
            }
    return None


def basket_apply_voucher(*, basket, voucher, user, request=None) -> VoucherResult:
    """Add `voucher` to `basket` if it gives a discount now; otherwise leave the
    basket as it was and say why."""
    if refusal := voucher_refusal(voucher=voucher, user=user):
        return VoucherResult(False, refusal)
    basket.vouchers.add(voucher)
    Applicator().apply(basket, user, request)
    if any(
        application["voucher"] and application["voucher"].pk == voucher.pk
        for application in basket.offer_applications
    ):
        return VoucherResult(
            True, _("%(code)s is applied to your basket.") % {"code": voucher.code}
        )
    reason = why_no_discount(voucher=voucher, basket=basket)
    basket.vouchers.remove(voucher)
    basket.reset_offer_applications()
    Applicator().apply(basket, user, request)
    return VoucherResult(False, reason)
