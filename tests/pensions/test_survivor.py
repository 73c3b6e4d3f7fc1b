from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

import pytest
from django.utils import translation

from dost.entitlements.models import Award
from dost.registry.models import Person, Study
from pensions.rules_survivor import explain_survivor
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
CENT = Decimal("0.01")


def floor_share(full: Decimal, dependants: int) -> Decimal:
    return (full / dependants).quantize(CENT, rounding=ROUND_DOWN)


def survivor_periods(person: Person) -> list[tuple[dt.date, dt.date | None, int, Decimal]]:
    """(start, end, dependants, amount) of each of the person's survivor's pension periods."""
    return [(award.period_start, award.period_end, award.facts["dependants"], award.amount)
            for award in Award.objects.filter(person=person, benefit="survivor_pension")
            .order_by("period_start")]


def full_pension_of(deceased: Person) -> Decimal:
    award = Award.objects.filter(benefit="survivor_pension", basis_person=deceased).first()
    return Decimal(str(award.facts["full_pension"]))


def assert_shares_agree_every_day(deceased: Person, *, until: dt.date) -> None:
    """On every day from the death to ``until``, the shares in force add up to no more
    than the full pension, and every one of them gives the same count of dependants."""
    deceased.refresh_from_db()
    awards = list(Award.objects.filter(benefit="survivor_pension", basis_person=deceased)
                  .select_related("person"))
    assert awards
    full = full_pension_of(deceased)
    day = deceased.death_date
    while day <= until:
        in_force = [award for award in awards
                    if award.period_start <= day
                    and (award.period_end is None or day <= award.period_end)
                    # Paid to the end of the month of death, shared no more after it.
                    and (award.person.death_date is None or day <= award.person.death_date)]
        assert sum(award.amount for award in in_force) <= full, day
        assert len({award.facts["dependants"] for award in in_force}) <= 1, day
        if in_force:
            assert in_force[0].facts["dependants"] == len(in_force), day
        day += dt.timedelta(days=1)


def with_bank_accounts(*people: Person) -> None:
    """Accounts already open: opening one on the first award would update the person,
    and an incremental scan would recheck them for that alone."""
    Person.objects.filter(pk__in=[person.pk for person in people]).update(
        bank_account="AZ21NABZ00000000137010001944")


@pytest.fixture
def _no_recording_margin(settings):
    # Everything in a test happens within seconds; the margin would make every fact
    # recorded in it count as recent for an incremental scan.
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0


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
    run_rules(*children)

    awards = list(Award.objects.filter(benefit="survivor_pension").order_by("person_id"))
    assert [award.person for award in awards] == children
    assert {award.basis_person for award in awards} == {father}
    full = Decimal(str(awards[0].facts["full_pension"]))
    assert full == max(Decimal(str(awards[0].facts["pension_capital"])) / 144,
                       MINIMUM_PENSION).quantize(CENT)
    assert [award.amount for award in awards] == [floor_share(full, 2)] * 2
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
    assert {award.facts["dependants"]
            for award in Award.objects.filter(benefit="survivor_pension")} == {2}


def test_widow_with_her_own_higher_old_age_pension_keeps_it(make_person, father, children):
    widow = make_person(fin="1WDW003", sex="F", birth_date=dt.date(1958, 1, 1))
    insure(widow, range(2006, 2026))
    run_rules(widow)
    [old_age] = awards_of(widow, "old_age_pension")
    marry(widow, father)

    run_rules(widow, *children)

    assert not awards_of(widow, "survivor_pension")
    old_age.refresh_from_db()
    assert (old_age.status, old_age.period_end) == (Award.Status.AWARDED, None)
    # She does not take a share, so the children share without her.
    assert {award.facts["dependants"]
            for award in Award.objects.filter(benefit="survivor_pension")} == {2}


def test_widow_with_a_lower_old_age_pension_switches_to_the_survivors_pension(
        make_person, father):
    widow = make_person(fin="1WDW004", sex="F", birth_date=dt.date(1958, 1, 1))
    insure(widow, range(2006, 2026), amount="1500")
    run_rules(widow)
    [old_age] = awards_of(widow, "old_age_pension")
    marry(widow, father)

    run_rules(widow)

    [survivor] = awards_of(widow, "survivor_pension")
    assert (survivor.period_start, survivor.facts["dependants"]) == (DEATH, 1)
    assert survivor.amount > old_age.amount
    old_age.refresh_from_db()
    assert (old_age.status, old_age.end_reason) == (Award.Status.SUPERSEDED, "switch")
    assert old_age.period_end == DEATH - dt.timedelta(days=1)
    assert run_rules(widow) == 0


