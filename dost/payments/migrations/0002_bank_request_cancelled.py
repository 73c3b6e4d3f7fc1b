from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bankrequest",
            name="status",
            field=models.CharField(
                choices=[("queued", "queued"), ("sent", "sent to the bank"), ("done", "done"),
                         ("rejected", "rejected by the bank"), ("failed", "failed"),
                         ("cancelled", "cancelled")],
                db_default="queued", max_length=16, verbose_name="status",
            ),
        ),
        migrations.RemoveConstraint(model_name="bankrequest", name="bankrequest_status_valid"),
        migrations.AddConstraint(
            model_name="bankrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["queued", "sent", "done", "rejected", "failed",
                                                   "cancelled"])),
                name="bankrequest_status_valid",
            ),
        ),
    ]
