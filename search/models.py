from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class SuccessfulSearch(models.Model):
    """One session that searched a query and found something, once per day.

    Counting sessions, not hits, keeps one visitor from making a query "hot".
    """

    query_string = models.CharField(max_length=255)
    # A keyed hash of the session key: enough to tell sessions apart, and no more.
    searcher = models.CharField(max_length=64)
    date = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query_string", "searcher", "date"],
                name="one_successful_search_per_session_and_day",
            )
        ]
        indexes = [models.Index(fields=["date", "query_string"])]

    def __str__(self):
        return self.query_string


class BlockedSearchTerm(models.Model):
    """A word or phrase that keeps any query containing it out of hot searches."""

    term = models.CharField(
        _("term"),
        max_length=100,
        unique=True,
        help_text=_(
            "Queries containing this text, in any case, are never shown as hot "
            "searches, e.g. a word or a domain such as “scam.example.com”."
        ),
    )

    panels = [FieldPanel("term")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("blocked search term")
        verbose_name_plural = _("blocked search terms")

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = " ".join(self.term.split())
        super().save(*args, **kwargs)
