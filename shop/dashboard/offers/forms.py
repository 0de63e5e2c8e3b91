from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.offers import forms as oscar_forms
from oscar.apps.dashboard.offers.forms import *  # noqa: F403  Oscar's fork convention
from oscar.forms import widgets

from shop.dashboard.translated_forms import TranslatedFieldsMixin, translated_fields

# The format the date picker's input mask asks for and the form parses first: what
# people type (Oscar's default mask wants seconds, so "2026-11-30 00:00" typed into
# it was sent as "2026-11-30 00:00:ss").
TYPED_DATETIME = "%Y-%m-%d %H:%M"


def _typed_datetime_field(label):
    return forms.DateTimeField(
        widget=widgets.DateTimePickerInput(format=TYPED_DATETIME),
        input_formats=[TYPED_DATETIME, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"],
        label=label,
        required=False,
        error_messages={"invalid": _("Enter a date and time like 2026-11-30 18:00.")},
    )


class RestrictionsForm(oscar_forms.RestrictionsForm):
    """Oscar's, where a date that doesn't parse is a form error on that field.
    Oscar's clean() read cleaned_data["end_datetime"], which is missing once the
    field has failed: a KeyError and a 500."""

    start_datetime = _typed_datetime_field(_("Start date"))
    end_datetime = _typed_datetime_field(_("End date"))

    def clean(self):
        cleaned_data = forms.ModelForm.clean(self)
        start = cleaned_data.get("start_datetime")
        end = cleaned_data.get("end_datetime")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date must be after the start date"))
        if cleaned_data.get("exclusive") and cleaned_data.get("combinations"):
            raise forms.ValidationError(_("Exclusive offers cannot be combined"))
        return cleaned_data


class MetaDataForm(TranslatedFieldsMixin, oscar_forms.MetaDataForm):
    """Oscar's, with the offer's name and description in Chinese and English."""

    class Meta(oscar_forms.MetaDataForm.Meta):
        fields = translated_fields(
            oscar_forms.ConditionalOffer, oscar_forms.MetaDataForm.Meta.fields
        )
