"""A flash sale: sessions, and per session the units of products on sale.

Units are ring-fenced *logically*: a stock record's `num_in_stock` stays the
physical count, and while an approved session has not ended its unsold pool
(`pool - sold`) is unavailable to everyone buying at the regular price (the
partner strategy and the stock checks subtract it). Units sold at the flash price
become Oscar allocations like any other; at the session's end the fence is gone,
so unsold units are back on sale at the regular price whether or not the beat
task that records it has run yet.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FlashSale(models.Model):
    """A flash sale is live only once approved by a merchandiser with the approval
    permission who did not create or change it since it was last approved; any
    change clears the approval (services.py)."""

    name = models.CharField(_("name"), max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")
        permissions = [("approve_flashsale", _("Can approve flash sales"))]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class FlashSession(models.Model):
    sale = models.ForeignKey(
        FlashSale, on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Set by the beat task once the session ended: the unsold units it gave back.
    closed_at = models.DateTimeField(null=True, blank=True)
    units_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("flash sale session")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="flashsession_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["ends_at", "closed_at"])]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    def is_running(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at


class FlashItem(models.Model):
    """One product (a standalone product or a variant) in one session."""

    session = models.ForeignKey(
        FlashSession, on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="+"
    )
    # The stock record pool units come from (the one the strategy sells from).
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="+"
    )
    flash_price = models.DecimalField(
        _("flash price"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    pool = models.PositiveIntegerField(
        _("units in the pool"), validators=[MinValueValidator(1)]
    )
    limit_per_shopper = models.PositiveIntegerField(
        _("limit per shopper"), default=1, validators=[MinValueValidator(1)]
    )
    # Units in placed orders, less those returned by cancellation or refund while
    # the session ran. Changed only under this row's lock.
    sold = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("flash sale item")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "product"], name="flashitem_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(sold__lte=models.F("pool")), name="flashitem_sold_in_pool"
            ),
        ]

    def __str__(self):
        return f"{self.product.get_title()} @ {self.flash_price} ({self.session})"

    @property
    def currency(self) -> str:
        return self.stockrecord.price_currency

    @property
    def unsold(self) -> int:
        return max(0, self.pool - self.sold)

    @property
    def sold_percent(self) -> int:
        return min(100, round(100 * self.sold / self.pool)) if self.pool else 100


class ShopperRecord(models.Model):
    """Who bought or holds flash units: an account, a checkout e-mail, a mobile
    number. A shopper's limit counts every record sharing any of the three."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        abstract = True


class FlashHold(ShopperRecord):
    """Flash units a basket holds at the pay step, beside its stock reservation
    (shop/partner/services.py) and lapsing with it."""

    item = models.ForeignKey(FlashItem, on_delete=models.CASCADE, related_name="holds")
    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.CASCADE, related_name="flash_holds"
    )
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("flash sale hold")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "basket"], name="flashhold_once_per_basket"
            )
        ]

    def __str__(self):
        return f"{self.quantity} × {self.item_id} for basket {self.basket_id}"


class FlashPurchase(ShopperRecord):
    """Flash units an order bought; `returned` of them came back to the pool (or
    stopped counting against the shopper's limit) when the order was cancelled or
    refunded."""

    item = models.ForeignKey(
        FlashItem, on_delete=models.PROTECT, related_name="purchases"
    )
    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="flash_purchases"
    )
    quantity = models.PositiveIntegerField()
    returned = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flash sale purchase")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "order"], name="flashpurchase_once_per_order"
            )
        ]

    def __str__(self):
        return f"{self.quantity} × {self.item_id} in order {self.order_id}"


class FlashSaleEvent(models.Model):
    """What happened to a sale, by whom and when: the approval trail."""

    CREATED, CHANGED, APPROVED, UNAPPROVED = (
        "created",
        "changed",
        "approved",
        "unapproved",
    )
    ACTIONS = [
        (CREATED, _("created")),
        (CHANGED, _("changed")),
        (APPROVED, _("approved")),
        (UNAPPROVED, _("approval withdrawn by a change")),
    ]

    sale = models.ForeignKey(FlashSale, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=ACTIONS)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("flash sale event")

    def __str__(self):
        return f"{self.sale}: {self.get_action_display()}"
