from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BlockedSearchTerm


class BlockedSearchTermViewSet(SnippetViewSet):
    """Editors keep spam and unwanted words out of the search page's hot searches."""

    model = BlockedSearchTerm
    icon = "cross"
    menu_label = _("Hot search block list")
    add_to_settings_menu = True
    list_display = ["term"]
    search_fields = ["term"]


register_snippet(BlockedSearchTermViewSet)
