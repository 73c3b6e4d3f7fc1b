"""A scan after a completed one looks only at who may have changed, and finds the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from dost.entitlements.models import Award
from dost.registry.models import Person
from dost.registry.seeding import populate
from tests.pensions.conftest import TODAY, awards_of, insure, make_parent, record_death

TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_recording_margin(settings):
    # Everything in a test happens within seconds; the margin would make every fact
    # recorded in it count as recent.
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0


def test_the_first_scan_looks_at_everyone(scan, make_person):
    make_person()
    first = scan()
    assert first.incremental_rules == []
    assert first.since is None


def test_the_next_days_scan_looks_only_at_who_may_have_changed(scan, make_person):
    for number in range(5):
        make_person(fin=f"9NCR00{number}")
    scan()
    next_day = scan(TOMORROW)
    assert sorted(next_day.incremental_rules) == sorted(next_day.rules)
    assert next_day.since == TODAY
    assert next_day.people_rechecked == 0
    assert next_day.people_scanned == 5


def test_someone_reaching_retirement_age_between_scans_is_awarded(scan, make_person):
    # Men retire at 65 (780 months) on these dates. (A woman born that day reached 64.5
    # on 2026-05-24, before the step to 65, and retired then.)
    person = make_person(fin="9RET001", sex="M", birth_date=dt.date(1961, 11, 24))
    insure(person, range(1995, 2026))
    scan()
    assert awards_of(person, "old_age_pension") == []
    next_day = scan(TOMORROW)
    assert "pensions.old_age" in next_day.incremental_rules
    [award] = awards_of(person, "old_age_pension")
    assert award.period_start == TOMORROW


def test_contributions_recorded_after_a_scan_are_taken_into_account(scan, make_person):
    person = make_person(fin="9CNT001", birth_date=dt.date(1955, 3, 1))
    scan()
    assert awards_of(person, "old_age_pension") == []
    insure(person, range(1996, 2026))
    next_day = scan(TOMORROW)
    assert "pensions.old_age" in next_day.incremental_rules
    assert next_day.people_rechecked == 1
    assert len(awards_of(person, "old_age_pension")) == 1


def test_a_death_recorded_before_a_scan_but_dated_after_it_is_taken_into_account(
        scan, make_person):
    father = make_person(fin="9DAD201", sex="M", birth_date=dt.date(1975, 5, 1))
    insure(father, range(2006, 2026))
    child = make_person(fin="9KJD001", birth_date=dt.date(2015, 2, 1))
    make_parent(child, father)
    record_death(father, TOMORROW)
    scan()
    assert awards_of(child, "survivor_pension") == []
    next_day = scan(TOMORROW)
    assert "pensions.survivor" in next_day.incremental_rules
    assert len(awards_of(child, "survivor_pension")) == 1


def test_a_law_change_between_scans_sends_its_rules_over_everyone(scan, make_person):
    make_person()
    scan(dt.date(2026, 6, 29))
    # The women's retirement age rose on 2026-07-01; the childbirth allowance did not change.
    after = scan(dt.date(2026, 7, 2))
    assert "pensions.old_age" not in after.incremental_rules
    assert "pensions.childbirth_allowance" in after.incremental_rules


def test_the_first_scan_of_a_year_looks_at_everyone(scan, make_person):
    make_person()
    scan(dt.date(2026, 12, 31))
    assert scan(dt.date(2027, 1, 1)).incremental_rules == []


def test_a_full_scan_can_be_asked_for(scan, make_person):
    make_person()
    scan()
    assert scan(TOMORROW, full=True).incremental_rules == []


def test_a_failed_scan_is_not_resumed_from(scan, make_person):
    make_person()
    first = scan()
    first.status = first.Status.FAILED
    first.save(update_fields=["status"])
    assert scan(TOMORROW).incremental_rules == []


def test_an_incremental_scan_awards_what_a_full_scan_would(db, scan):
    # A country, scanned in July; by November some have reached retirement age,
    # children have grown, and a few insured people have died since.
    start, later = dt.date(2026, 7, 2), dt.date(2026, 11, 23)
    populate(people=3000, seed=21, today=start)
    first = scan(start)
    assert first.incremental_rules == []
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT DISTINCT r.relative_id FROM registry_familyrelation r
            JOIN registry_contribution c ON c.person_id = r.relative_id
            JOIN registry_person d ON d.id = r.relative_id
            WHERE r.kind = 'parent' AND d.death_date IS NULL ORDER BY 1 LIMIT 8""")
        deceased = [row[0] for row in cursor.fetchall()]
    Person.objects.filter(pk__in=deceased).update(death_date=dt.date(2026, 9, 1),
                                                  updated_at=timezone.now())

    incremental = scan(later)
    assert sorted(incremental.incremental_rules) == sorted(incremental.rules)
    # Far fewer than everyone, although each card account the bank opened for an award
    # since July is a change to its holder's record, looked at again with their family.
    assert 0 < incremental.people_rechecked < incremental.people_scanned / 4
    assert incremental.awarded > 0
    benefits = set(Award.objects.filter(scan_run=incremental).values_list("benefit", flat=True))
    assert {"old_age_pension", "survivor_pension"} <= benefits

    everyone = scan(later, full=True)
    assert everyone.incremental_rules == []
    assert everyone.awarded == 0
