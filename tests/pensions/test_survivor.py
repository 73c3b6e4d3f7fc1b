from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.entitlements.models import Award
from tests.pensions.conftest import (
    MINIMUM_PENSION,
    TODAY,
    awards_of,
    insure,
    make_parent,
    marry,
    reasons_in_english,
    record_death,
    run_rules,
)

DEATH = dt.date(2026, 9, 1)


@pytest.fixture
def father(make_person):
    """Insured 16 years, died this autumn."""
    person = make_person(fin="1DAD001", sex="M", first_name="Rauf", last_name="Əliyev",
                         birth_date=dt.date(1980, 3, 1))
    insure(person, range(2010, 2026))
    record_death(person, DEATH)
    return person


@pytest.fixture
def children(make_person, father):
    kids = [make_person(fin="1KDS001", birth_date=dt.date(2012, 4, 1)),
            make_person(fin="1KDS002", birth_date=dt.date(2015, 9, 1))]
    for kid in kids:
        make_parent(kid, father)
    return kids


def test_survivor_pension_shared_between_two_children(father, children):
    assert run_rules(*children) == 2

    awards = list(Award.objects.filter(benefit="survivor_pension").order_by("person_id"))
    assert [award.person for award in awards] == children
    assert {award.basis_person for award in awards} == {father}
    full = Decimal(str(awards[0].facts["full_pension"]))
    assert full == max(Decimal(str(awards[0].facts["pension_capital"])) / 144,
                       MINIMUM_PENSION).quantize(Decimal("0.01"))
    assert [award.amount for award in awards] == [(full / 2).quantize(Decimal("0.01"))] * 2
    facts = awards[0].facts
    assert (facts["deceased_fin"], facts["death_date"], facts["relation"], facts["dependants"]) == (
        "1DAD001", "2026-09-01", "child", 2)
    assert Decimal(str(facts["share"])) == awards[0].amount


def test_children_scanned_in_different_chunks_get_the_same_share(father, children, scan):
    scan(chunk_size=1)

    awards = Award.objects.filter(benefit="survivor_pension")
    assert [award.facts["dependants"] for award in awards] == [2, 2]
    assert len({award.amount for award in awards}) == 1


def test_child_survivor_pension_ends_the_day_before_the_18th_birthday(father, children):
    run_rules(children[0])

    [award] = awards_of(children[0], "survivor_pension")
    assert (award.period_start, award.period_end) == (DEATH, dt.date(2030, 3, 31))


def test_widow_at_retirement_age_shares_with_the_child(make_person, father, children):
    widow = make_person(fin="1WDW001", sex="F", birth_date=dt.date(1960, 1, 1))
    marry(widow, father)

    run_rules(widow, *children)

    [award] = awards_of(widow, "survivor_pension")
    assert award.facts["relation"] == "spouse"
    assert award.facts["dependants"] == 3
    assert award.period_end is None
    reasons = reasons_in_english(award)
    assert "your spouse" in reasons and "1DAD001" in reasons


def test_widow_below_retirement_age_is_not_a_dependant(make_person, father, children):
    widow = make_person(fin="1WDW002", sex="F", birth_date=dt.date(1975, 1, 1))
    marry(widow, father)

    run_rules(widow, *children)

    assert not awards_of(widow, "survivor_pension")
    assert {award.facts["dependants"] for award in Award.objects.all()} == {2}


def test_widow_with_her_own_old_age_pension_keeps_it(make_person, father):
    widow = make_person(fin="1WDW003", sex="F", birth_date=dt.date(1958, 1, 1))
    insure(widow, range(2006, 2026))
    run_rules(widow)
    assert awards_of(widow, "old_age_pension")
    marry(widow, father)

    assert run_rules(widow) == 0


def test_deceased_insured_under_five_years_leaves_no_survivor_pension(make_person):
    parent = make_person(fin="1DAD002", sex="M", birth_date=dt.date(1990, 3, 1))
    insure(parent, range(2022, 2026))
    insure(parent, range(2026, 2027), months=11)  # 59 months in all
    record_death(parent, DEATH)
    child = make_person(fin="1KDS003", birth_date=dt.date(2020, 1, 1))
    make_parent(child, parent)

    assert run_rules(child) == 0


def test_adult_child_gets_no_survivor_pension(make_person, father):
    grown_up = make_person(fin="1KDS004", birth_date=dt.date(2005, 1, 1))
    make_parent(grown_up, father)

    assert run_rules(grown_up) == 0


def test_child_of_a_living_parent_gets_no_survivor_pension(make_person):
    parent = make_person(fin="1DAD003", sex="M", birth_date=dt.date(1980, 3, 1))
    insure(parent, range(2010, 2026))
    child = make_person(fin="1KDS005", birth_date=dt.date(2015, 1, 1))
    make_parent(child, parent)

    assert run_rules(child) == 0


def test_second_run_awards_no_new_survivor_pension(father, children):
    run_rules(*children)

    assert run_rules(*children, on=TODAY + dt.timedelta(days=1)) == 0
    assert Award.objects.filter(benefit="survivor_pension").count() == 2
