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
