from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

# Paths Django serves before Wagtail's catch-all: a page there could never be reached.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "django-admin",
        "dashboard",
        "shop",
        "documents",
        "i18n",
        "static",
        "media",
    }
)


class SitePageForm(WagtailAdminPageForm):
    """Refuses slugs that the shop's own URLs would shadow at the top of the site."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        parent = self.parent_page
        if slug in RESERVED_SLUGS and parent is not None and parent.is_site_root():
            self.add_error(
                "slug", _("“%(slug)s” is used by the shop itself.") % {"slug": slug}
            )
        return cleaned_data


class CampaignPageForm(SitePageForm):
    """Before a campaign is published with a linked offer whose window doesn't
    cover the page's (or that isn't running), the editor must say they mean it:
    linking never changes the offer, so the page would show an offer shoppers
    don't get."""

    confirm_linked_offer = forms.BooleanField(
        required=False,
        label=_("Publish with the linked offer as it is"),
        help_text=_(
            "Needed only when the linked offer's dates don't cover this page's "
            "schedule. Ask a merchandiser to change the offer, or use a campaign "
            "discount instead."
        ),
    )

    def clean(self):
        from .promotion_health import linked_offer_warnings

        cleaned_data = super().clean()
        publishing = "action-publish" in self.data
        warnings = linked_offer_warnings(
            offer=cleaned_data.get("offer"),
            go_live_at=cleaned_data.get("go_live_at"),
            expire_at=cleaned_data.get("expire_at"),
        )
        if publishing and warnings and not cleaned_data.get("confirm_linked_offer"):
            for warning in warnings:
                self.add_error("offer", warning)
            self.add_error(
                "confirm_linked_offer",
                _(
                    "This page never changes the linked offer. Tick to publish "
                    "anyway, or change the offer or the schedule."
                ),
            )
        kind, value = (
            cleaned_data.get("discount_kind"),
            cleaned_data.get("discount_value"),
        )
        if kind and not value:
            self.add_error("discount_value", _("How much is the discount?"))
        if kind and not cleaned_data.get("discount_range"):
            self.add_error("discount_range", _("Which products does it apply to?"))
        if kind == "percentage" and value and value > 100:
            self.add_error("discount_value", _("A percentage can't be over 100."))
        return cleaned_data