def test_deceased_insured_under_five_years_leaves_no_survivor_pension(make_person):
    parent = make_person(fin="1DAD002", sex="M", birth_date=dt.date(1990, 3, 1))
    insure(parent, range(2022, 2026))
    insure(parent, range(2026, 2027), months=11)  # 59 months in all
    record_death(parent, DEATH)
    child = make_person(fin="1KDS003", birth_date=dt.date(2020, 1, 1))
    make_parent(child, parent)

    run_rules(child)

    assert not awards_of(child, "survivor_pension")


def test_adult_child_gets_no_survivor_pension(make_person, father):
    grown_up = make_person(fin="1KDS004", birth_date=dt.date(2005, 1, 1))
    make_parent(grown_up, father)

    run_rules(grown_up)

    assert not awards_of(grown_up, "survivor_pension")


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


# A family whose dependants change in 2026: the father died on 1 November 2025, the
# elder child turns 18 on 10 February 2026, the widow reaches retirement age (64.5,
# the age in force that day) on 15 April 2026.
EARLY_DEATH = dt.date(2025, 11, 1)
ELDER_18 = dt.date(2026, 2, 10)
YOUNGER_18 = dt.date(2034, 6, 1)
WIDOW_RETIRES = dt.date(2026, 4, 15)
DAY = dt.timedelta(days=1)


@dataclass
class Family:
    father: Person
    elder: Person
    younger: Person
    widow: Person

    @property
    def survivors(self) -> list[Person]:
        return [self.elder, self.younger, self.widow]


@pytest.fixture
def family(make_person) -> Family:
    father = make_person(fin="2DAD001", sex="M", first_name="Elçin", last_name="Quliyev",
                         birth_date=dt.date(1962, 5, 1))
    insure(father, range(2006, 2025))
    record_death(father, EARLY_DEATH)
    elder = make_person(fin="2KDS001", birth_date=dt.date(2008, 2, 10))
    younger = make_person(fin="2KDS002", sex="M", birth_date=dt.date(2016, 6, 1))
    widow = make_person(fin="2WDW001", sex="F", birth_date=dt.date(1961, 10, 15))
    for child in (elder, younger):
        make_parent(child, father)
    marry(widow, father)
    return Family(father, elder, younger, widow)


def test_younger_childs_share_doubles_the_day_the_elder_turns_18(family):
    run_rules(*family.survivors, on=dt.date(2026, 1, 5))
    full = full_pension_of(family.father)
    assert survivor_periods(family.younger) == [
        (EARLY_DEATH, YOUNGER_18 - DAY, 2, floor_share(full, 2))]

    run_rules(*family.survivors, on=ELDER_18 - DAY)
    assert len(survivor_periods(family.younger)) == 1

    run_rules(*family.survivors, on=ELDER_18)

    assert survivor_periods(family.younger) == [
        (EARLY_DEATH, ELDER_18 - DAY, 2, floor_share(full, 2)),
        (ELDER_18, YOUNGER_18 - DAY, 1, full),
    ]
    assert survivor_periods(family.elder) == [
        (EARLY_DEATH, ELDER_18 - DAY, 2, floor_share(full, 2))]
    first = Award.objects.get(person=family.younger, period_start=EARLY_DEATH)
    assert (first.status, first.end_reason) == (Award.Status.AWARDED, "new_period")


def test_widow_reaching_retirement_age_joins_and_the_shares_are_split_again(family):
    for on in (dt.date(2026, 1, 5), ELDER_18, WIDOW_RETIRES - DAY):
        run_rules(*family.survivors, on=on)
    full = full_pension_of(family.father)
    assert survivor_periods(family.widow) == []
    assert survivor_periods(family.younger)[-1] == (ELDER_18, YOUNGER_18 - DAY, 1, full)

    run_rules(*family.survivors, on=WIDOW_RETIRES)

    assert survivor_periods(family.widow) == [(WIDOW_RETIRES, None, 2, floor_share(full, 2))]
    assert survivor_periods(family.younger)[-2:] == [
        (ELDER_18, WIDOW_RETIRES - DAY, 1, full),
        (WIDOW_RETIRES, YOUNGER_18 - DAY, 2, floor_share(full, 2)),
    ]
    assert run_rules(*family.survivors, on=WIDOW_RETIRES) == 0


