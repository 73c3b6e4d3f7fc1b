from django.db import migrations


class Migration(migrations.Migration):
    """A centre's hours are its weekday rows now (0009 moved them there)."""

    dependencies = [
        ("centres", "0009_centre_hours_and_services"),
    ]

    operations = [
        migrations.RemoveField(model_name="centre", name="opens_at"),
        migrations.RemoveField(model_name="centre", name="closes_at"),
    ]
