from django.db import migrations
from django.db.models import F

# Range names written so far are English: they become the English translation (a
# migration of its own, as 0015 explains).


def copy_into_english(apps, schema_editor):
    apps.get_model("offer", "Range").objects.update(name_en=F("name"))


class Migration(migrations.Migration):
    dependencies = [("offer", "0016_range_name_translated")]

    operations = [migrations.RunPython(copy_into_english, migrations.RunPython.noop)]
