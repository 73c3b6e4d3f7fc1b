from django.db import migrations


def load_catalogue(apps, schema_editor):
    from dost.centres.services import catalogue_load

    catalogue_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0002_search_and_providers"),
        ("registry", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
