from django.db import migrations

# code, az, en, ru
INSTITUTIONS = [
    ("property", "Daşınmaz Əmlakın Dövlət Reyestri Xidməti",
     "State Service for Real Estate Registry", "Государственная служба реестра недвижимости"),
    ("vehicles", "Dövlət Yol Polisi (nəqliyyat vasitələrinin qeydiyyatı)",
     "State Road Police (vehicle register)",
     "Государственная дорожная полиция (реестр транспортных средств)"),
    ("notary", "Notariat və banklar (iri alqı-satqı)", "Notaries and banks (large transactions)",
     "Нотариусы и банки (крупные сделки)"),
    ("utilities", "Kommunal və rabitə xidmətləri", "Utility and communication providers",
     "Поставщики коммунальных услуг и связи"),
    ("employment_service", "Dövlət Məşğulluq Agentliyi", "State Employment Agency",
     "Государственное агентство занятости"),
]


def add(apps, schema_editor):
    Source = apps.get_model("registry", "Source")
    for code, az, en, ru in INSTITUTIONS:
        Source.objects.update_or_create(code=code, defaults={
            "name_az": az, "name_en": en, "name_ru": ru})


def remove(apps, schema_editor):
    apps.get_model("registry", "Source").objects.filter(
        code__in=[row[0] for row in INSTITUTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bridge", "0003_event_review"),
        ("registry", "0009_namekey_nearest_index"),
    ]
    operations = [migrations.RunPython(add, remove)]
