from django import template

from ..progress import COUPON, SHIPPING, basket_thresholds, best_claim_for_basket

register = template.Library()


@register.inclusion_tag("coupons/partials/basket_panel.html", takes_context=True)
def coupon_basket_panel(context):
    """The basket's coupon suggestion (one tap to apply) and its progress towards
    free delivery and the shopper's coupons. Offers are left to Oscar's own upsell
    messages, which the basket shows above."""
    request = context["request"]
    basket = context.get("basket") or request.basket
    suggestion = best_claim_for_basket(basket=basket, user=request.user)
    thresholds = [
        t
        for t in basket_thresholds(
            basket=basket, user=request.user, kinds=(SHIPPING, COUPON)
        )
        if suggestion is None or t.claim_id != suggestion.claim.pk
    ]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "suggestion": suggestion,
        "thresholds": thresholds,
    }
