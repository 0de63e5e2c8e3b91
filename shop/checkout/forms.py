from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import forms as oscar_forms
from oscar.apps.checkout.forms import *  # noqa: F403 (Oscar's forking convention)


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's gateway, with the password asked of returning customers only.

    Oscar marks the password required and hides it with JavaScript for guests; with
    JavaScript off the browser then refused to let a guest continue."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].required = False

    def clean(self):
        if self.data.get(self.add_prefix("options")) == self.EXISTING and not (
            self.data.get(self.add_prefix("password"))
        ):
            self.add_error("password", _("Enter your password to sign in."))
            return self.cleaned_data
        return super().clean()
