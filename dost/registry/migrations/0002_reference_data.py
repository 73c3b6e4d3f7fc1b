from django.db import migrations


def load_reference_data(apps, schema_editor):
    from dost.registry.reference import ECONOMIC_REGIONS, REGIONS, SOURCES

    Source = apps.get_model("registry", "Source")
    EconomicRegion = apps.get_model("registry", "EconomicRegion")
    Region = apps.get_model("registry", "Region")
    for code, az, en, ru in SOURCES:
        Source.objects.update_or_create(code=code, defaults={"name_az": az, "name_en": en,
                                                             "name_ru": ru})
    for code, az, en, ru in ECONOMIC_REGIONS:
        EconomicRegion.objects.update_or_create(code=code, defaults={"name_az": az,
                                                                     "name_en": en, "name_ru": ru})
    for code, economic_region, az, en, ru, _population in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={"economic_region_id": economic_region, "name_az": az, "name_en": en,
                      "name_ru": ru},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
