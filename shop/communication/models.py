from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailDelivery(models.Model):
    """One queued message, by Message-ID: sent once its `sent_at` is committed.

    The worker holds this row locked while it hands the message over and records
    `sent_at` in the same transaction, so a worker killed mid-send leaves it unsent
    (the redelivered task sends it) and two deliveries of one task never both send.
    """

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    sent_at = models.DateTimeField(_("Sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("E-mail delivery")
        verbose_name_plural = _("E-mail deliveries")

    def __str__(self):
        return self.message_id


from oscar.apps.communication.models import *  # noqa: E402, F403
