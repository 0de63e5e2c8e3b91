from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.forms import widgets

from ..models import FlashSale, FlashSession

Product = get_model("catalogue", "Product")

TYPED_DATETIME = "%Y-%m-%d %H:%M"
# The largest primary key any database here stores (SQLite's integers overflow).
MAX_PK = 2**63 - 1


def is_pk(value) -> bool:
    text = str(value)
    return text.isdigit() and int(text) <= MAX_PK


MAX_REPEAT_DAYS = 31


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=widgets.DateTimePickerInput(format=TYPED_DATETIME),
        input_formats=[TYPED_DATETIME, "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": _("Enter a date and time like 2026-12-01 20:00.")},
    )


class SaleForm(forms.ModelForm):
    class Meta:
        model = FlashSale
        fields = ["name"]


class SessionForm(forms.Form):
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            raise ValidationError(_("A session must end after it starts."))
        return data


class RepeatForm(forms.Form):
    """Sessions at the same times every day, e.g. 10:00 and 20:00 for a week."""

    first_day = forms.DateField(
        label=_("First day"),
        widget=widgets.DatePickerInput(format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date like 2026-12-01.")},
    )
    days = forms.IntegerField(
        label=_("For how many days"), min_value=1, max_value=MAX_REPEAT_DAYS, initial=7
    )
    times = forms.CharField(
        label=_("Start times"),
        max_length=200,
        initial="10:00, 20:00",
        help_text=_("24-hour times, separated by commas."),
    )
    duration = forms.IntegerField(
        label=_("Each lasts (minutes)"), min_value=1, max_value=24 * 60, initial=120
    )
    copy_from = forms.ModelChoiceField(
        label=_("With the products of"),
        queryset=FlashSession.objects.none(),
        required=False,
        empty_label=_("No products yet"),
    )

    def __init__(self, *args, sale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = sale.sessions.all()

    def clean_times(self):
        found = []
        for part in self.cleaned_data["times"].split(","):
            text = part.strip()
            if not text:
                continue
            try:
                found.append(datetime.strptime(text, "%H:%M").time())
            except ValueError:
                raise ValidationError(
                    _("“%(text)s” is not a time like 20:00.") % {"text": text[:20]}
                ) from None
        if not found:
            raise ValidationError(_("Enter at least one start time, like 20:00."))
        if len(set(found)) != len(found):
            raise ValidationError(_("Each start time once, please."))
        return found

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise ValidationError(_("The first day can't be in the past."))
        return day

    @property
    def duration_delta(self) -> timedelta:
        return timedelta(minutes=self.cleaned_data["duration"])


class ProductSelect(widgets.RemoteSelect):
    """Oscar's select2 lookup, over products that can be bought (variants too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["class"] = "select2 product-select"

    def optgroups(self, name, value, attrs=None):
        # Oscar's looks the posted value up as a primary key: "abc" was a 500 when
        # the refused form was drawn again.
        value = [v for v in value if is_pk(v)]
        return super().optgroups(name, value, attrs)


class ProductChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_pk(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ItemForm(forms.Form):
    product = ProductChoiceField(
        label=_("Product"),
        queryset=Product.objects.exclude(structure=Product.PARENT),
        error_messages={"invalid_choice": _("Choose a product from the list.")},
    )
    flash_price = forms.DecimalField(
        label=_("Flash price"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    pool = forms.IntegerField(
        label=_("Units in the pool"),
        min_value=1,
        max_value=1_000_000,
        help_text=_("Set aside from the stock record; they can't be sold otherwise."),
    )
    limit_per_shopper = forms.IntegerField(
        label=_("Limit per shopper"), min_value=1, max_value=1000, initial=1
    )

    def __init__(self, *args, lookup_url: str, with_product: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_product:
            field = self.fields["product"]
            field.widget = ProductSelect(lookup_url=lookup_url)
            field.widget.choices = field.choices
        else:
            del self.fields["product"]
