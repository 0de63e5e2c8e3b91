"""modelsearch's database backend with Chinese word segmentation.

Set as the search backend (SEARCH_BACKEND) for products and Wagtail pages alike:
every text it indexes has its Chinese runs cut into words (search.segmentation),
autocomplete text also gets the pinyin of those words, and a query string is cut
the same way before the database sees it. Everything else is modelsearch's own
backend for the database in use (PostgreSQL, SQLite).
"""

from functools import cache

from modelsearch import index
from modelsearch.backends import database

from . import segmentation


class _SegmentedSearchField(index.SearchField):
    def __init__(self, field: index.SearchField):
        super().__init__(field.field_name, boost=field.boost, **field.kwargs)
        self._field = field

    def get_value(self, obj):
        value = self._field.get_value(_unwrapped(obj))
        return segmentation.index_text(value) if isinstance(value, str) else value


class _SegmentedAutocompleteField(index.AutocompleteField):
    def __init__(self, field: index.AutocompleteField):
        super().__init__(field.field_name, **field.kwargs)
        self._field = field

    def get_value(self, obj):
        value = self._field.get_value(_unwrapped(obj))
        if not isinstance(value, str) or not segmentation.has_han(value):
            return value
        return f"{segmentation.index_text(value)} {segmentation.pinyin_keys(value)}"


class _SegmentedRelatedFields(index.RelatedFields):
    def __init__(self, field: index.RelatedFields):
        super().__init__(field.field_name, [_segmented(f) for f in field.fields])
        self._field = field

    def get_value(self, obj):
        return self._field.get_value(_unwrapped(obj))


def _segmented(field):
    if isinstance(field, index.SearchField):
        return _SegmentedSearchField(field)
    if isinstance(field, index.AutocompleteField):
        return _SegmentedAutocompleteField(field)
    if isinstance(field, index.RelatedFields):
        return _SegmentedRelatedFields(field)
    return field


class _Segmenting:
    """What the backend's indexer reads of an object, with its fields segmented."""

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, name):
        return getattr(self._obj, name)

    def get_search_fields(self):
        return [_segmented(field) for field in self._obj.get_search_fields()]


def _unwrapped(obj):
    return obj._obj if isinstance(obj, _Segmenting) else obj


class _SegmentingIndex:
    def add_items(self, model, objs):
        super().add_items(model, [_Segmenting(obj) for obj in objs])


class _SegmentingBackend:
    def search(self, query, model_or_queryset, *args, **kwargs):
        if isinstance(query, str):
            query = segmentation.query_text(query)
        return super().search(query, model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        if isinstance(query, str):
            query = segmentation.query_text(query)
        return super().autocomplete(query, model_or_queryset, *args, **kwargs)


@cache
def _segmenting(backend_class: type) -> type:
    index_class = type(
        f"Segmenting{backend_class.index_class.__name__}",
        (_SegmentingIndex, backend_class.index_class),
        {},
    )
    return type(
        f"Segmenting{backend_class.__name__}",
        (_SegmentingBackend, backend_class),
        {"index_class": index_class},
    )


def SearchBackend(params):  # noqa: N802  modelsearch's name for a backend factory
    """The database's own modelsearch backend, segmenting Chinese."""
    return _segmenting(type(database.SearchBackend(params)))(params)
