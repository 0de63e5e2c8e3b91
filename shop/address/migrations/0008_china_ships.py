"""China as a shipping country on a fresh install: the China-style address form
(shop/address/forms.py) always saves addresses with country CN."""

from django.db import migrations


def china_ships(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    country, created = Country.objects.get_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "iso_3166_1_numeric": "156",
            "printable_name": "China",
            "name": "China",
            "display_order": 10,
            "is_shipping_country": True,
        },
    )
    if not created and not country.is_shipping_country:
        country.is_shipping_country = True
        country.save(update_fields=["is_shipping_country"])


class Migration(migrations.Migration):
    dependencies = [("address", "0007_useraddress_code")]

    operations = [migrations.RunPython(china_ships, migrations.RunPython.noop)]
