"""The units that answer complaints and the categories of complaint, with their deadlines.

DOMAIN: the Law of the Republic of Azerbaijan "On citizens' appeals" (2015) sets a
general term of 15 working days for answering an appeal, which may be extended
when the examination needs more. The shorter terms below (10 and 5 working days)
are DOST's own service standard as we assume it, not figures from the law.
"""

from django.db import migrations

LAW = {
    "az": "\"Vətəndaşların müraciətləri haqqında\" Qanun (2015): ümumi müddət 15 iş günü, "
          "uzadıla bilər.",
    "en": "Law \"On citizens' appeals\" (2015): a general term of 15 working days, extendable.",
    "ru": "Закон «Об обращениях граждан» (2015): общий срок 15 рабочих дней, может быть "
          "продлён.",
}
# Our assumption, said as such wherever the term is shown.
STANDARD = {
    "az": "DOST-un xidmət standartı (ehtimal): qanunun 15 iş günlük müddətindən qısa.",
    "en": "DOST's service standard (our assumption): shorter than the law's 15 working days.",
    "ru": "Стандарт обслуживания DOST (наше допущение): короче 15 рабочих дней по закону.",
}

UNITS = [
    ("decisions", "Qərarlar və şikayətlər şöbəsi", "Decisions and appeals unit",
     "Отдел решений и апелляций"),
    ("service", "Xidmət keyfiyyəti şöbəsi", "Service quality unit",
     "Отдел качества обслуживания"),
    ("registry", "Məlumatlar şöbəsi", "Registry data unit", "Отдел данных реестра"),
]

CATEGORIES = [
    # code, unit, working days, appeal, names az/en/ru, basis
    ("decision_appeal", "decisions", 15, True,
     "Müavinət və ya pensiya qərarından şikayət", "Appeal against a benefit or pension decision",
     "Обжалование решения о пособии или пенсии", LAW),
    ("service_quality", "service", 10, False,
     "Xidmətin keyfiyyəti", "Quality of service", "Качество обслуживания", STANDARD),
    ("centre_visit", "service", 5, False,
     "Növbə və ya mərkəzə gəliş", "Queue or a visit to a centre", "Очередь или визит в центр",
     STANDARD),
    ("data_correction", "registry", 10, False,
     "Məlumatların düzəldilməsi", "Correction of data", "Исправление данных", STANDARD),
    ("other", "service", 15, False, "Digər", "Other", "Другое", LAW),
]


def seed(apps, schema_editor):
    Unit = apps.get_model("complaints", "Unit")
    Category = apps.get_model("complaints", "Category")
    for code, name_az, name_en, name_ru in UNITS:
        Unit.objects.update_or_create(code=code, defaults={
            "name_az": name_az, "name_en": name_en, "name_ru": name_ru})
    for code, unit, days, appeal, name_az, name_en, name_ru, basis in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={
            "unit_id": unit, "deadline_working_days": days, "appeal": appeal,
            "name_az": name_az, "name_en": name_en, "name_ru": name_ru,
            "legal_basis_az": basis["az"], "legal_basis_en": basis["en"],
            "legal_basis_ru": basis["ru"]})


class Migration(migrations.Migration):

    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
