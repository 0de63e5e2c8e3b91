"""A coupon is a claimable template over an Oscar voucher offer; each claim issues
the shopper a personal, single-use Oscar voucher (in the coupon's voucher set), so
totals, usage checks, order discounts, reports and refunds stay Oscar's.

What the coupon takes off and when it qualifies (discount, minimum spend, scope)
are the offer's condition and benefit; how many can be claimed, by whom, when, and
how long a claimed one stays valid are the coupon's. Whether a claimed coupon is
used is Oscar's record (the voucher's VoucherApplication); when it expires is the
voucher's end date.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Coupon(models.Model):
    FIXED_DATES, DAYS_AFTER_CLAIM = "fixed", "days"
    VALIDITY_CHOICES = [
        (FIXED_DATES, _("Between fixed dates")),
        (DAYS_AFTER_CLAIM, _("For a number of days after it is claimed")),
    ]

    name = models.CharField(
        _("Name"),
        max_length=80,
        unique=True,
        help_text=_("What shoppers see, e.g. “¥20 off orders over ¥199”."),
    )
    description = models.CharField(_("Description"), max_length=255, blank=True)
    # Oscar refuses to delete an offer with vouchers (claims); deleting a range
    # deletes its offers, and with them the coupons built on them.
    offer = models.OneToOneField(
        "offer.ConditionalOffer",
        on_delete=models.CASCADE,
        related_name="coupon",
        verbose_name=_("Offer"),
    )
    voucher_set = models.OneToOneField(
        "voucher.VoucherSet",
        on_delete=models.PROTECT,
        related_name="coupon",
        verbose_name=_("Voucher set"),
    )
    total_quantity = models.PositiveIntegerField(
        _("How many can be claimed"), help_text=_("In all, by every shopper together.")
    )
    per_shopper_limit = models.PositiveIntegerField(_("Claims per shopper"), default=1)
    # Kept under the coupon's row lock by every claim (services.coupon_claim).
    num_claimed = models.PositiveIntegerField(_("Claimed"), default=0, editable=False)
    claim_start = models.DateTimeField(_("Claimable from"))
    claim_end = models.DateTimeField(_("Claimable until"))
    validity = models.CharField(
        _("Valid"), max_length=8, choices=VALIDITY_CHOICES, default=DAYS_AFTER_CLAIM
    )
    valid_from = models.DateTimeField(_("Valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("Valid until"), null=True, blank=True)
    valid_days = models.PositiveIntegerField(
        _("Days valid after claiming"), null=True, blank=True
    )
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim_end", "pk"]
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        constraints = [
            models.CheckConstraint(
                condition=Q(num_claimed__lte=F("total_quantity")),
                name="coupon_claimed_within_total",
            ),
            models.CheckConstraint(
                condition=Q(claim_end__gt=F("claim_start")),
                name="coupon_claim_window_ordered",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        validity="fixed",
                        valid_from__isnull=False,
                        valid_until__isnull=False,
                        valid_until__gt=F("valid_from"),
                    )
                    | Q(validity="days", valid_days__gte=1)
                ),
                name="coupon_validity_complete",
            ),
            models.CheckConstraint(
                condition=Q(per_shopper_limit__gte=1), name="coupon_limit_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def remaining(self) -> int:
        return max(0, self.total_quantity - self.num_claimed)

    def validity_for_claim_at(self, moment: datetime) -> tuple[datetime, datetime]:
        """When a coupon claimed at `moment` can be used."""
        if self.validity == self.FIXED_DATES:
            return self.valid_from, self.valid_until
        return moment, moment + timedelta(days=self.valid_days)

    def last_valid_moment(self) -> datetime:
        """The latest any claim of it can be used (the voucher set's end)."""
        if self.validity == self.FIXED_DATES:
            return self.valid_until
        return self.claim_end + timedelta(days=self.valid_days)

    def claim_window_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.claim_start <= now <= self.claim_end


class CouponClaim(models.Model):
    """One coupon in one shopper's wallet: the personal voucher it was issued as."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coupon_claims",
    )
    voucher = models.OneToOneField(
        "voucher.Voucher", on_delete=models.CASCADE, related_name="coupon_claim"
    )
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        indexes = [models.Index(fields=["coupon", "user"])]
        verbose_name = _("claimed coupon")
        verbose_name_plural = _("claimed coupons")

    def __str__(self):
        return f"{self.coupon} → {self.user}"
