"""A coupon's terms are an Oscar voucher offer: the condition is the minimum spend
over the scope (a value condition, or "one item" when there is no minimum), the
benefit a percentage or an amount off the scope. The coupon form edits them here;
merchandisers can still fine-tune the offer (priority, caps) in Oscar's offer
dashboard, and the coupon reads whatever the offer says."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
Range = get_model("offer", "Range")

PERCENTAGE, AMOUNT = "percentage", "amount"
BENEFIT_TYPES = {PERCENTAGE: Benefit.PERCENTAGE, AMOUNT: Benefit.FIXED}
WHOLE_SHOP_RANGE = "Whole shop"


@dataclass(frozen=True)
class Terms:
    discount_type: str  # PERCENTAGE or AMOUNT
    discount_value: Decimal
    min_spend: Decimal  # 0: no minimum
    scope: object | None  # an Oscar Range; None: the whole shop
    combinable: bool = True  # stacks with other offers (Oscar's "exclusive" off)


def whole_shop_range():
    """A range holding every product (the scope "whole shop")."""
    existing = Range.objects.filter(includes_all_products=True).order_by("pk").first()
    if existing is not None:
        return existing
    return Range.objects.create(name=WHOLE_SHOP_RANGE, includes_all_products=True)


def terms_of(offer) -> Terms | None:
    """The offer's terms as the coupon form shows them; None when the offer has
    been given a condition or benefit the form doesn't edit (Oscar's wizard)."""
    condition, benefit = offer.condition, offer.benefit
    kinds = {v: k for k, v in BENEFIT_TYPES.items()}
    if benefit.type not in kinds or condition.range_id != benefit.range_id:
        return None
    if condition.type == Condition.VALUE:
        min_spend = condition.value
    elif condition.type == Condition.COUNT and condition.value == 1:
        min_spend = Decimal(0)
    else:
        return None
    scope = condition.range
    return Terms(
        discount_type=kinds[benefit.type],
        discount_value=benefit.value,
        min_spend=min_spend,
        scope=None if scope.includes_all_products else scope,
        combinable=not offer.exclusive,
    )


def _condition_fields(terms: Terms, scope) -> dict:
    if terms.min_spend > 0:
        return {"range": scope, "type": Condition.VALUE, "value": terms.min_spend}
    return {"range": scope, "type": Condition.COUNT, "value": 1}


def offer_write(*, offer, name: str, description: str, terms: Terms):
    """Create (offer None) or update the coupon's voucher offer to `terms`."""
    scope = terms.scope or whole_shop_range()
    benefit_fields = {
        "range": scope,
        "type": BENEFIT_TYPES[terms.discount_type],
        "value": terms.discount_value,
    }
    if offer is None:
        return ConditionalOffer.objects.create(
            name=name,
            description=description,
            offer_type=ConditionalOffer.VOUCHER,
            condition=Condition.objects.create(**_condition_fields(terms, scope)),
            benefit=Benefit.objects.create(**benefit_fields),
            exclusive=not terms.combinable,
        )
    for target, fields in (
        (offer.condition, _condition_fields(terms, scope)),
        (offer.benefit, benefit_fields),
    ):
        for field, value in fields.items():
            setattr(target, field, value)
        target.save()
    offer.name, offer.description = name, description
    offer.exclusive = not terms.combinable
    offer.save()
    return offer


def describe(offer, currency_code: str) -> dict:
    """The offer's terms in shoppers' words: what it takes off, from what spend, on
    what. Whatever kind of condition and benefit the offer has."""
    condition, benefit = offer.condition, offer.benefit
    if benefit.type == Benefit.PERCENTAGE:
        headline = _("%(percent)s%% off") % {"percent": _number(benefit.value)}
    elif benefit.type == Benefit.FIXED:
        headline = _("%(amount)s off") % {
            "amount": currency(benefit.value, currency_code)
        }
    else:
        headline = str(benefit.proxy().name)
    if condition.type == Condition.VALUE:
        threshold = _("on orders over %(amount)s") % {
            "amount": currency(condition.value, currency_code)
        }
    elif condition.type == Condition.COUNT and condition.value == 1:
        threshold = _("no minimum spend")
    else:
        threshold = str(condition.proxy().name)
    scope = condition.range
    where = (
        _("on everything")
        if scope is None or scope.includes_all_products
        else _("on %(range)s") % {"range": scope.name}
    )
    return {"headline": headline, "threshold": threshold, "scope": where}


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"