def test_a_first_scan_long_after_the_death_awards_every_period_since(family):
    run_rules(*family.survivors)

    full = full_pension_of(family.father)
    half = floor_share(full, 2)
    assert survivor_periods(family.elder) == [(EARLY_DEATH, ELDER_18 - DAY, 2, half)]
    assert survivor_periods(family.younger) == [
        (EARLY_DEATH, ELDER_18 - DAY, 2, half),
        (ELDER_18, WIDOW_RETIRES - DAY, 1, full),
        (WIDOW_RETIRES, YOUNGER_18 - DAY, 2, half),
    ]
    assert survivor_periods(family.widow) == [(WIDOW_RETIRES, None, 2, half)]
    # Owed since the death, paid at once.
    assert all(award.arrears > 0 for award in Award.objects.filter(benefit="survivor_pension"))
    assert_shares_agree_every_day(family.father, until=TODAY)


def test_the_same_periods_whether_scanned_as_they_happen_or_at_once(family):
    for on in (dt.date(2026, 1, 5), ELDER_18 - DAY, ELDER_18, WIDOW_RETIRES - DAY,
               WIDOW_RETIRES, TODAY):
        run_rules(*family.survivors, on=on)
    as_they_happen = {person.fin: survivor_periods(person) for person in family.survivors}
    assert_shares_agree_every_day(family.father, until=TODAY)
    Award.objects.filter(benefit="survivor_pension").delete()

    run_rules(*family.survivors)

    assert {person.fin: survivor_periods(person)
            for person in family.survivors} == as_they_happen


def test_family_members_in_different_chunks_get_the_same_periods(family, scan):
    scan(chunk_size=1)

    by_chunks = {person.fin: survivor_periods(person) for person in family.survivors}
    Award.objects.filter(benefit="survivor_pension").delete()
    run_rules(*family.survivors)
    assert {person.fin: survivor_periods(person) for person in family.survivors} == by_chunks


def test_rerun_after_every_split_awards_nothing(family):
    run_rules(*family.survivors)

    assert run_rules(*family.survivors) == 0
    assert run_rules(*family.survivors, on=TODAY + DAY) == 0


def test_three_dependants_share_the_minimum_pension_rounded_down(make_person):
    # Five years of small contributions: the minimum pension, which three cannot share
    # in equal cents; rounding to the nearest cent would pay 349.77 out of 349.76.
    parent = make_person(fin="3DAD001", sex="M", birth_date=dt.date(1985, 1, 1))
    insure(parent, range(2020, 2025), amount="300")
    record_death(parent, DEATH)
    kids = [make_person(fin=f"3KDS00{number}", birth_date=dt.date(2012 + number, 1, 1))
            for number in range(3)]
    for kid in kids:
        make_parent(kid, parent)

    run_rules(*kids)

    awards = Award.objects.filter(benefit="survivor_pension")
    assert full_pension_of(parent) == MINIMUM_PENSION
    assert [award.amount for award in awards] == [Decimal("116.58")] * 3
    assert sum(award.amount for award in awards) <= MINIMUM_PENSION
    assert {award.facts["dependants"] for award in awards} == {3}


def test_the_others_get_a_bigger_share_from_the_day_after_a_survivor_dies(
        make_person, father, children):
    third = make_person(fin="1KDS006", birth_date=dt.date(2019, 5, 5))
    make_parent(third, father)
    everyone = [*children, third]
    run_rules(*everyone, on=dt.date(2026, 10, 1))
    full = full_pension_of(father)
    record_death(third, dt.date(2026, 10, 14))

    run_rules(*everyone)

    for child in children:
        assert survivor_periods(child)[-2:] == [
            (DEATH, dt.date(2026, 10, 14), 3, floor_share(full, 3)),
            (dt.date(2026, 10, 15), dt.date(2030, 3, 31) if child == children[0] else
             dt.date(2033, 8, 31), 2, floor_share(full, 2)),
        ]
    [stopped] = awards_of(third, "survivor_pension")
    # Paid to the end of the month of death, then stopped.
    assert (stopped.status, stopped.end_reason, stopped.period_end) == (
        Award.Status.STOPPED, "death", dt.date(2026, 10, 31))
    assert_shares_agree_every_day(father, until=TODAY)


def test_a_survivor_who_dies_before_the_first_scan_still_counts_until_then(
        make_person, father, children):
    third = make_person(fin="1KDS007", birth_date=dt.date(2019, 5, 5))
    make_parent(third, father)
    record_death(third, dt.date(2026, 10, 14))

    run_rules(*children, third)

    assert awards_of(third, "survivor_pension") == []
    assert [period[:3] for period in survivor_periods(children[1])] == [
        (DEATH, dt.date(2026, 10, 14), 3), (dt.date(2026, 10, 15), dt.date(2033, 8, 31), 2)]


