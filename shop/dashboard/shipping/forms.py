"""Oscar's shipping dashboard form with the method's name and description in
Chinese and English side by side."""

from oscar.apps.dashboard.shipping import forms as oscar_forms
from oscar.apps.dashboard.shipping.forms import *  # noqa: F403  Oscar's fork convention
from oscar.core.loading import get_model

from shop.dashboard.translated_forms import TranslatedFieldsMixin, translated_fields

WeightBased = get_model("shipping", "WeightBased")


class WeightBasedForm(TranslatedFieldsMixin, oscar_forms.WeightBasedForm):
    class Meta(oscar_forms.WeightBasedForm.Meta):
        fields = translated_fields(WeightBased, oscar_forms.WeightBasedForm.Meta.fields)
