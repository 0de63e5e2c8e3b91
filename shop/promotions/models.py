from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PromotionChange(models.Model):
    """One change to an Oscar offer or voucher by a person (or by the system, when
    nobody asked for it in a request): which fields, from what, to what.

    Keyed by kind and id rather than a foreign key, so the history of a deleted offer
    stays readable. Usage counters (times used, total discount) are not changes.
    """

    OFFER, VOUCHER = "offer", "voucher"
    KIND_CHOICES = [(OFFER, _("offer")), (VOUCHER, _("voucher"))]
    CREATED, CHANGED, DELETED = "created", "changed", "deleted"
    ACTION_CHOICES = [
        (CREATED, _("created")),
        (CHANGED, _("changed")),
        (DELETED, _("deleted")),
    ]
    DASHBOARD, WAGTAIL, SYSTEM = "dashboard", "wagtail", "system"
    SOURCE_CHOICES = [
        (DASHBOARD, _("Oscar dashboard")),
        (WAGTAIL, _("Wagtail admin")),
        (SYSTEM, _("system")),
    ]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    object_id = models.PositiveIntegerField()
    object_name = models.CharField(max_length=255)
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    # {field label: [before, after]}, values as people read them.
    changes = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(max_length=10, choices=SOURCE_CHOICES, default=SYSTEM)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id", "-changed_at"])]
        verbose_name = _("promotion change")

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.object_name}: {self.get_action_display()}"
        )

    @property
    def who(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return str(_("system"))