def test_a_dependant_recorded_late_gets_no_share_that_would_exceed_the_pension(
        make_person, father, children):
    run_rules(*children)
    # The marriage reaches the registry after the children's shares were awarded: a
    # share for her from the death would split more than the pension among three.
    widow = make_person(fin="1WDW006", sex="F", birth_date=dt.date(1960, 1, 1))
    marry(widow, father)

    run_rules(widow, *children)

    assert awards_of(widow, "survivor_pension") == []
    assert {award.facts["dependants"]
            for award in Award.objects.filter(benefit="survivor_pension")} == {2}
    assert_shares_agree_every_day(father, until=TODAY)


def study(person: Person, started_on: dt.date, ended_on: dt.date | None = None, *,
          full_time: bool = True) -> Study:
    return Study.objects.create(person=person, institution="Bakı Dövlət Universiteti",
                                started_on=started_on, ended_on=ended_on,
                                full_time=full_time, source_id="education")


def test_a_full_time_student_receives_a_share_until_the_day_before_23(
        make_person, father, children):
    student = make_person(fin="1STD001", birth_date=dt.date(2005, 10, 1))
    make_parent(student, father)
    study(student, dt.date(2023, 9, 15))

    run_rules(student, *children)

    [award] = awards_of(student, "survivor_pension")
    assert (award.period_start, award.period_end) == (DEATH, dt.date(2028, 9, 30))
    assert award.facts["dependants"] == 3 and award.facts["studying"] is True
    assert "full-time study" in reasons_in_english(award)


def test_a_part_time_student_over_18_is_not_a_dependant(make_person, father, children):
    student = make_person(fin="1STD002", birth_date=dt.date(2005, 10, 1))
    make_parent(student, father)
    study(student, dt.date(2023, 9, 15), full_time=False)

    run_rules(student, *children)

    assert awards_of(student, "survivor_pension") == []


def test_a_child_who_goes_on_studying_at_18_keeps_one_period(make_person, father):
    child = make_person(fin="1STD003", birth_date=dt.date(2008, 10, 1))
    make_parent(child, father)
    study(child, dt.date(2026, 9, 15))

    run_rules(child)

    assert survivor_periods(child) == [
        (DEATH, dt.date(2031, 9, 30), 1, full_pension_of(father))]


def test_a_student_leaves_the_day_after_the_studies_end(make_person, father, children):
    student = make_person(fin="1STD004", birth_date=dt.date(2005, 10, 1))
    make_parent(student, father)
    study(student, dt.date(2023, 9, 15), dt.date(2026, 10, 20))

    run_rules(student, *children, on=dt.date(2026, 10, 20))
    assert [period[:3] for period in survivor_periods(children[0])] == [
        (DEATH, dt.date(2030, 3, 31), 3)]
    assert survivor_periods(student)[0][:3] == (DEATH, dt.date(2026, 10, 20), 3)

    run_rules(student, *children, on=dt.date(2026, 10, 21))

    assert [period[:3] for period in survivor_periods(children[0])] == [
        (DEATH, dt.date(2026, 10, 20), 3), (dt.date(2026, 10, 21), dt.date(2030, 3, 31), 2)]
    assert len(survivor_periods(student)) == 1


def test_a_child_of_two_insured_parents_draws_one_survivors_pension(
        make_person, father, children):
    mother = make_person(fin="1MTH001", sex="F", birth_date=dt.date(1982, 6, 1))
    insure(mother, range(2008, 2026), amount="6000")
    record_death(mother, dt.date(2026, 10, 1))
    for child in children:
        make_parent(child, mother)

    run_rules(*children)

    for child in children:
        [award] = awards_of(child, "survivor_pension")
        # The mother's pension is the higher one.
        assert award.basis_person == mother
    assert run_rules(*children) == 0


def test_a_half_sibling_in_another_chunk_sees_the_choice_of_a_child_of_two_parents(
        make_person, father, scan):
    # The mother's pension is the higher one: her child draws it, so the father's
    # other child, in another chunk, has the father's pension to himself.
    mother = make_person(fin="1MTH002", sex="F", birth_date=dt.date(1982, 6, 1))
    insure(mother, range(2008, 2026), amount="6000")
    record_death(mother, dt.date(2026, 10, 1))
    # The half-sibling's chunk runs first, before any award records the choice.
    half_sibling = make_person(fin="1KDS010", birth_date=dt.date(2013, 3, 3))
    both = make_person(fin="1KDS009", birth_date=dt.date(2014, 2, 2))
    make_parent(both, father)
    make_parent(both, mother)
    make_parent(half_sibling, father)

    scan(chunk_size=1)

    [drawn] = awards_of(both, "survivor_pension")
    [alone] = awards_of(half_sibling, "survivor_pension")
    assert (drawn.basis_person, drawn.facts["dependants"]) == (mother, 1)
    assert (alone.basis_person, alone.facts["dependants"]) == (father, 1)
    assert alone.amount == full_pension_of(father)


