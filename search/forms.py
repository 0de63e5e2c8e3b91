from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SORT_CHOICES

MAX_QUERY_LENGTH = 200


class ProductSearchForm(forms.Form):
    """The query and sort order shared by search, catalogue and category pages."""

    q = forms.CharField(
        required=False,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Search"),
                "class": "form-control",
            }
        ),
    )
    sort_by = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=SORT_CHOICES,
        widget=forms.Select(attrs={"class": "form-control"}),
    )

    def clean_q(self):
        # Long input is truncated, not refused: a pasted paragraph still searches.
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def search_params(self) -> dict:
        if not self.is_valid():
            return {"query": "", "sort": ""}
        return {"query": self.cleaned_data["q"], "sort": self.cleaned_data["sort_by"]}
