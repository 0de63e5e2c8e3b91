from django.db import migrations
from django.db.models import F

# The text written so far is English: it becomes the English translation. A
# separate migration from the new columns: on PostgreSQL, updating rows in the
# migration that added them fails ("pending trigger events").
FIELDS = {"Voucher": ("name",)}


def copy_into_english(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        apps.get_model("voucher", model_name).objects.update(
            **{f"{field}_en": F(field) for field in fields}
        )


class Migration(migrations.Migration):
    dependencies = [("voucher", "0011_translated_fields")]

    operations = [migrations.RunPython(copy_into_english, migrations.RunPython.noop)]
