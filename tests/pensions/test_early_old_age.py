from __future__ import annotations

import datetime as dt

import pytest

from dost.entitlements.models import Award
from tests.pensions.conftest import (
    TODAY,
    awards_of,
    find_disabled,
    insure,
    make_parent,
    reasons_in_english,
    run_rules,
)

# Born on this day, she turned 59 on 2025-05-01, while the women's retirement age in force
# was 64 (from 2024-07-01): five years earlier is 59, so she could retire that very day.
BORN = dt.date(1966, 5, 1)
REACHED_EARLY_AGE = dt.date(2025, 5, 1)


@pytest.fixture
def mother(make_person):
    person = make_person(fin="1MAM501", sex="F", birth_date=BORN)
    insure(person, range(2006, 2026), amount="2000")
    return person


def have_children(make_person, mother, births: list[dt.date]) -> None:
    for number, birth_date in enumerate(births):
        make_parent(make_person(fin=f"1CHL{number:03d}", birth_date=birth_date), mother)


def test_mother_of_five_retires_five_years_early(make_person, mother):
    have_children(make_person, mother, [dt.date(1990 + year, 1, 1) for year in range(5)])

    assert run_rules(mother) == 1

    [award] = awards_of(mother, "old_age_pension")
    assert award.rule == "pensions.early_old_age_mothers"
    assert award.period_start == REACHED_EARLY_AGE
    assert award.facts["children"] == 5
    assert award.facts["reached_on"] == REACHED_EARLY_AGE.isoformat()
    assert award.amount >= award.facts["minimum_pension"]
    assert "5 children" in reasons_in_english(award)


def test_mother_of_four_does_not_retire_early(make_person, mother):
    have_children(make_person, mother, [dt.date(1990 + year, 1, 1) for year in range(4)])

    assert run_rules(mother) == 0


def test_mother_waits_until_her_fifth_child_is_eight(make_person, mother):
    fifth_born = dt.date(2018, 6, 1)
    have_children(make_person, mother,
                  [*(dt.date(1990 + year, 1, 1) for year in range(4)), fifth_born])

    run_rules(mother, on=dt.date(2026, 5, 31))
    assert not awards_of(mother, "old_age_pension")
    run_rules(mother, on=dt.date(2026, 6, 1))
    [award] = awards_of(mother, "old_age_pension")
    assert award.period_start == dt.date(2026, 6, 1)


def test_child_taken_in_after_eight_does_not_count(make_person, mother):
    have_children(make_person, mother, [dt.date(1990 + year, 1, 1) for year in range(4)])
    foster = make_person(fin="1CHL901", birth_date=dt.date(2000, 1, 1))
    make_parent(foster, mother, kind="guardian", since=dt.date(2010, 1, 1))

    assert run_rules(mother) == 0


def test_child_adopted_before_eight_counts(make_person, mother):
    have_children(make_person, mother, [dt.date(1990 + year, 1, 1) for year in range(4)])
    adopted = make_person(fin="1CHL902", birth_date=dt.date(2000, 1, 1))
    make_parent(adopted, mother, since=dt.date(2003, 1, 1))

    assert run_rules(mother) == 1


def test_mother_of_a_child_with_disability_retires_early(make_person, mother):
    child = make_person(fin="1CHL903", birth_date=dt.date(2010, 6, 1))
    make_parent(child, mother)
    find_disabled(child, determined_on=dt.date(2015, 3, 1))

    assert run_rules(mother) == 1

    [award] = awards_of(mother, "old_age_pension")
    assert award.facts["children_with_disability"] == 1
    assert award.period_start == REACHED_EARLY_AGE


def test_woman_below_the_early_age_gets_nothing(make_person):
    younger = make_person(fin="1MAM502", sex="F", birth_date=dt.date(1968, 1, 1))
    insure(younger, range(2006, 2026), amount="2000")
    have_children(make_person, younger, [dt.date(1990 + year, 1, 1) for year in range(5)])

    assert run_rules(younger) == 0


def test_mother_at_full_retirement_age_gets_one_ordinary_old_age_pension(make_person, scan):
    older = make_person(fin="1MAM503", sex="F", birth_date=dt.date(1960, 1, 1))
    insure(older, range(2006, 2026), amount="2000")
    have_children(make_person, older, [dt.date(1985 + year, 1, 1) for year in range(5)])

    scan()

    [award] = Award.objects.filter(benefit="old_age_pension")
    assert award.rule == "pensions.old_age"
    assert scan(TODAY + dt.timedelta(days=1)).awarded == 0
