from django.conf import settings
from django.db import migrations


def create_content_locales(apps, schema_editor):
    """A Locale per content language. A new database gets the default one from
    Wagtail's own migration (LANGUAGE_CODE); one made before pages were translated
    has only the language it started in, and editors need both to translate."""
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", []):
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_flash_sale_block"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        migrations.RunPython(create_content_locales, migrations.RunPython.noop)
    ]
