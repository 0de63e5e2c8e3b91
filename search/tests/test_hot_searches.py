"""Hot searches: only what several shoppers searched and found, minus blocked terms."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from search.hot_searches import hot_search_record, hot_searches
from search.models import BlockedSearchTerm, SuccessfulSearch

pytestmark = pytest.mark.django_db


def _searched_by(query, sessions):
    for n in range(sessions):
        hot_search_record(query=query, session_key=f"session-{n}")


def _search_page(client, query):
    return client.get(reverse("search:search"), {"q": query})


def test_a_query_is_hot_only_once_enough_sessions_searched_it(settings):
    settings.HOT_SEARCH_MIN_SESSIONS = 3
    _searched_by("mango", 2)
    assert hot_searches() == []

    _searched_by("mango", 3)

    assert hot_searches() == ["mango"]


def test_searching_again_from_one_session_counts_once(settings):
    settings.HOT_SEARCH_MIN_SESSIONS = 2
    client = Client()
    for _ in range(5):
        assert _search_page(client, "mango").status_code == 200

    assert SuccessfulSearch.objects.filter(query_string="mango").count() == 1
    assert hot_searches() == []
    _search_page(Client(), "Mango")  # case does not make it another query

    assert hot_searches() == ["mango"]


def test_a_query_that_found_nothing_never_shows(settings):
    settings.HOT_SEARCH_MIN_SESSIONS = 3
    spam = "free iphone at scam.example.com"
    for _ in range(4):
        response = _search_page(Client(), spam)
        assert response.status_code == 200
        assert not response.context["outcome"].products

    for _ in range(3):
        _search_page(Client(), "tea")
    response = _search_page(Client(), "tea")

    assert response.context["hot_searches"] == ["tea"]
    assert "scam.example.com" not in response.content.decode()


def test_an_editor_blocked_term_hides_every_query_containing_it(settings):
    settings.HOT_SEARCH_MIN_SESSIONS = 3
    for query in ("free iphone at scam.example.com", "Scammer deals", "mango"):
        _searched_by(query, 3)

    BlockedSearchTerm.objects.create(term="SCAM")

    assert hot_searches() == ["mango"]


def test_hot_searches_are_this_weeks_most_searched_first(settings):
    settings.HOT_SEARCH_MIN_SESSIONS = 1
    _searched_by("tea", 2)
    _searched_by("mango", 3)
    _searched_by("earbuds", 1)
    SuccessfulSearch.objects.filter(query_string="earbuds").update(
        date=timezone.localdate() - timedelta(days=8)
    )

    assert hot_searches() == ["mango", "tea"]


def test_editors_manage_the_block_list_in_the_wagtail_admin(client, demo_user):
    client.force_login(demo_user("editor"))

    response = client.post(
        reverse("wagtailsnippets_search_blockedsearchterm:add"),
        {"term": "  scam.example.com "},
    )

    assert response.status_code == 302
    assert BlockedSearchTerm.objects.filter(term="scam.example.com").exists()
    listing = client.get(reverse("wagtailsnippets_search_blockedsearchterm:list"))
    assert "scam.example.com" in listing.content.decode()
