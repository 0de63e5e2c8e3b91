import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

# Rows that record activity rather than demo content.
VOLATILE = {"sessions.session", "wagtailcore.modellogentry", "wagtailcore.pagelogentry"}


def _row_counts() -> dict[str, int]:
    # Oscar's test factories, once a test imports them, register a model of their
    # own (oscar.Band) that has no table.
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in VOLATILE
        and model._meta.managed
        and not model._meta.proxy
        and model._meta.db_table in tables
    }


def test_seed_demo_twice_creates_nothing_twice():
    # The session fixture already seeded once.
    before = _row_counts()

    call_command("seed_demo", verbosity=0)

    assert _row_counts() == before
    assert before["catalogue.product"] == 25
    assert before["auth.user"] == 4


def test_seed_demo_grows_the_catalogue_and_stays_idempotent(capsys):
    call_command("seed_demo", products=120)
    grown = _row_counts()
    call_command("seed_demo", products=120, verbosity=0)

    assert grown["catalogue.product"] == 120
    assert _row_counts() == grown
    assert Product.objects.filter(stockrecords__num_in_stock=0).exists()
    assert "Demo mall ready: 120 products" in capsys.readouterr().out


def test_seed_demo_prints_new_passwords_only_when_asked(capsys):
    call_command("seed_demo")
    kept = capsys.readouterr().out
    call_command("seed_demo", reset_passwords=True)
    reset = capsys.readouterr().out

    assert "unchanged" in kept
    assert "unchanged" not in reset
    editor_line = next(line for line in reset.splitlines() if " editor " in line)
    password = editor_line.split()[-1]
    assert authenticate(username="editor", password=password) is not None
