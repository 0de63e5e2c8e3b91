"""Dashboard forms that edit a translated field (django-modeltranslation) in each
language, side by side: Chinese first, then English, each labelled."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

# Chinese first: most merchandisers write Chinese; English is the fallback.
LANGUAGE_ORDER = sorted(AVAILABLE_LANGUAGES, key=lambda code: code != "zh-hans")


def translated_fields(model, fields) -> list[str]:
    """`fields` with each translated one replaced by its per-language fields."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        return list(fields)
    expanded = []
    for name in fields:
        if name in translated:
            expanded += [
                build_localized_fieldname(name, code) for code in LANGUAGE_ORDER
            ]
        else:
            expanded.append(name)
    return expanded


class TranslatedFieldsMixin:
    """Labels each language's field and asks for at least one of them where
    Oscar's field was required (a missing language falls back to the other)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        names = dict(settings.LANGUAGES)
        self._translated = {}
        for name in translator.get_options_for_model(model).fields:
            localized = [
                build_localized_fieldname(name, code)
                for code in LANGUAGE_ORDER
                if build_localized_fieldname(name, code) in self.fields
            ]
            if not localized:
                continue
            original = model._meta.get_field(name)
            self._translated[name] = (localized, not original.blank)
            for code, field_name in zip(LANGUAGE_ORDER, localized, strict=False):
                field = self.fields[field_name]
                field.required = False
                field.label = _("%(field)s (%(language)s)") % {
                    "field": original.verbose_name.capitalize(),
                    "language": names.get(code, code),
                }
                field.widget.attrs.setdefault("lang", code)
                field.widget.attrs["class"] = (
                    field.widget.attrs.get("class", "") + " translated-field"
                ).strip()

    def clean(self):
        cleaned_data = super().clean()
        for localized, required in self._translated.values():
            if required and not any(cleaned_data.get(name) for name in localized):
                self.add_error(
                    localized[0],
                    forms.ValidationError(_("Fill in at least one language.")),
                )
        return cleaned_data
