"""The search page's "hot searches": what several shoppers searched and found, minus
what editors block. A query reaches a public page only through here."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.search.utils import normalise_query_string

from .models import BlockedSearchTerm, SuccessfulSearch


def hot_search_record(*, query: str, session_key: str) -> None:
    """Count `session_key` as one searcher of `query` today (call only when the
    search found something); idempotent."""
    query = normalise_query_string(query)
    if not query or not session_key:
        return
    searcher = salted_hmac("search.hot_searches", session_key).hexdigest()
    SuccessfulSearch.objects.bulk_create(
        [SuccessfulSearch(query_string=query, searcher=searcher)],
        ignore_conflicts=True,
    )


def hot_searches(*, days: int = 7, limit: int = 8) -> list[str]:
    """This week's queries found by the most sessions (at least
    HOT_SEARCH_MIN_SESSIONS), none containing a blocked term."""
    since = timezone.localdate() - timedelta(days=days)
    queries = SuccessfulSearch.objects.filter(date__gt=since)
    for term in BlockedSearchTerm.objects.values_list("term", flat=True):
        queries = queries.exclude(query_string__icontains=term)
    return list(
        queries.values("query_string")
        .annotate(sessions=Count("searcher", distinct=True))
        .filter(sessions__gte=settings.HOT_SEARCH_MIN_SESSIONS)
        .order_by("-sessions", "query_string")
        .values_list("query_string", flat=True)[:limit]
    )
