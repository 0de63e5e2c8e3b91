from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SORT_CHOICES
from .site_search import normalise


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
        return normalise(self.cleaned_data["q"])

    def search_params(self) -> dict:
        if not self.is_valid():
            return {"query": "", "sort": ""}
        return {"query": self.cleaned_data["q"], "sort": self.cleaned_data["sort_by"]}


class SiteSearchForm(forms.Form):
    """The search page's query, filters and order. Invalid filters are reported and
    ignored; the query still runs."""

    q = forms.CharField(required=False, label=_("Search"))
    category = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Category"), empty_label=_("All")
    )
    price_min = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label=_("From")
    )
    price_max = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label=_("To")
    )
    in_stock = forms.BooleanField(required=False, label=_("In stock only"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[
            ("relevance", _("Relevance")),
            ("price-asc", _("Price, low to high")),
            ("price-desc", _("Price, high to low")),
            ("newest", _("Newest")),
        ],
    )

    def __init__(self, *args, **kwargs):
        from oscar.core.loading import get_model

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = get_model(
            "catalogue", "Category"
        ).objects.filter(is_public=True)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("“To” must be at least “From”."))
        return cleaned

    def search_kwargs(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": self.data.get("q", "") or "",
            "category": data.get("category"),
            "price_min": data.get("price_min")
            if "price_min" not in self.errors
            else None,
            "price_max": data.get("price_max")
            if "price_max" not in self.errors
            else None,
            "in_stock": bool(data.get("in_stock")),
            "sort": data.get("sort") or "relevance",
        }
