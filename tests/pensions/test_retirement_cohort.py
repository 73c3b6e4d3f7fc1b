"""The retirement age that applies is the one in force on the day a person reaches it.

A person retires on the first day on which their age reaches the age in force
that day (women: 64.5 until 2026-06-30, 65 from 2026-07-01). The rules work
that day out in SQL (``pensions.capital.retirement_months``), the pension
calculator in Python (``pensions.calculator.retirement_date``): they must agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from dost.entitlements.engine import rule_arguments
from dost.entitlements.parameters import ParameterValue, history
from dost.entitlements.rules import rule_for_code
from dost.registry.models import Person
from pensions.calculator import retirement_date
from pensions.capital import REACHING_RETIREMENT_SQL, retirement_band, retirement_months
from pensions.rules_early import EARLY_BY
from tests.pensions.conftest import (
    TODAY,
    awards_of,
    find_disabled,
    insure,
    make_parent,
    marry,
    record_death,
    run_rules,
)

AGES = {"F": "retirement_age_women_months", "M": "retirement_age_men_months"}


@pytest.fixture(autouse=True)
def _no_recording_margin(settings):
    # Everything in a test happens within seconds; the margin would make every fact
    # recorded in it count as recent, and hide what the wake query finds.
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0


@pytest.fixture
def cohorts(db) -> list[Person]:
    """A man and a woman born on the 10th and on the last day of every month, 1950-1975."""
    people = []
    for year in range(1950, 1976):
        for month in range(1, 13):
            for day in (10, calendar.monthrange(year, month)[1]):
                for sex in ("F", "M"):
                    people.append(Person(fin=f"C{len(people):05d}X", first_name="Aysel",
                                         last_name="Quliyeva", sex=sex,
                                         birth_date=dt.date(year, month, day),
                                         source_id="justice"))
    return Person.objects.bulk_create(people)


def retirement_days(rule_code: str, *, earlier_by: str | None = None,
                    condition: str = "true", on: dt.date = TODAY,
                    extra: dict | None = None) -> dict[int, tuple[int, dt.date]]:
    """Each person's (months, reached_on) by the SQL the rule runs, with its arguments.

    The arguments are those of a scan today (the capital's indexation is not known for a
    later year), ``on`` set to the day the conditions ask about.
    """
    arguments = {**rule_arguments(rule_for_code(rule_code), TODAY), "on": on, **(extra or {})}
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT p.id, r.months, r.reached_on FROM registry_person p
            {retirement_months("p", earlier_by=earlier_by)}
            WHERE {condition}""", arguments)  # noqa: S608 (the module's own fragments)
        return {person_id: (months, reached_on) for person_id, months, reached_on in cursor}


def calculated(person: Person, *, earlier_by: int = 0) -> tuple[int, dt.date]:
    """The calculator's retirement age and day for ``person``."""
    ages = [ParameterValue(age.name, age.value - earlier_by, age.starts_on, age.source)
            for age in history(AGES[person.sex])]
    day, age = retirement_date(birth_date=person.birth_date, ages=ages)
    return int(age.value), day


def reached(person: Person) -> tuple[int, dt.date]:
    [(months, day)] = retirement_days("pensions.old_age", condition="p.id = %(person)s",
                                      extra={"person": person.pk}).values()
    return months, day


def test_rule_and_calculator_agree_on_every_cohorts_retirement_day(cohorts):
    by_rule = retirement_days("pensions.old_age")

    assert by_rule == {person.pk: calculated(person) for person in cohorts}


def test_early_age_follows_the_same_cohort_rule_as_the_calculator(cohorts):
    by_rule = retirement_days("pensions.early_old_age_mothers", earlier_by=EARLY_BY)

    assert by_rule == {person.pk: calculated(person, earlier_by=60) for person in cohorts}


@pytest.mark.parametrize("on", [dt.date(2013, 7, 9), dt.date(2018, 6, 30), dt.date(2019, 7, 1),
                                dt.date(2020, 6, 30), dt.date(2026, 2, 28), TODAY,
                                dt.date(2027, 1, 1)])
def test_birth_date_band_leaves_out_no_one_who_has_retired(cohorts, on):
    retired = retirement_days(
        "pensions.old_age", on=on,
        condition=f"{retirement_band('p.birth_date', reached_by='%(on)s')}"
                  " AND r.reached_on <= %(on)s")

    assert set(retired) == {person.pk for person in cohorts if calculated(person)[1] <= on}


