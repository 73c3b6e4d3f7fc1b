"""The catalogue of rehabilitation aids, by category, in Azerbaijani, English and Russian.

``minimum_percent`` is the functional impairment a finding must reach (31: any
disability); ``service_years`` how long the item serves before a replacement may be
asked for; ``returnable`` items go back to the stock when no longer needed.
"""

from django.db import migrations

# code, category, (az, en, ru), minimum percent, service years, returnable
CATALOGUE = [
    ("wheelchair", "mobility",
     ("Əlil arabası", "Wheelchair", "Кресло-коляска"), 61, 6, True),
    ("walking-frame", "mobility",
     ("Yeriyiş çərçivəsi", "Walking frame", "Ходунки"), 31, 5, True),
    ("crutches", "mobility",
     ("Qoltuqağağacları", "Crutches", "Костыли"), 31, 3, False),
    ("rollator", "mobility",
     ("Təkərli yeriyiş çərçivəsi (rollator)", "Rollator", "Ходунки-роллатор"), 41, 5, True),
    ("bath-chair", "self_care",
     ("Vanna oturacağı", "Bath chair", "Стул для ванны"), 31, 5, False),
    ("toilet-frame", "self_care",
     ("Tualet dayaq çərçivəsi", "Toilet frame", "Опорная рама для туалета"), 31, 5, False),
    ("dressing-aids", "self_care",
     ("Geyinmə üçün köməkçi vasitələr", "Dressing aids", "Приспособления для одевания"),
     31, 2, False),
    ("white-cane", "vision",
     ("Ağ əsa", "White cane", "Белая трость"), 31, 2, False),
    ("magnifier", "vision",
     ("Böyüdücü", "Magnifier", "Увеличитель (лупа)"), 31, 5, False),
    ("braille-display", "vision",
     ("Brayl displeyi", "Braille display", "Брайлевский дисплей"), 81, 7, True),
    ("hearing-aid", "hearing",
     ("Eşitmə cihazı", "Hearing aid", "Слуховой аппарат"), 31, 5, False),
    ("vibrating-alarm", "hearing",
     ("Titrəyişli siqnal cihazı", "Vibrating alarm", "Вибрационный будильник"), 31, 5, False),
    ("communication-board", "communication",
     ("Ünsiyyət lövhəsi", "Communication board", "Коммуникативная доска"), 31, 3, False),
    ("speech-generating-device", "communication",
     ("Nitq yaradan cihaz", "Speech-generating device", "Синтезатор речи"), 61, 5, True),
]


def load(apps, schema_editor):
    AidItem = apps.get_model("disability", "AidItem")
    for code, category, (az, en, ru), minimum_percent, service_years, returnable in CATALOGUE:
        AidItem.objects.update_or_create(code=code, defaults={
            "category": category, "name_az": az, "name_en": en, "name_ru": ru,
            "minimum_percent": minimum_percent, "service_years": service_years,
            "returnable": returnable, "active": True,
        })


def unload(apps, schema_editor):
    AidItem = apps.get_model("disability", "AidItem")
    AidItem.objects.filter(code__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("disability", "0003_register_aid_open_states"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
