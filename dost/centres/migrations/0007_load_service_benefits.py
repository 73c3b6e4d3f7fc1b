from django.db import migrations


def load_catalogue(apps, schema_editor):
    # The first load (0003) ran before services named the benefits they grant, and
    # before services no rule grants stopped claiming to be proactive: load it again.
    from dost.centres.services import catalogue_load

    catalogue_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0006_service_benefits"),
    ]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