@pytest.mark.parametrize("on", [TODAY, dt.date(2020, 2, 29)])
def test_birth_date_band_leaves_out_no_one_who_has_not_retired(cohorts, on):
    working = retirement_days(
        "pensions.old_age", on=on,
        condition=f"{retirement_band('p.birth_date', reached_after='%(on)s')}"
                  " AND r.reached_on > %(on)s")

    assert set(working) == {person.pk for person in cohorts if calculated(person)[1] > on}


@pytest.mark.parametrize(("since", "on"), [
    (dt.date(2018, 6, 30), dt.date(2018, 7, 1)),
    (dt.date(2019, 6, 15), dt.date(2019, 7, 15)),
    (dt.date(2020, 6, 1), dt.date(2020, 7, 31)),
    (dt.date(2026, 3, 9), dt.date(2026, 3, 10)),
    (dt.date(2026, 6, 29), dt.date(2026, 7, 2)),
    (dt.date(2026, 7, 2), TODAY),
    (dt.date(2026, 12, 30), dt.date(2027, 2, 28)),
])
def test_wake_query_finds_exactly_those_who_retire_between_two_scans(cohorts, since, on):
    arguments = {**rule_arguments(rule_for_code("pensions.old_age"), TODAY),
                 "since": since, "on": on}
    with connection.cursor() as cursor:
        cursor.execute(REACHING_RETIREMENT_SQL, arguments)
        woken = {row[0] for row in cursor}

    assert woken == {person.pk for person in cohorts if since < calculated(person)[1] <= on}


# Both sides of every step: the age in force on the day the person reaches it applies.
@pytest.mark.parametrize(("sex", "birth_date", "months", "retires_on"), [
    # Women: 60.5 until 2018-06-30, 61 until 2019-06-30, 61.5 until 2020-06-30.
    ("F", dt.date(1957, 12, 31), 726, dt.date(2018, 6, 30)),
    ("F", dt.date(1958, 1, 1), 732, dt.date(2019, 1, 1)),
    ("F", dt.date(1958, 6, 30), 732, dt.date(2019, 6, 30)),
    ("F", dt.date(1958, 7, 1), 738, dt.date(2020, 1, 1)),
    # Women: 64 until 2025-06-30, 64.5 until 2026-06-30.
    ("F", dt.date(1961, 6, 30), 768, dt.date(2025, 6, 30)),
    ("F", dt.date(1961, 7, 1), 774, dt.date(2026, 1, 1)),
    ("F", dt.date(1961, 9, 10), 774, dt.date(2026, 3, 10)),
    ("F", dt.date(1961, 12, 31), 774, dt.date(2026, 6, 30)),
    # Men: 64 until 2019-06-30, 64.5 until 2020-06-30, then 65.
    ("M", dt.date(1955, 6, 30), 768, dt.date(2019, 6, 30)),
    ("M", dt.date(1955, 7, 1), 774, dt.date(2020, 1, 1)),
    ("M", dt.date(1955, 12, 31), 774, dt.date(2020, 6, 30)),
    ("M", dt.date(1956, 1, 1), 780, dt.date(2021, 1, 1)),
    # Before the first recorded step its age applies, from the day it is reached.
    ("M", dt.date(1950, 1, 10), 762, dt.date(2013, 7, 10)),
])
def test_old_age_pension_starts_on_the_day_the_age_in_force_was_reached(
        make_person, sex, birth_date, months, retires_on):
    person = make_person(sex=sex, birth_date=birth_date)
    insure(person, range(1995, 2026))

    run_rules(person)

    [award] = awards_of(person, "old_age_pension")
    assert award.rule == "pensions.old_age"
    assert award.period_start == retires_on
    assert (award.facts["retirement_age_months"], award.facts["reached_on"]) == (
        months, retires_on.isoformat())


@pytest.mark.parametrize(("birth_date", "retires_on"), [
    # Her 64.5 would fall on 2026-07-01 exactly, the day the age became 65.
    (dt.date(1962, 1, 1), dt.date(2027, 1, 1)),
    # Born a few months after the woman who retired at 64.5 on 2026-03-10.
    (dt.date(1962, 1, 10), dt.date(2027, 1, 10)),
])
def test_woman_reaching_64_and_a_half_from_the_step_on_waits_until_65(
        make_person, birth_date, retires_on):
    person = make_person(sex="F", birth_date=birth_date)
    insure(person, range(1995, 2026))

    run_rules(person)

    assert awards_of(person, "old_age_pension") == []
    assert reached(person) == (780, retires_on)


