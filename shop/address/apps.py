import oscar.apps.address.apps as apps


class AddressConfig(apps.AddressConfig):
    """Oscar's address app with a China-style form (forms.py): Oscar's models and
    fields, no new columns."""

    name = "shop.address"
