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
