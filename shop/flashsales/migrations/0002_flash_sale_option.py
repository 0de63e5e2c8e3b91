from django.db import migrations


def create_option(apps, schema_editor):
    Option = apps.get_model("catalogue", "Option")
    Option.objects.get_or_create(
        code="flash-sale",
        defaults={"name": "Flash sale", "type": "text", "required": False},
    )


class Migration(migrations.Migration):
    """Oscar's product option marking basket lines that buy flash units."""

    dependencies = [
        ("flashsales", "0001_initial"),
        ("catalogue", "0033_product_search_fields"),
    ]

    operations = [migrations.RunPython(create_option, migrations.RunPython.noop)]