@pytest.mark.usefixtures("_no_recording_margin")
def test_the_others_share_again_when_a_widow_switches_to_her_own_pension(
        make_person, father, children, scan):
    widow = make_person(fin="1WDW005", sex="F", birth_date=dt.date(1960, 1, 1))
    marry(widow, father)
    with_bank_accounts(widow, *children)
    scan(dt.date(2026, 10, 1))
    assert {award.facts["dependants"]
            for award in Award.objects.filter(benefit="survivor_pension")} == {3}
    # As the old-age pension that replaces it from 1 November leaves it.
    Award.objects.filter(person=widow, benefit="survivor_pension").update(
        status=Award.Status.SUPERSEDED, end_reason="switch", period_end=dt.date(2026, 10, 31))

    incremental = scan()

    assert "pensions.survivor" in incremental.incremental_rules
    for child in children:
        assert survivor_periods(child)[-1][:3:2] == (dt.date(2026, 11, 1), 2)
    assert len(awards_of(widow, "survivor_pension")) == 1


def test_explanation_of_an_award_made_before_the_shares_were_split_again():
    facts = {"deceased_name": "Rauf Əliyev", "deceased_fin": "1DAD001",
             "death_date": "2026-09-01", "insured_years": 16, "relation": "child",
             "pension_capital": "121632.00", "minimum_pension": "349.76",
             "full_pension": "844.67", "dependants": 2, "share": "422.34",
             "period_end": "2030-03-31"}

    with translation.override("en"):
        reasons = " ".join(str(reason) for reason in explain_survivor(facts))

    assert "shared equally among the 2 dependants" in reasons
    assert "the day before you reach the age limit" in reasons
    assert "shared again" not in reasons


def test_explanation_gives_the_count_the_share_and_the_period(family):
    run_rules(*family.survivors)

    first = Award.objects.get(person=family.younger, period_start=EARLY_DEATH)
    reasons = reasons_in_english(first)
    assert "2 in all" in reasons
    assert "rounded down" in reasons
    assert "shared again" in reasons
    current = Award.objects.get(person=family.younger, period_start=WIDOW_RETIRES)
    assert "the day before you reach the age limit" in reasons_in_english(current)


@pytest.mark.usefixtures("_no_recording_margin")
def test_an_incremental_scan_on_the_18th_birthday_splits_the_shares_again(family, scan):
    with_bank_accounts(*family.survivors)
    scan(ELDER_18 - DAY)

    incremental = scan(ELDER_18)

    assert "pensions.survivor" in incremental.incremental_rules
    assert survivor_periods(family.younger)[-1][:3] == (ELDER_18, YOUNGER_18 - DAY, 1)


@pytest.mark.usefixtures("_no_recording_margin")
def test_an_incremental_scan_splits_the_shares_again_after_a_survivors_death(
        make_person, father, children, scan):
    third = make_person(fin="1KDS008", birth_date=dt.date(2019, 5, 5))
    make_parent(third, father)
    with_bank_accounts(third, *children)
    scan(dt.date(2026, 10, 1))
    record_death(third, dt.date(2026, 10, 14))

    incremental = scan()

    assert "pensions.survivor" in incremental.incremental_rules
    for child in children:
        assert survivor_periods(child)[-1][:3][::2] == (dt.date(2026, 10, 15), 2)


@pytest.mark.usefixtures("_no_recording_margin")
def test_an_incremental_scan_finds_a_study_recorded_since(make_person, father, scan):
    student = make_person(fin="1STD005", birth_date=dt.date(2005, 10, 1))
    make_parent(student, father)
    with_bank_accounts(student)
    scan()
    assert awards_of(student, "survivor_pension") == []
    study(student, dt.date(2023, 9, 15))

    incremental = scan(TODAY + DAY)

    assert "pensions.survivor" in incremental.incremental_rules
    assert survivor_periods(student)[0][:3] == (DEATH, dt.date(2028, 9, 30), 1)


def test_a_late_first_scan_pays_each_month_of_arrears_once(family):
    run_rules(*family.survivors)

    full = full_pension_of(family.father)
    half = floor_share(full, 2)
    younger = Award.objects.filter(person=family.younger, benefit="survivor_pension")
    # November to February at half (February was begun by that period), March and
    # April in full, May to October at half again: each month once, as scans on each
    # of those days would have paid it.
    assert [award.arrears for award in younger.order_by("period_start")] == [
        4 * half, 2 * full, 6 * half]
