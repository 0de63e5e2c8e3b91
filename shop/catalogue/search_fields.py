"""Search fields over every language of a translated field (django-modeltranslation),
so a shopper finds a product by its Chinese or its English name whatever language
the index was refreshed in."""

from modelsearch import index
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname


class _AllLanguages:
    def get_value(self, obj):
        values = (
            getattr(obj, build_localized_fieldname(self.field_name, language), None)
            for language in AVAILABLE_LANGUAGES
        )
        return " ".join(dict.fromkeys(value for value in values if value))


class TranslatedSearchField(_AllLanguages, index.SearchField):
    pass


class TranslatedAutocompleteField(_AllLanguages, index.AutocompleteField):
    pass
