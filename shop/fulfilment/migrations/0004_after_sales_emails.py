"""The e-mails the auto-complete task and after-sales send, as Oscar communication
event types (their templates are in templates/oscar/communication/emails/)."""

from django.db import migrations

EMAILS = {
    "ORDER_AUTO_COMPLETED": "Order completed automatically",
    "AFTERSALES_APPROVED": "After-sales request approved",
    "AFTERSALES_REJECTED": "After-sales request rejected",
}


def create(apps, schema_editor):
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    for code, name in EMAILS.items():
        CommunicationEventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "Order related"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fulfilment", "0003_after_sales"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
