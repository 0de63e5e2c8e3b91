from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.forms import *  # noqa: F403
from oscar.apps.basket.forms import SavedLineForm as OscarSavedLineForm


class SavedLineForm(OscarSavedLineForm):
    def clean(self):
        if self.instance.pk is None:
            # The formset's id field accepts any line's id; only the shopper's own
            # saved lines have an instance here. Oscar went on to read the missing
            # line's product (a 500) or to move an empty line into the basket.
            raise forms.ValidationError(_("This item is no longer saved."))
        return super().clean()
