from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def trigram_indexes(apps, schema_editor):
    """GIN trigram indexes behind typo-tolerant search (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    for column in ("title_text", "body_text"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS modelsearch_{column}_trgm "
            f"ON {schema_editor.quote_name(table)} USING gin ({column} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    """What modelsearch's enable_trigram command does, kept in the migration history so
    every PostgreSQL database (tests and CI included) gets it. Django's extension
    operation does nothing on other databases."""

    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(trigram_indexes, migrations.RunPython.noop),
    ]
