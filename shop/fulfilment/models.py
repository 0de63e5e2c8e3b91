from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Carrier(models.Model):
    """A delivery company the shop dispatches with, and where a shopper follows a
    parcel: `tracking_url_template` holds `{number}` (blank: no link)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    tracking_url_template = models.CharField(
        _("tracking link"),
        max_length=255,
        blank=True,
        help_text=_("A web address with {number} where the tracking number goes."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")

    def __str__(self):
        return self.name

    def tracking_url(self, number: str) -> str:
        if not self.tracking_url_template or not number:
            return ""
        from urllib.parse import quote

        return self.tracking_url_template.replace("{number}", quote(number, safe=""))


class Shipment(models.Model):
    """The carrier and tracking number of one Oscar dispatch (shipping) event."""

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="shipments"
    )
    event = models.OneToOneField(
        "order.ShippingEvent", on_delete=models.CASCADE, related_name="shipment"
    )
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="+")
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date_created", "-pk"]
        verbose_name = _("shipment")

    def __str__(self):
        return f"{self.carrier} {self.tracking_number}"

    @property
    def tracking_url(self) -> str:
        return self.carrier.tracking_url(self.tracking_number)


class OrderLanguage(models.Model):
    """The language the shopper bought in: their order's e-mails are written in it."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="language"
    )
    code = models.CharField(max_length=15, choices=settings.LANGUAGES)

    def __str__(self):
        return self.code


def private_storage():
    """Where after-sales photos live: not under MEDIA_URL; served by a view that
    checks who is asking (settings.STORAGES["private"])."""
    from django.core.files.storage import storages

    return storages["private"]


PHOTO_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def _photo_path(instance, filename):
    """A name nobody can guess, with the extension of the picture's real format
    (the form names it; anything else is stored without one)."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"aftersales/{uuid.uuid4().hex}{suffix if suffix in PHOTO_TYPES else ''}"


class AfterSalesRequest(models.Model):
    """A shopper asks for a return (send the goods back, then the money) or a
    refund (keep the goods, e.g. a broken one) for some units of their order's
    lines (售后). The merchandiser approves or rejects; the timeline is `events`."""

    RETURN = "return"
    REFUND = "refund"
    KINDS = [
        (RETURN, _("Return and refund")),
        (REFUND, _("Refund only (keep the item)")),
    ]
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURN_SHIPPED = "return_shipped"
    REFUNDED = "refunded"
    STATUSES = [
        (REQUESTED, _("Waiting for the shop")),
        (APPROVED, _("Approved")),
        (REJECTED, _("Rejected")),
        (RETURN_SHIPPED, _("Sent back")),
        (REFUNDED, _("Refunded")),
    ]
    OPEN = (REQUESTED, APPROVED, RETURN_SHIPPED)

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="after_sales_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="after_sales_requests",
    )
    kind = models.CharField(_("what you would like"), max_length=16, choices=KINDS)
    status = models.CharField(
        _("status"), max_length=16, choices=STATUSES, default=REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=32)
    description = models.TextField(_("details"), max_length=500, blank=True)
    return_carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_tracking_number = models.CharField(
        _("return tracking number"), max_length=64, blank=True
    )
    refund_amount = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_created", "-pk"]
        verbose_name = _("after-sales request")
        verbose_name_plural = _("after-sales requests")
        indexes = [models.Index(fields=["status", "-date_created"])]

    def __str__(self):
        return f"#{self.pk} {self.order.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def return_tracking_url(self) -> str:
        if not self.return_carrier_id:
            return ""
        return self.return_carrier.tracking_url(self.return_tracking_number)


class AfterSalesLine(models.Model):
    request = models.ForeignKey(
        AfterSalesRequest, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.CASCADE, related_name="after_sales_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "line"], name="aftersales_line_once"
            )
        ]

    def __str__(self):
        return f"{self.quantity} × {self.line.title}"


class AfterSalesPhoto(models.Model):
    request = models.ForeignKey(
        AfterSalesRequest, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        _("photo"), upload_to=_photo_path, storage=private_storage
    )
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.image.name


class AfterSalesEvent(models.Model):
    """One step of a request's timeline, as both sides see it."""

    # What happened, as a timeline names it (the request's status names where
    # it stands).
    EVENTS = [
        (AfterSalesRequest.REQUESTED, _("Requested")),
        (AfterSalesRequest.APPROVED, _("Approved")),
        (AfterSalesRequest.REJECTED, _("Rejected")),
        (AfterSalesRequest.RETURN_SHIPPED, _("Sent back")),
        (AfterSalesRequest.REFUNDED, _("Refunded")),
    ]

    request = models.ForeignKey(
        AfterSalesRequest, on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(max_length=16, choices=EVENTS)
    message = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_shop = models.BooleanField(default=False)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date_created", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} {self.date_created:%Y-%m-%d %H:%M}"
