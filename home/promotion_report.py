"""Wagtail's report of offer and voucher changes (shop/promotions records them), so
editors see who changed a promotion their page uses, and when, without access to
Oscar's dashboard."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from shop.promotions.models import PromotionChange


def _when(change) -> str:
    return timezone.localtime(change.changed_at).strftime("%Y-%m-%d %H:%M")


def _what(change) -> str:
    if change.action != PromotionChange.CHANGED:
        return change.get_action_display().capitalize()
    return "; ".join(
        f"{field}: {before or '—'} → {after or '—'}"
        for field, (before, after) in change.changes.items()
    )


class PromotionChangesView(ReportView):
    page_title = _("Offer and voucher changes")
    header_icon = "history"
    index_url_name = "promotion_changes"
    index_results_url_name = "promotion_changes_results"
    paginate_by = 50
    columns = [
        Column("changed_at", label=_("When"), accessor=_when),
        Column("kind", label=_("Type"), accessor="get_kind_display"),
        Column("object_name", label=_("Offer or voucher")),
        Column("who", label=_("Who")),
        Column("source", label=_("Where"), accessor="get_source_display"),
        Column("what", label=_("What changed"), accessor=_what),
    ]

    def get_queryset(self):
        changes = PromotionChange.objects.select_related("user")
        kind = self.request.GET.get("kind")
        object_id = self.request.GET.get("object_id", "")
        if kind in dict(PromotionChange.KIND_CHOICES) and object_id.isdigit():
            changes = changes.filter(kind=kind, object_id=int(object_id))
        return changes
