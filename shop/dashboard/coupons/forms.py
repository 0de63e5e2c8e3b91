from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from oscar.forms import widgets

from shop.coupons.models import Coupon
from shop.coupons.services import CouponDefinition, offer_name_for
from shop.coupons.terms import AMOUNT, PERCENTAGE, Terms, terms_of

Range = get_model("offer", "Range")
ConditionalOffer = get_model("offer", "ConditionalOffer")

TERMS_FIELDS = ["discount_type", "discount_value", "min_spend", "scope", "combinable"]


class CouponForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What shoppers see, e.g. “¥20 off orders over ¥199”."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=255, required=False
    )
    discount_type = forms.ChoiceField(
        label=_("Discount"),
        choices=[(AMOUNT, _("An amount off")), (PERCENTAGE, _("A percentage off"))],
    )
    discount_value = forms.DecimalField(
        label=_("Amount or percentage"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_spend = forms.DecimalField(
        label=_("Minimum spend"),
        max_digits=12,
        decimal_places=2,
        initial=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "What the basket must hold within the scope before the coupon works "
            "(Oscar's condition value); 0 for no minimum."
        ),
    )
    scope = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Range.objects.order_by("name"),
        required=False,
        empty_label=_("The whole shop"),
        help_text=_("An Oscar range the coupon is for, or the whole shop."),
    )
    combinable = forms.BooleanField(
        label=_("Can be combined with other offers"), required=False, initial=True
    )
    total_quantity = forms.IntegerField(
        label=_("How many can be claimed"),
        validators=[MinValueValidator(1), MaxValueValidator(10_000_000)],
    )
    per_shopper_limit = forms.IntegerField(
        label=_("Claims per shopper"),
        initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    claim_start = forms.DateTimeField(
        label=_("Claimable from"), widget=widgets.DateTimePickerInput()
    )
    claim_end = forms.DateTimeField(
        label=_("Claimable until"), widget=widgets.DateTimePickerInput()
    )
    validity = forms.ChoiceField(
        label=_("Valid"), choices=Coupon.VALIDITY_CHOICES, widget=forms.RadioSelect
    )
    valid_days = forms.IntegerField(
        label=_("Days valid after claiming"),
        required=False,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    valid_from = forms.DateTimeField(
        label=_("Valid from"), required=False, widget=widgets.DateTimePickerInput()
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until"), required=False, widget=widgets.DateTimePickerInput()
    )

    def __init__(self, *args, coupon: Coupon | None = None, **kwargs):
        self.coupon = coupon
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("validity", Coupon.DAYS_AFTER_CLAIM)
        self.terms_editable = True
        if coupon is not None:
            initial.update(
                {
                    field: getattr(coupon, field)
                    for field in [
                        "name",
                        "description",
                        "total_quantity",
                        "per_shopper_limit",
                        "claim_start",
                        "claim_end",
                        "validity",
                        "valid_days",
                        "valid_from",
                        "valid_until",
                    ]
                }
            )
            terms = terms_of(coupon.offer)
            if terms is None:
                self.terms_editable = False
            else:
                initial.update(
                    discount_type=terms.discount_type,
                    discount_value=terms.discount_value,
                    min_spend=terms.min_spend,
                    scope=terms.scope,
                    combinable=terms.combinable,
                )
        super().__init__(*args, **kwargs)
        if not self.terms_editable:
            # Oscar's offer wizard gave the offer terms this form can't show: they
            # are edited there (the coupon page links to it).
            for field in TERMS_FIELDS:
                del self.fields[field]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Coupon.objects.filter(name__iexact=name)
        if self.coupon is not None:
            others = others.exclude(pk=self.coupon.pk)
        if others.exists():
            raise forms.ValidationError(_("Another coupon has this name."))
        offers = ConditionalOffer.objects.filter(name__iexact=offer_name_for(name))
        if self.coupon is not None:
            offers = offers.exclude(pk=self.coupon.offer_id)
        if offers.exists():
            raise forms.ValidationError(_("An offer already has this coupon's name."))
        return name

    def clean_total_quantity(self):
        total = self.cleaned_data["total_quantity"]
        if self.coupon is not None and total < self.coupon.num_claimed:
            raise forms.ValidationError(
                _("%(claimed)s have been claimed already: it can't be fewer.")
                % {"claimed": self.coupon.num_claimed}
            )
        return total

    def clean(self):
        data = super().clean()
        start, end = data.get("claim_start"), data.get("claim_end")
        if start and end and end <= start:
            self.add_error("claim_end", _("The claim window must end after it starts."))
        if data.get("validity") == Coupon.FIXED_DATES:
            valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
            if not valid_from:
                self.add_error("valid_from", _("Say when the coupon can be used from."))
            if not valid_until:
                self.add_error("valid_until", _("Say until when it can be used."))
            if valid_from and valid_until and valid_until <= valid_from:
                self.add_error("valid_until", _("It must be valid for some time."))
            if valid_until and start and valid_until <= start:
                self.add_error(
                    "valid_until",
                    _("It must still be valid once shoppers can claim it."),
                )
        elif data.get("validity") == Coupon.DAYS_AFTER_CLAIM and not data.get(
            "valid_days"
        ):
            self.add_error("valid_days", _("Say for how many days it is valid."))
        if (
            self.terms_editable
            and data.get("discount_type") == PERCENTAGE
            and (data.get("discount_value") or 0) > 100
        ):
            self.add_error("discount_value", _("A percentage can't be over 100."))
        return data

    def definition(self) -> CouponDefinition:
        data = self.cleaned_data
        terms = None
        if self.terms_editable:
            terms = Terms(
                discount_type=data["discount_type"],
                discount_value=data["discount_value"],
                min_spend=data["min_spend"],
                scope=data["scope"],
                combinable=data["combinable"],
            )
        return CouponDefinition(
            name=data["name"],
            description=data["description"],
            total_quantity=data["total_quantity"],
            per_shopper_limit=data["per_shopper_limit"],
            claim_start=data["claim_start"],
            claim_end=data["claim_end"],
            validity=data["validity"],
            valid_from=data.get("valid_from"),
            valid_until=data.get("valid_until"),
            valid_days=data.get("valid_days"),
            terms=terms,
        )
