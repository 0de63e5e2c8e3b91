"""The shopper's after-sales forms: which units, why, up to three photos; the
return's carrier and tracking number."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .aftersales import MAX_PHOTOS, REASONS, RequestedLine
from .models import AfterSalesRequest, Carrier

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Pillow's format name → the file's extension (stored names come from the content,
# never from the upload's own name, so nothing is served as anything but a picture).
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class PhotosInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    """Up to MAX_PHOTOS images (JPEG, PNG or WebP, 5 MB each), checked by Pillow."""

    widget = PhotosInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f] if isinstance(data, list) else [data]
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Add at most %(count)s photos.") % {"count": MAX_PHOTOS}
            )
        cleaned = []
        for upload in files:
            if upload.size > MAX_PHOTO_BYTES:
                raise ValidationError(
                    _("“%(name)s” is larger than 5 MB.") % {"name": upload.name}
                )
            image = super().clean(upload, initial)
            if getattr(image.image, "format", None) not in PHOTO_FORMATS:
                raise ValidationError(
                    _("“%(name)s” is not a JPEG, PNG or WebP photo.")
                    % {"name": upload.name}
                )
            image.seek(0)
            image.name = f"photo.{PHOTO_FORMATS[image.image.format]}"
            cleaned.append(image)
        return cleaned


class AfterSalesRequestForm(forms.Form):
    """A tick and a quantity for each line that can be asked about."""

    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=AfterSalesRequest.KINDS,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=list(REASONS.items()))
    description = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Up to 3 photos (JPEG, PNG or WebP, 5 MB each)."),
    )

    def __init__(self, lines, *args, preselected=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)  # (line, units that can be asked about)
        for line, left in self.lines:
            self.fields[f"line_{line.pk}"] = forms.BooleanField(
                label=line.title,
                required=False,
                initial=str(line.pk) == str(preselected),
            )
            self.fields[f"quantity_{line.pk}"] = forms.IntegerField(
                label=_("How many of “%(title)s”") % {"title": line.title},
                min_value=1,
                max_value=left,
                initial=left,
                required=False,
            )

    def line_rows(self):
        return [
            (line, left, self[f"line_{line.pk}"], self[f"quantity_{line.pk}"])
            for line, left in self.lines
        ]

    def clean(self):
        cleaned = super().clean()
        chosen = [
            RequestedLine(line, cleaned.get(f"quantity_{line.pk}"))
            for line, _left in self.lines
            if cleaned.get(f"line_{line.pk}")
        ]
        for requested in chosen:
            if requested.quantity is None:
                self.add_error(
                    f"quantity_{requested.line.pk}", _("Say how many units.")
                )
        if not chosen and not self.errors:
            raise ValidationError(_("Choose at least one item."))
        cleaned["lines"] = chosen
        return cleaned


class ReturnShipmentForm(forms.Form):
    carrier = forms.ModelChoiceField(
        label=_("Carrier"),
        queryset=Carrier.objects.filter(is_active=True),
        empty_label=None,
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
