import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("entitlements", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scanrun",
            name="rules",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=64), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="scanrun",
            name="incremental_rules",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=64), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="scanrun",
            name="since",
            field=models.DateField(blank=True, null=True, verbose_name="changes since"),
        ),
        migrations.AddField(
            model_name="scanrun",
            name="people_rechecked",
            field=models.PositiveBigIntegerField(default=0, verbose_name="people rechecked"),
        ),
        migrations.AlterField(
            model_name="scanrun",
            name="started_at",
            field=models.DateTimeField(
                db_default=django.db.models.expressions.Func(
                    function="clock_timestamp", output_field=models.DateTimeField()
                )
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=django.contrib.postgres.indexes.BrinIndex(
                fields=["decided_at"], name="award_decided_brin"
            ),
        ),
    ]
