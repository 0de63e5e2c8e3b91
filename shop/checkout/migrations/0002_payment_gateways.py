from django.db import migrations, models


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
    ]
