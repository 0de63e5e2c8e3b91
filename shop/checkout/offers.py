"""Which offers and vouchers a checkout gets, for signed-in shoppers and guests alike.

Oscar's Applicator skips voucher offers when it has no user, and counts per-customer
use by user only; at checkout a guest is known by the e-mail address they gave, so
vouchers and per-customer limits are judged by it."""

from itertools import chain

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from shop.coupons.selectors import personal_voucher_refusal

Applicator = get_class("offer.applicator", "Applicator")
OfferApplications = get_class("offer.results", "OfferApplications")
Order = get_model("order", "Order")
OrderDiscount = get_model("order", "OrderDiscount")
Voucher = get_model("voucher", "Voucher")


def _orders_of(*, user, email: str) -> Q:
    """The orders a customer placed: by account, and by e-mail as a guest."""
    query = Q(pk__in=[])
    if user is not None and user.is_authenticated:
        query |= Q(user=user)
        email = email or user.email
    if email:
        query |= Q(guest_email__iexact=email)
    return query


def voucher_refusal(voucher, *, user, email: str) -> str | None:
    """Why `voucher` cannot be used by this customer now, or None if it can."""
    if refusal := personal_voucher_refusal(voucher, user=user):
        return refusal
    if not voucher.is_active():
        return _("The voucher %(code)s has expired.") % {"code": voucher.code}
    if voucher.usage == Voucher.SINGLE_USE:
        used = voucher.applications.exists()
    elif voucher.usage == Voucher.ONCE_PER_CUSTOMER:
        mine = Q(order__in=Order.objects.filter(_orders_of(user=user, email=email)))
        if user is not None and user.is_authenticated:
            mine |= Q(user=user)
        used = voucher.applications.filter(mine).exists()
    else:
        used = False
    if used:
        return _("The voucher %(code)s has already been used.") % {"code": voucher.code}
    return None


class CheckoutApplicator(Applicator):
    """Oscar's applicator, knowing the customer by account or by checkout e-mail."""

    def __init__(self, *, email: str = ""):
        self.email = email

    def get_basket_offers(self, basket, user):
        if not basket.id:
            return []
        offers = []
        for voucher in basket.vouchers.all():
            if voucher_refusal(voucher, user=user, email=self.email) is None:
                voucher_offers = list(voucher.offers.all())
                for offer in voucher_offers:
                    offer.set_voucher(voucher)
                offers = list(chain(offers, voucher_offers))
        return offers

    def apply_offers(self, basket, offers):
        # Oscar's loop, with the per-customer limit counted for guests too.
        applications = OfferApplications()
        for offer in offers:
            num_applications = 0
            while num_applications < self._max_applications(offer, basket):
                result = offer.apply_benefit(basket)
                num_applications += 1
                if not result.is_successful:
                    break
                applications.add(offer, result)
                if result.is_final:
                    break
        basket.offer_applications = applications

    def _max_applications(self, offer, basket) -> int:
        limit = offer.get_max_applications(basket.owner)
        if offer.max_user_applications and basket.owner is None and self.email:
            used = (
                OrderDiscount.objects.filter(
                    offer_id=offer.id, order__guest_email__iexact=self.email
                ).aggregate(total=Sum("frequency"))["total"]
                or 0
            )
            limit = min(limit, max(0, offer.max_user_applications - used))
        return limit