def test_scan_noticing_late_dates_the_pension_to_the_day_she_retired(make_person, scan):
    person = make_person(sex="F", birth_date=dt.date(1961, 9, 10))
    insure(person, range(1995, 2026))
    scan(dt.date(2026, 3, 9))
    assert awards_of(person, "old_age_pension") == []

    scan(TODAY)

    [award] = awards_of(person, "old_age_pension")
    assert award.period_start == dt.date(2026, 3, 10)
    assert award.facts["retirement_age_months"] == 774


def test_incremental_scan_wakes_her_up_and_dates_the_pension_to_the_day_she_retired(
        make_person, scan):
    person = make_person(sex="F", birth_date=dt.date(1961, 9, 10))
    insure(person, range(1995, 2026))
    scan(dt.date(2026, 3, 9))

    later = scan(dt.date(2026, 6, 30))

    assert "pensions.old_age" in later.incremental_rules
    [award] = awards_of(person, "old_age_pension")
    assert award.period_start == dt.date(2026, 3, 10)


@pytest.mark.parametrize(("birth_date", "early_months", "retires_on"), [
    # 59 (64 − 5) until 2025-06-30, then 59.5 (64.5 − 5).
    (dt.date(1966, 6, 30), 708, dt.date(2025, 6, 30)),
    (dt.date(1966, 7, 1), 714, dt.date(2026, 1, 1)),
])
def test_early_pension_applies_the_cohort_rule_to_the_age_less_five_years(
        make_person, birth_date, early_months, retires_on):
    mother = make_person(sex="F", birth_date=birth_date)
    insure(mother, range(2006, 2026), amount="2000")
    for year in range(5):
        make_parent(make_person(birth_date=dt.date(1990 + year, 1, 1)), mother)

    run_rules(mother)

    [award] = awards_of(mother, "old_age_pension")
    assert award.rule == "pensions.early_old_age_mothers"
    assert award.period_start == retires_on
    assert award.facts["retirement_age_months"] == early_months + 60


def test_widow_is_a_dependant_from_the_day_the_age_in_force_was_reached(make_person):
    husband = make_person(sex="M", birth_date=dt.date(1960, 2, 1))
    insure(husband, range(2006, 2026))
    record_death(husband, dt.date(2026, 1, 15))
    widow = make_person(sex="F", birth_date=dt.date(1961, 9, 10))
    marry(widow, husband)

    run_rules(widow)

    [award] = awards_of(widow, "survivor_pension")
    assert award.period_start == dt.date(2026, 3, 10)


@pytest.mark.parametrize(("birth_date", "disability_pensions", "old_age_pensions"), [
    # Retired at 64.5 on 2026-06-30: the old-age pension takes over.
    (dt.date(1961, 12, 31), 0, 1),
    # Retires at 65 on 2027-01-01: still a disability pensioner.
    (dt.date(1962, 1, 1), 1, 0),
])
def test_disability_pension_stops_at_the_age_in_force_when_it_was_reached(
        make_person, birth_date, disability_pensions, old_age_pensions):
    person = make_person(sex="F", birth_date=birth_date)
    insure(person, range(2006, 2025))
    find_disabled(person, determined_on=dt.date(2025, 1, 15))

    run_rules(person)

    assert len(awards_of(person, "disability_pension")) == disability_pensions
    assert len(awards_of(person, "old_age_pension")) == old_age_pensions


def test_rules_list_the_retirement_ages_with_their_history():
    for code in ("pensions.old_age", "pensions.old_age_transition", "pensions.survivor",
                 "pensions.disability", "pensions.early_old_age_mothers"):
        rule = rule_for_code(code)
        assert set(AGES.values()) <= set(rule.dated_parameters), code
        assert not set(AGES.values()) & set(rule.parameters), code


def test_old_age_award_records_the_steps_in_force_by_the_scan_date(make_person):
    person = make_person(sex="F", birth_date=dt.date(1961, 9, 10))
    insure(person, range(1995, 2026))

    run_rules(person)

    [award] = awards_of(person, "old_age_pension")
    steps = award.parameters["retirement_age_women_months"]
    assert [Decimal(step["value"]) for step in steps][-2:] == [Decimal(774), Decimal(780)]
