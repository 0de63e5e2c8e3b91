from django.db import migrations, models

# Events recorded before gateways were neutral carried Stripe's own type names.
STRIPE_TYPES = {
    "payment_intent.succeeded": "payment.succeeded",
    "charge.refunded": "payment.refunded",
}


def neutral_event_types(apps, schema_editor):
    GatewayEvent = apps.get_model("checkout", "GatewayEvent")
    for event in GatewayEvent.objects.filter(processed_at=None):
        kind = STRIPE_TYPES.get(event.type, "other")
        if kind == "payment.refunded":
            event.intent_id = event.payload.get("payment_intent") or ""
            event.payload["_amount_refunded"] = event.payload.get("amount_refunded") or 0
            event.payload["_currency"] = (event.payload.get("currency") or "").upper()
        event.type = kind
        event.save()


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0001_checkout_payment"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkoutpayment",
            name="gateway",
            field=models.CharField(default="stripe", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="gatewayevent",
            name="gateway",
            field=models.CharField(default="stripe", max_length=32),
            preserve_default=False,
        ),
        migrations.RenameField(
            model_name="gatewayevent", old_name="object_id", new_name="intent_id"
        ),
        migrations.AddField(
            model_name="gatewayevent",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="gatewayevent",
            name="event_id",
            field=models.CharField(max_length=255),
        ),
        migrations.AddConstraint(
            model_name="gatewayevent",
            constraint=models.UniqueConstraint(
                fields=("gateway", "event_id"), name="checkout_gatewayevent_once"
            ),
        ),
        migrations.AddIndex(
            model_name="gatewayevent",
            index=models.Index(
                condition=models.Q(processed_at__isnull=True),
                fields=["queued_at"],
                name="checkout_gatewayevent_open",
            ),
        ),
        migrations.RunPython(neutral_event_types, migrations.RunPython.noop),
    ]
