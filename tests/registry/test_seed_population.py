import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dost.registry.models import Contribution, DisabilityStatus, NameKey, Person
from dost.registry.seeding import populate
from dost.registry.synthetic import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, female_surname

TODAY = dt.date(2026, 11, 23)


def fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(concat_ws('|', fin, first_name, last_name, patronymic, sex,"
            " birth_date, death_date, phone, region_id, household_id), ',' ORDER BY id))"
            " FROM registry_person"
        )
        people = cursor.fetchone()[0]
        cursor.execute(
            "SELECT md5(string_agg(concat_ws('|', person_id, year, amount), ','"
            " ORDER BY person_id, year)) FROM registry_contribution"
        )
        return people + cursor.fetchone()[0]


def scalar(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.fixture
def country(db):
    return populate(people=3000, seed=7, today=TODAY)


def test_same_seed_gives_the_same_country(country):
    first = fingerprint()
    populate(people=3000, seed=7, today=TODAY, replace=True)
    assert fingerprint() == first


def test_another_seed_gives_another_country(country):
    first = fingerprint()
    populate(people=3000, seed=8, today=TODAY, replace=True)
    assert fingerprint() != first


def test_exactly_the_people_asked_for(country):
    assert country["people"] == Person.objects.count() == 3000
    assert country["households"] > 500


def test_age_pyramid_is_plausible(country):
    under_18 = scalar(f"SELECT avg((birth_date > date '{TODAY}' - interval '18 years')::int)"
                      " FROM registry_person")
    over_65 = scalar(f"SELECT avg((birth_date <= date '{TODAY}' - interval '65 years')::int)"
                     " FROM registry_person")
    assert 0.2 < under_18 < 0.45
    assert 0.03 < over_65 < 0.2


def test_recent_births_and_deaths_exist(country):
    assert Person.objects.filter(birth_date__gt=TODAY - dt.timedelta(days=180)).exists()
    assert Person.objects.filter(death_date__isnull=False).exists()


def test_children_are_younger_than_their_parents(country):
    violations = scalar(
        "SELECT count(*) FROM registry_familyrelation r"
        " JOIN registry_person c ON c.id = r.person_id"
        " JOIN registry_person p ON p.id = r.relative_id"
        " WHERE r.kind = 'parent' AND p.birth_date > c.birth_date - interval '16 years'"
    )
    assert violations == 0
    assert scalar("SELECT count(*) FROM registry_familyrelation WHERE kind = 'parent'") > 1000


def test_spouses_are_recorded_both_ways(country):
    one_way = scalar(
        "SELECT count(*) FROM registry_familyrelation a WHERE a.kind = 'spouse' AND NOT EXISTS"
        " (SELECT 1 FROM registry_familyrelation b WHERE b.kind = 'spouse'"
        "  AND b.person_id = a.relative_id AND b.relative_id = a.person_id)"
    )
    assert one_way == 0


def test_jobs_contributions_and_disabilities_are_derived(country):
    assert Contribution.objects.filter(year__lt=2006).count() == 0
    assert Contribution.objects.filter(insured_months__gt=12).count() == 0
    assert Contribution.objects.count() > country["employment spells"]
    share_disabled = DisabilityStatus.objects.values("person").distinct().count() / 3000
    assert 0.02 < share_disabled < 0.15


def test_every_person_bears_a_first_name_of_their_sex(country):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sex, first_name FROM registry_person"
            " WHERE NOT (CASE sex WHEN 'F' THEN first_name = ANY(%s)"
            "                     ELSE first_name = ANY(%s) END)",
            [list(FIRST_NAMES_FEMALE), list(FIRST_NAMES_MALE)],
        )
        assert cursor.fetchall() == []
    assert Person.objects.filter(sex="F").count() > 1000
    assert Person.objects.filter(sex="M").count() > 1000


def test_no_first_name_is_given_to_both_sexes():
    assert not set(FIRST_NAMES_FEMALE) & set(FIRST_NAMES_MALE)
    assert "Yaqub" in FIRST_NAMES_MALE
    assert "Nigar" in FIRST_NAMES_FEMALE
    assert all(name == name.strip() for name in FIRST_NAMES_FEMALE + FIRST_NAMES_MALE)


def test_patronymics_and_surnames_follow_sex(country):
    mismatched = scalar(
        "SELECT count(*) FROM registry_person WHERE"
        " (sex = 'F' AND (patronymic NOT LIKE '% qızı' OR last_name ~ '(ov|ev|in|oğlu)$'))"
        " OR (sex = 'M' AND (patronymic NOT LIKE '% oğlu' OR last_name ~ '(ova|eva|ina|qızı)$'))"
    )
    assert mismatched == 0


def test_a_child_bears_the_father_s_first_name_in_the_patronymic(country):
    mismatched = scalar(
        "SELECT count(*) FROM registry_familyrelation r"
        " JOIN registry_person c ON c.id = r.person_id"
        " JOIN registry_person f ON f.id = r.relative_id AND f.sex = 'M'"
        " WHERE r.kind = 'parent' AND split_part(c.patronymic, ' ', 1) <> f.first_name"
    )
    assert mismatched == 0


def test_a_woman_bears_the_female_form_of_a_surname():
    assert female_surname("Əliyev") == "Əliyeva"
    assert female_surname("Qurbanov") == "Qurbanova"
    assert female_surname("Vəlioğlu") == "Vəliqızı"
    assert female_surname("Hüseynli") == "Hüseynli"
    assert female_surname("Məmmədzadə") == "Məmmədzadə"


def test_every_name_is_in_the_lookup_vocabulary(country):
    missing = scalar(
        "SELECT count(*) FROM registry_person p WHERE NOT EXISTS"
        " (SELECT 1 FROM registry_namekey k WHERE k.key = p.last_name_key)"
    )
    assert missing == 0
    assert NameKey.objects.count() > 100


def test_command_refuses_to_add_to_a_populated_registry(country):
    before = fingerprint()
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed_population", people=10, seed=1, no_progress=True)
    assert fingerprint() == before


def test_replace_is_refused_while_citizens_have_accounts(country, alice):
    with pytest.raises(CommandError, match="accounts"):
        call_command("seed_population", people=10, seed=1, replace=True, no_progress=True)
    assert Person.objects.count() == 3001


def test_command_reports_what_it_seeded(db):
    out = StringIO()
    call_command("seed_population", people=200, seed=3, no_progress=True, stdout=out)
    assert "200 people" in out.getvalue()


def test_command_refuses_a_non_positive_count(db):
    with pytest.raises(CommandError):
        call_command("seed_population", people=0, no_progress=True)
