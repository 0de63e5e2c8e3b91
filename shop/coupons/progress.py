"""Threshold progress: "spend ¥X more for free delivery / for an offer / to use
coupon Y", from the shop's real shipping methods (the shipping repository), the
open site offers and the shopper's claimed coupons; and which claimed coupon saves
the most on the basket as it stands. Plain functions of a basket and a user, so a
test needs no request.

Amounts are what Oscar itself compares: free delivery looks at the basket total
after discounts (OrderAndItemCharges), a value condition at the value of the lines
in its range (ValueCondition). The best coupon is found by Oscar's own offer engine
applying each candidate to a copy of the basket.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model
from oscar.templatetags.currency_filters import currency

from .selectors import usable_claims

Applicator = get_class("offer.applicator", "Applicator")
Repository = get_class("shipping.repository", "Repository")
Basket = get_model("basket", "Basket")
Condition = get_model("offer", "Condition")

SHIPPING, OFFER, COUPON = "shipping", "offer", "coupon"
# A wallet is tried coupon by coupon on a copy of the basket; beyond this many the
# soonest-expiring are tried.
MAX_TRIED = 10


@dataclass(frozen=True)
class Threshold:
    kind: str  # SHIPPING, OFFER or COUPON
    name: str
    target: Decimal  # the spend that unlocks it
    spent: Decimal  # what counts towards it now
    currency: str
    claim_id: int | None = None

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.target - self.spent)

    @property
    def reached(self) -> bool:
        return self.remaining == 0

    @property
    def percent(self) -> int:
        if not self.target:
            return 100
        return min(100, int(100 * self.spent / self.target))

    @property
    def message(self) -> str:
        words = {"name": self.name, "more": currency(self.remaining, self.currency)}
        if self.kind == SHIPPING:
            if self.reached:
                return _("You get free %(name)s.") % words
            return _("Spend %(more)s more for free %(name)s.") % words
        if self.kind == COUPON:
            if self.reached:
                return _("You can use your coupon %(name)s on this basket.") % words
            return _("Spend %(more)s more to use your coupon %(name)s.") % words
        if self.reached:
            return _("%(name)s applies to your basket.") % words
        return _("Spend %(more)s more for %(name)s.") % words


def basket_thresholds(
    *, basket, user, kinds=(SHIPPING, OFFER, COUPON), now: datetime | None = None
) -> list[Threshold]:
    """The thresholds this basket is short of (nearest first), then those it has
    reached. Offers are listed only while short of them (once applied, the basket's
    discounts show them); coupons already in the basket are not listed."""
    now = now or timezone.now()
    found = []
    if SHIPPING in kinds:
        found += _shipping(basket)
    if OFFER in kinds:
        found += _offers(basket)
    if COUPON in kinds:
        found += _coupons(basket, user, now)
    return sorted(found, key=lambda t: (t.reached, t.remaining, t.kind, t.name))


def _shipping(basket) -> list[Threshold]:
    if basket.id and not basket.is_empty and not basket.is_shipping_required():
        return []  # nothing to deliver (digital goods)
    spent = _total(basket)
    thresholds = []
    for method in Repository().get_available_shipping_methods(basket):
        target = getattr(method, "free_shipping_threshold", None)
        if target is not None:
            thresholds.append(
                Threshold(SHIPPING, str(method.name), target, spent, basket.currency)
            )
    return thresholds


def _offers(basket) -> list[Threshold]:
    applied = {a["offer"].pk for a in basket.offer_applications}
    thresholds = []
    for offer in Applicator().get_site_offers():
        if offer.pk in applied or offer.condition.type != Condition.VALUE:
            continue
        if not offer.is_available():
            continue
        condition = offer.condition.proxy()
        spent = _value_in_range(basket, condition, offer)
        if spent < condition.value:
            thresholds.append(
                Threshold(OFFER, offer.name, condition.value, spent, basket.currency)
            )
    return thresholds


def _coupons(basket, user, now) -> list[Threshold]:
    in_basket = set(basket.vouchers.values_list("pk", flat=True)) if basket.id else ()
    thresholds = []
    for claim in usable_claims(user=user, now=now):
        if claim.voucher_id in in_basket:
            continue
        offer = claim.coupon.offer
        condition = offer.condition.proxy()
        spent = _value_in_range(basket, condition, offer)
        if condition.type == Condition.VALUE:
            target = condition.value
        elif spent > 0:
            target = Decimal(0)  # any item in its scope will do, and one is there
        else:
            continue  # not a spend threshold: nothing in the basket it covers yet
        thresholds.append(
            Threshold(
                COUPON,
                claim.coupon.name,
                target,
                spent,
                basket.currency,
                claim_id=claim.pk,
            )
        )
    return thresholds


def _total(basket) -> Decimal:
    return basket.total_incl_tax if basket.is_tax_known else basket.total_excl_tax


def _value_in_range(basket, condition, offer) -> Decimal:
    """What counts towards `offer`'s value condition, as Oscar's ValueCondition
    counts it: lines in its range at their price before discounts, less units an
    offer it can't be combined with has taken."""
    if not basket.id:
        return Decimal(0)
    return sum(
        (
            (line.unit_effective_price or Decimal(0))
            * line.quantity_without_offer_discount(offer)
            for line in basket.all_lines()
            if condition.can_apply_condition(line)
        ),
        Decimal(0),
    )


# --- The best claimed coupon for a basket --------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    claim: object
    saving: Decimal
    currency: str

    @property
    def message(self) -> str:
        return _("Your coupon %(name)s takes %(saving)s off this basket.") % {
            "name": self.claim.coupon.name,
            "saving": currency(self.saving, self.currency),
        }


def best_claim_for_basket(
    *, basket, user, now: datetime | None = None
) -> Suggestion | None:
    """The shopper's claimed coupon that takes the most off `basket` as it stands
    (ties: the one expiring first), or None: none applies, or one of their coupons
    is in the basket already. The basket passed in is not touched."""
    if not basket.id or basket.is_empty or user is None or not user.is_authenticated:
        return None
    claims = usable_claims(user=user, now=now)
    in_basket = set(basket.vouchers.values_list("pk", flat=True))
    if not claims or any(c.voucher_id in in_basket for c in claims):
        return None
    trial = Basket.objects.get(pk=basket.pk)
    trial.strategy = basket.strategy
    baseline = _total_with(trial, user, extra=None)
    best = None
    for claim in claims[:MAX_TRIED]:
        total = _total_with(trial, user, extra=claim.voucher)
        if total is None:
            continue
        saving = baseline - total
        if saving > 0 and (best is None or saving > best.saving):
            best = Suggestion(claim, saving, basket.currency)
    return best


def _total_with(trial, user, *, extra) -> Decimal | None:
    """The basket's total with Oscar's offers, plus `extra` voucher's; None when
    the extra voucher gave nothing."""
    trial.reset_offer_applications()
    applicator = Applicator()
    offers = applicator.get_offers(trial, user)
    if extra is not None:
        extra_offers = list(extra.offers.all())
        for offer in extra_offers:
            offer.set_voucher(extra)
        offers = sorted(offers + extra_offers, key=lambda o: o.priority, reverse=True)
    applicator.apply_offers(trial, offers)
    if extra is not None and not any(
        a["voucher"] and a["voucher"].pk == extra.pk for a in trial.offer_applications
    ):
        return None
    return _total(trial)
