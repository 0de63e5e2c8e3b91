"""A China-style address on Oscar's address models (no new columns).

| what the shopper fills in | Oscar's field |
|---|---|
| recipient (收货人), one name as on a parcel | `first_name` (`last_name` empty) |
| mobile number (手机号), required, a mainland mobile | `phone_number` (E.164) |
| province (省) | `state` |
| city (市) | `line4` |
| district (区/县) | `line3` |
| detailed address (详细地址): street, building, room | `line1` |
| default address | `UserAddress.is_default_for_shipping` |

`line2`, `postcode` and `title` are not asked for; the country is always China
(Hong Kong, Macao and Taiwan are provinces in the division data). Province, city
and district are chosen from `shop.address.regions`; without JavaScript a
"show cities" button re-renders the form with the chosen province's cities,
mallard.js fills the lists in place.

Oscar's checkout `ShippingAddressForm` builds on this module's
`AbstractAddressForm` (through `get_class`), so checkout and the address book share
it."""

import phonenumbers
from django import forms
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from oscar.apps.address import forms as oscar_forms
from oscar.core.loading import get_model
from oscar.forms.mixins import PhoneNumberMixin

from shop.address import regions

Country = get_model("address", "Country")
UserAddress = get_model("address", "UserAddress")

COUNTRY = "CN"
REFRESH = "address_refresh"
UNASKED = ("title", "last_name", "line2", "postcode")
ORDER = [
    "first_name",
    "phone_number",
    "state",
    "line4",
    "line3",
    "line1",
    "notes",
    "is_default_for_shipping",
    "country",
]


class RegionSelect(forms.Select):
    """A province or city list that, without JavaScript, comes with a button to
    load the next list (mallard.js hides the button and fills the list itself)."""

    def __init__(self, *, level: str, button: str, **kwargs):
        super().__init__(**kwargs)
        self.level = level
        self.button = button

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {
            **(attrs or {}),
            "data-region": self.level,
            "data-regions-url": reverse("customer:regions"),
        }
        select = super().render(name, value, attrs, renderer)
        if not self.button:
            return select
        return format_html(
            '{}<button type="submit" name="{}" value="{}" formnovalidate'
            ' class="button button--ghost region-refresh">{}</button>',
            select,
            REFRESH,
            self.level,
            self.button,
        )


def _choices(names, empty):
    return [("", empty), *((name, name) for name in names)]


def mobile_number(value: str) -> str:
    """A mainland China mobile number in E.164, or a ValidationError."""
    try:
        number = phonenumbers.parse(value, COUNTRY)
    except phonenumbers.NumberParseException as error:
        raise forms.ValidationError(_("Enter a mobile number.")) from error
    if not (
        phonenumbers.is_valid_number_for_region(number, COUNTRY)
        and phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.MOBILE,)
    ):
        raise forms.ValidationError(
            _("Enter a mainland China mobile number, 11 digits starting with 1.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class AbstractAddressForm(oscar_forms.AbstractAddressForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in UNASKED:
            self.fields.pop(name, None)
        province, city = self._chosen("state"), self._chosen("line4")
        if province not in regions.provinces():
            province = city = ""
        if city not in regions.cities(province):
            city = ""
        only_city = self._only_city(province)
        city = city or only_city
        self.fields["first_name"].label = _("Recipient")
        self.fields["first_name"].required = True
        self.fields["line1"].label = _("Detailed address")
        self.fields["line1"].help_text = _("Street, number, building and room")
        self.fields["line1"].required = True
        self.fields["state"] = forms.CharField(
            label=_("Province"),
            widget=RegionSelect(
                level="province",
                button=_("Show cities"),
                choices=_choices(regions.provinces(), _("Choose a province")),
            ),
        )
        self.fields["line4"] = forms.CharField(
            label=_("City"),
            required=not only_city,
            widget=RegionSelect(
                level="city",
                button=_("Show districts"),
                choices=[(only_city, only_city)]
                if only_city
                else _choices(regions.cities(province), _("Choose a city")),
            ),
        )
        self.fields["line3"] = forms.CharField(
            label=_("District"),
            required=False,
            widget=RegionSelect(
                level="district",
                button="",
                choices=_choices(
                    regions.districts(province, city), _("Choose a district")
                ),
            ),
        )
        if "phone_number" in self.fields:
            self.fields["phone_number"].label = _("Mobile number")
            self.fields["phone_number"].required = True
        if "notes" in self.fields:
            self.fields["notes"].widget = forms.TextInput()
            self.fields["notes"].label = _("Note for the courier")
        if "is_default_for_shipping" in self.fields:
            self.fields["is_default_for_shipping"].label = _("Default address")
        if "country" in self.fields:
            # Shipping is within China: the country is not a choice.
            self.fields["country"].widget = forms.HiddenInput()
            self.fields["country"].required = False
            self.initial["country"] = COUNTRY
        self.order_fields(ORDER)

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "") or ""
        return self.initial.get(name) or ""

    @staticmethod
    def _only_city(province: str) -> str:
        """A municipality's one "city" (itself), chosen for the shopper."""
        cities = regions.cities(province)
        return cities[0] if len(cities) == 1 else ""

    @property
    def refreshing(self) -> bool:
        """The shopper pressed "show cities/districts" (no JavaScript)."""
        return self.is_bound and REFRESH in self.data

    def clean_country(self):
        return Country.objects.get(iso_3166_1_a2=COUNTRY)

    def clean_phone_number(self):
        value = (self.cleaned_data.get("phone_number") or "").strip()
        return mobile_number(value) if value else value

    def clean(self):
        data = super().clean()
        province = data.get("state", "")
        city = data.get("line4") or self._only_city(province)
        if city:
            data["line4"] = city
        district = data.get("line3", "")
        if province and province not in regions.provinces():
            self.add_error("state", _("Choose a province from the list."))
        elif province and city and city not in regions.cities(province):
            self.add_error(
                "line4",
                _("%(city)s is not a city in %(province)s.")
                % {"city": city, "province": province},
            )
        elif province and city:
            districts = regions.districts(province, city)
            if districts and not district:
                self.add_error("line3", _("Choose a district."))
            elif district and district not in districts:
                self.add_error(
                    "line3",
                    _("%(district)s is not a district of %(city)s.")
                    % {"district": district, "city": city},
                )
        return data

    def full_clean(self):
        super().full_clean()
        if not self.refreshing or not self._errors:
            # A complete, valid address is a submission whichever button sent it:
            # without JavaScript, Enter in a text box presses the first button in
            # the form, which is "show cities".
            return
        # Not a submission: the form comes back with the next list to choose from,
        # and only a hint instead of every empty field's error. Once the lists are
        # chosen, the real errors stand.
        errors, self._errors = self._errors, ErrorDict()
        chosen = self.cleaned_data
        if not chosen.get("state"):
            self.add_error("state", _("Choose a province."))
        elif not chosen.get("line4"):
            self.add_error("line4", _("Now choose the city."))
        elif not chosen.get("line3") and self.fields["line3"].widget.choices[1:]:
            self.add_error("line3", _("Now choose the district."))
        else:
            self._errors = errors


class UserAddressForm(PhoneNumberMixin, AbstractAddressForm):
    """The address book's form; "default address" is Oscar's default for shipping."""

    class Meta:
        model = UserAddress
        fields = [
            "first_name",
            "phone_number",
            "state",
            "line4",
            "line3",
            "line1",
            "is_default_for_shipping",
            "country",
        ]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user
