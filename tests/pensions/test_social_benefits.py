"""Social benefits granted without an application (Law on social benefits)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.bridge.services import death_annulled_apply
from dost.entitlements.models import Award
from dost.entitlements.rules import rule_for_benefit
from tests.pensions.conftest import (
    TODAY,
    awards_of,
    find_disabled,
    insure,
    make_parent,
    marry,
    reasons_in_english,
    record_death,
    run_rules,
)

ALLOWANCE_START = dt.date(2025, 7, 1)
DAY = dt.timedelta(days=1)


def periods(person, benefit):
    return [(award.period_start, award.period_end, award.amount)
            for award in awards_of(person, benefit)]


# ---------------------------------------------------------------- funeral benefits

@pytest.fixture
def pensioner(make_person):
    """Drawing an old-age pension since 2019."""
    person = make_person(fin="2PEN001", sex="M", first_name="Tofiq", last_name="Quliyev",
                         birth_date=dt.date(1955, 1, 1))
    insure(person, range(2006, 2020))
    run_rules(person)
    assert awards_of(person, "old_age_pension")
    return person


@pytest.fixture
def widow(make_person, pensioner):
    person = make_person(fin="2WDW001", sex="F", birth_date=dt.date(1990, 5, 5))
    marry(person, pensioner)
    return person


def test_funeral_grant_on_a_pensioners_death_is_three_minimum_pensions(pensioner, widow):
    record_death(pensioner, dt.date(2026, 10, 1))

    run_rules(widow)

    [award] = awards_of(widow, "funeral_grant")
    assert award.amount == Decimal("1049.28")  # 3 × 349.76
    assert (award.basis_person, award.period_start, award.frequency) == (
        pensioner, dt.date(2026, 10, 1), "once")
    assert not awards_of(widow, "funeral_allowance")
    reasons = reasons_in_english(award)
    assert "2PEN001" in reasons and "old-age labour pension" in reasons


@pytest.mark.parametrize(("death", "amount"), [
    (dt.date(2025, 12, 31), Decimal("960.00")),  # 3 × 320
    (dt.date(2026, 1, 1), Decimal("1049.28")),  # 3 × 349.76
])
def test_funeral_grant_uses_the_minimum_pension_in_force_on_the_day_of_death(
        pensioner, widow, death, amount):
    record_death(pensioner, death)

    run_rules(widow)

    assert [award.amount for award in awards_of(widow, "funeral_grant")] == [amount]


@pytest.fixture
def non_pensioner(make_person):
    return make_person(fin="2NPN001", sex="M", first_name="Elçin", last_name="Rzayev",
                       birth_date=dt.date(1975, 2, 2))


@pytest.mark.parametrize(("death", "awarded"), [
    (ALLOWANCE_START - DAY, False),
    (ALLOWANCE_START, True),
])
def test_funeral_allowance_for_deaths_from_its_start(make_person, non_pensioner, death,
                                                      awarded):
    spouse = make_person(fin="2SPS001", sex="F", birth_date=dt.date(1978, 3, 3))
    marry(spouse, non_pensioner)
    record_death(non_pensioner, death)

    run_rules(spouse)

    assert periods(spouse, "funeral_allowance") == (
        [(death, None, Decimal("600.00"))] if awarded else [])
    assert not awards_of(spouse, "funeral_grant")


def test_the_eldest_adult_child_receives_it_when_there_is_no_spouse(make_person,
                                                                    non_pensioner):
    younger = make_person(fin="2KDS001", birth_date=dt.date(2001, 1, 1))
    eldest = make_person(fin="2KDS002", birth_date=dt.date(1998, 1, 1))
    minor = make_person(fin="2KDS003", birth_date=dt.date(2012, 1, 1))
    for child in (younger, eldest, minor):
        make_parent(child, non_pensioner)
    record_death(non_pensioner, dt.date(2026, 9, 1))

    run_rules(younger, eldest, minor)

    assert [award.person for award in Award.objects.filter(benefit="funeral_allowance")] == [
        eldest]
    assert "eldest adult child" in reasons_in_english(awards_of(eldest,
                                                                "funeral_allowance")[0])


def test_a_spouse_divorced_before_the_death_is_passed_over(make_person, non_pensioner):
    former = make_person(fin="2SPS002", sex="F", birth_date=dt.date(1978, 3, 3))
    marry(former, non_pensioner)
    non_pensioner.relations.filter(kind="spouse").update(until=dt.date(2020, 1, 1))
    child = make_person(fin="2KDS004", birth_date=dt.date(2000, 1, 1))
    make_parent(child, non_pensioner)
    record_death(non_pensioner, dt.date(2026, 9, 1))

    run_rules(former, child)

    assert not awards_of(former, "funeral_allowance")
    assert len(awards_of(child, "funeral_allowance")) == 1


def test_a_parent_receives_it_for_a_child_with_no_spouse_or_adult_child(make_person):
    child = make_person(fin="2KDS005", birth_date=dt.date(2016, 1, 1))
    father = make_person(fin="2PAR001", sex="M", birth_date=dt.date(1985, 1, 1))
    mother = make_person(fin="2PAR002", sex="F", birth_date=dt.date(1987, 1, 1))
    make_parent(child, father)
    make_parent(child, mother)
    record_death(child, dt.date(2026, 8, 1))

    run_rules(father, mother)

    assert [award.person for award in Award.objects.filter(benefit="funeral_allowance")] == [
        mother]


def test_one_funeral_benefit_per_death_whichever_relative_is_looked_at_first(
        make_person, non_pensioner):
    spouse = make_person(fin="2SPS003", sex="F", birth_date=dt.date(1978, 3, 3))
    marry(spouse, non_pensioner)
    child = make_person(fin="2KDS006", birth_date=dt.date(2000, 1, 1))
    make_parent(child, non_pensioner)
    record_death(non_pensioner, dt.date(2026, 9, 1))

    # The child's life event alone grants nothing: the benefit is the spouse's.
    run_rules(child)
    assert not Award.objects.filter(benefit="funeral_allowance").exists()
    run_rules(spouse)
    run_rules(child, spouse, on=TODAY + DAY)

    assert [award.person for award in Award.objects.filter(benefit="funeral_allowance")] == [
        spouse]


def test_relatives_in_different_scan_chunks_get_one_funeral_benefit(make_person,
                                                                    non_pensioner, scan):
    spouse = make_person(fin="2SPS004", sex="F", birth_date=dt.date(1978, 3, 3))
    marry(spouse, non_pensioner)
    for number in range(3):
        make_parent(make_person(fin=f"2KDS01{number}", birth_date=dt.date(1999, 1, 1)),
                    non_pensioner)
    record_death(non_pensioner, dt.date(2026, 9, 1))

    scan(chunk_size=1)
    scan(TODAY + DAY, chunk_size=1, full=True)

    assert [award.person for award in Award.objects.filter(benefit="funeral_allowance")] == [
        spouse]


def test_no_second_funeral_benefit_when_the_first_recipient_has_died(make_person,
                                                                     non_pensioner):
    spouse = make_person(fin="2SPS005", sex="F", birth_date=dt.date(1978, 3, 3))
    marry(spouse, non_pensioner)
    child = make_person(fin="2KDS007", birth_date=dt.date(2000, 1, 1))
    make_parent(child, non_pensioner)
    record_death(non_pensioner, dt.date(2026, 9, 1))
    run_rules(spouse)
    record_death(spouse, dt.date(2026, 11, 1))

    # The child is now the closest living relative, but the death was already paid for.
    run_rules(child)

    assert not awards_of(child, "funeral_allowance")
    assert Award.objects.filter(benefit__in=["funeral_allowance", "funeral_grant"]).count() == 1


def test_no_funeral_benefit_without_a_living_relative(make_person, non_pensioner):
    spouse = make_person(fin="2SPS006", sex="F", birth_date=dt.date(1978, 3, 3))
    marry(spouse, non_pensioner)
    record_death(spouse, dt.date(2026, 7, 1))
    record_death(non_pensioner, dt.date(2026, 9, 1))

    assert run_rules(spouse) == 0


def test_funeral_rules_rest_on_the_death():
    assert rule_for_benefit("funeral_grant").arises_from_death
    assert rule_for_benefit("funeral_allowance").arises_from_death


def test_an_annulled_death_annuls_the_funeral_grant(pensioner, widow):
    record_death(pensioner, dt.date(2026, 10, 1))
    run_rules(widow)

    death_annulled_apply(TODAY, {"fin": pensioner.fin})

    [award] = awards_of(widow, "funeral_grant")
    assert (award.status, award.end_reason) == ("annulled", "annulled")


# ---------------------------------------------------------------- disability benefit

@pytest.fixture
def adult(make_person):
    """No insurance record: no disability labour pension."""
    return make_person(fin="3ADU001", birth_date=dt.date(1990, 6, 1))


@pytest.mark.parametrize(("percent", "amount"), [
    (85, Decimal("300")), (81, Decimal("300")), (80, Decimal("250")), (61, Decimal("250")),
    (60, Decimal("180")), (31, Decimal("180")),
])
def test_disability_benefit_by_degree(adult, percent, amount):
    find_disabled(adult, determined_on=dt.date(2026, 3, 1), valid_until=dt.date(2027, 3, 1),
                  percent=percent)

    run_rules(adult)

    assert periods(adult, "disability_benefit") == [
        (dt.date(2026, 3, 1), dt.date(2027, 3, 1), amount)]


def test_disability_benefit_follows_the_rise_of_2025_07_01(adult):
    find_disabled(adult, determined_on=dt.date(2025, 1, 15), percent=70)

    run_rules(adult)

    assert periods(adult, "disability_benefit") == [
        (dt.date(2025, 1, 15), dt.date(2025, 6, 30), Decimal("180")),
        (dt.date(2025, 7, 1), None, Decimal("250")),
    ]
    # Owed at once: January to June 2025 at the old amount, July 2025 to October 2026 at
    # the new one (November is the first month the schedule pays).
    assert [award.arrears for award in awards_of(adult, "disability_benefit")] == [
        6 * Decimal("180"), 16 * Decimal("250")]


def test_disability_benefit_decided_before_the_rise_gets_a_new_period_from_it(adult):
    find_disabled(adult, determined_on=dt.date(2025, 1, 15), percent=70)
    run_rules(adult, on=dt.date(2025, 6, 30))
    assert periods(adult, "disability_benefit") == [
        (dt.date(2025, 1, 15), None, Decimal("180"))]

    run_rules(adult, on=dt.date(2025, 7, 1))

    first, second = awards_of(adult, "disability_benefit")
    assert (first.period_end, first.end_reason) == (dt.date(2025, 6, 30), "new_period")
    assert (second.period_start, second.amount) == (dt.date(2025, 7, 1), Decimal("250"))


def test_disability_benefit_starts_with_the_law_for_an_earlier_finding(adult):
    find_disabled(adult, determined_on=dt.date(2021, 12, 31), percent=90)

    run_rules(adult)

    assert [start for start, _end, _amount in periods(adult, "disability_benefit")] == [
        dt.date(2022, 1, 1), dt.date(2025, 7, 1)]
    assert periods(adult, "disability_benefit")[0][2] == Decimal("220")


def test_a_new_degree_is_a_new_period_from_its_finding(adult):
    find_disabled(adult, determined_on=dt.date(2025, 9, 1), percent=50)
    run_rules(adult, on=dt.date(2026, 1, 10))
    find_disabled(adult, determined_on=dt.date(2026, 10, 1), valid_until=dt.date(2028, 10, 1),
                  percent=85)

    run_rules(adult)

    first, second = awards_of(adult, "disability_benefit")
    assert (first.amount, first.period_end, first.end_reason) == (
        Decimal("180"), dt.date(2026, 9, 30), "new_period")
    assert (second.amount, second.period_start, second.period_end) == (
        Decimal("300"), dt.date(2026, 10, 1), dt.date(2028, 10, 1))
    assert "85" in reasons_in_english(second) and "degree I" in reasons_in_english(second)


def test_no_disability_benefit_for_someone_drawing_a_disability_pension(make_person):
    insured = make_person(fin="3ADU002", birth_date=dt.date(1985, 6, 1))
    insure(insured, range(2008, 2026))
    find_disabled(insured, determined_on=dt.date(2026, 3, 1), percent=70)

    run_rules(insured)

    assert awards_of(insured, "disability_pension")
    assert not awards_of(insured, "disability_benefit")


def test_no_disability_benefit_once_the_finding_has_run_out(adult):
    find_disabled(adult, determined_on=dt.date(2024, 3, 1), valid_until=dt.date(2026, 3, 1))

    assert run_rules(adult) == 0


def test_second_run_awards_no_new_disability_benefit(adult):
    find_disabled(adult, determined_on=dt.date(2025, 1, 15), percent=70)
    run_rules(adult)

    assert run_rules(adult, on=TODAY + DAY) == 0
    assert len(awards_of(adult, "disability_benefit")) == 2


# ---------------------------------------------------------------- child with disability

@pytest.fixture
def turning_18_tomorrow(make_person):
    child = make_person(fin="4CHD001", birth_date=dt.date(2008, 11, 24))
    find_disabled(child, determined_on=dt.date(2025, 1, 10), percent=70)
    return child


def test_child_disability_benefit_ends_the_day_before_the_18th_birthday(turning_18_tomorrow):
    run_rules(turning_18_tomorrow)

    assert periods(turning_18_tomorrow, "child_disability_benefit") == [
        (dt.date(2025, 1, 10), dt.date(2026, 11, 23), Decimal("200"))]
    assert not awards_of(turning_18_tomorrow, "disability_benefit")


def test_at_18_the_adult_disability_benefit_follows(turning_18_tomorrow):
    run_rules(turning_18_tomorrow)

    run_rules(turning_18_tomorrow, on=TODAY + DAY)

    assert periods(turning_18_tomorrow, "disability_benefit") == [
        (dt.date(2026, 11, 24), None, Decimal("250"))]
    [child_benefit] = awards_of(turning_18_tomorrow, "child_disability_benefit")
    assert child_benefit.period_end == dt.date(2026, 11, 23)


def test_an_adult_gets_no_child_disability_benefit(make_person):
    adult_today = make_person(fin="4CHD002", birth_date=dt.date(2008, 11, 23))
    find_disabled(adult_today, determined_on=dt.date(2025, 1, 10), percent=70)

    run_rules(adult_today)

    assert not awards_of(adult_today, "child_disability_benefit")
    assert periods(adult_today, "disability_benefit") == [
        (dt.date(2026, 11, 23), None, Decimal("250"))]


@pytest.mark.parametrize("determined_on", [dt.date(2021, 12, 31), dt.date(2022, 1, 1)])
def test_child_disability_benefit_starts_with_the_law(make_person, determined_on):
    child = make_person(fin="4CHD003", birth_date=dt.date(2015, 5, 5))
    find_disabled(child, determined_on=determined_on, valid_until=dt.date(2027, 5, 1))

    run_rules(child)

    assert periods(child, "child_disability_benefit") == [
        (dt.date(2022, 1, 1), dt.date(2027, 5, 1), Decimal("200"))]
    reasons = reasons_in_english(awards_of(child, "child_disability_benefit")[0])
    assert "18th birthday" in reasons


def test_second_run_awards_no_new_child_disability_benefit(turning_18_tomorrow):
    run_rules(turning_18_tomorrow)

    assert run_rules(turning_18_tomorrow) == 0


# ---------------------------------------------------------------- mothers of five or more

def mother_of(make_person, *births, fin="5MTH001"):
    mother = make_person(fin=fin, birth_date=dt.date(1985, 1, 1))
    for number, birth in enumerate(births):
        make_parent(make_person(fin=f"{fin[:4]}K{number:02d}", birth_date=birth), mother)
    return mother


FOUR = (dt.date(2010, 1, 1), dt.date(2012, 1, 1), dt.date(2014, 1, 1), dt.date(2016, 1, 1))


@pytest.mark.parametrize(("on", "awarded"), [(dt.date(2026, 5, 31), False),
                                             (dt.date(2026, 6, 1), True)])
def test_mothers_benefit_from_the_day_the_fifth_child_turns_one(make_person, on, awarded):
    mother = mother_of(make_person, *FOUR, dt.date(2025, 6, 1))

    run_rules(mother, on=on)

    # 5 × 140 until the eldest turns 18.
    assert periods(mother, "large_family_mother_benefit") == (
        [(dt.date(2026, 6, 1), dt.date(2027, 12, 31), Decimal("700"))] if awarded else [])


def test_mothers_benefit_follows_the_rate_of_2025_07_01(make_person):
    mother = mother_of(make_person, *FOUR, dt.date(2024, 3, 1))

    run_rules(mother)

    assert periods(mother, "large_family_mother_benefit") == [
        (dt.date(2025, 3, 1), dt.date(2025, 6, 30), Decimal("525")),  # 5 × 105
        (dt.date(2025, 7, 1), dt.date(2027, 12, 31), Decimal("700")),  # 5 × 140
    ]
    reasons = reasons_in_english(awards_of(mother, "large_family_mother_benefit")[0])
    assert "an estimate" in reasons


def test_a_child_turning_18_is_no_longer_paid_for(make_person):
    mother = mother_of(make_person, dt.date(2008, 9, 1), *FOUR)
    run_rules(mother, on=dt.date(2026, 8, 31))
    assert periods(mother, "large_family_mother_benefit")[-1] == (
        dt.date(2025, 7, 1), dt.date(2026, 8, 31), Decimal("700"))

    run_rules(mother, on=dt.date(2026, 9, 1))

    # The adult child still counts towards the five, but is no longer paid for.
    assert periods(mother, "large_family_mother_benefit")[-1] == (
        dt.date(2026, 9, 1), dt.date(2027, 12, 31), Decimal("560"))


def test_four_children_give_no_mothers_benefit(make_person):
    mother = mother_of(make_person, *FOUR)

    assert run_rules(mother) == 0


def test_a_child_who_died_does_not_count(make_person):
    mother = mother_of(make_person, *FOUR, dt.date(2020, 1, 1))
    record_death(mother.relatives_of.order_by("-person__birth_date").first().person,
                 dt.date(2024, 1, 1))

    assert run_rules(mother) == 0


def test_second_run_awards_no_new_mothers_benefit(make_person):
    mother = mother_of(make_person, *FOUR, dt.date(2024, 3, 1))
    run_rules(mother)

    assert run_rules(mother, on=TODAY + DAY) == 0


# ---------------------------------------------------------------- loss of breadwinner

@pytest.fixture
def orphan(make_person):
    return make_person(fin="6RPH001", birth_date=dt.date(2015, 4, 1))


@pytest.fixture
def uninsured_father(make_person, orphan):
    father = make_person(fin="6DAD001", sex="M", first_name="Vüqar", last_name="Həsənov",
                         birth_date=dt.date(1985, 1, 1))
    insure(father, range(2022, 2025))  # 36 months, less than the 60 required
    make_parent(orphan, father)
    return father


def test_loss_of_breadwinner_benefit_to_the_child_until_18(orphan, uninsured_father):
    record_death(uninsured_father, dt.date(2026, 9, 1))

    run_rules(orphan)

    assert periods(orphan, "loss_of_breadwinner_benefit") == [
        (dt.date(2026, 9, 1), dt.date(2033, 3, 31), Decimal("140"))]
    [award] = awards_of(orphan, "loss_of_breadwinner_benefit")
    assert award.basis_person == uninsured_father
    assert not awards_of(orphan, "survivor_pension")
    assert "6DAD001" in reasons_in_english(award)


def test_loss_of_breadwinner_benefit_follows_the_rise_of_2025_07_01(orphan, uninsured_father):
    record_death(uninsured_father, dt.date(2025, 3, 1))

    run_rules(orphan)

    assert periods(orphan, "loss_of_breadwinner_benefit") == [
        (dt.date(2025, 3, 1), dt.date(2025, 6, 30), Decimal("120")),
        (dt.date(2025, 7, 1), dt.date(2033, 3, 31), Decimal("140")),
    ]


def test_no_social_benefit_when_the_parent_left_a_survivors_pension(make_person, orphan):
    father = make_person(fin="6DAD002", sex="M", birth_date=dt.date(1980, 1, 1))
    insure(father, range(2010, 2026))
    make_parent(orphan, father)
    record_death(father, dt.date(2026, 9, 1))

    run_rules(orphan)

    assert awards_of(orphan, "survivor_pension")
    assert not awards_of(orphan, "loss_of_breadwinner_benefit")


def test_one_loss_of_breadwinner_benefit_when_both_parents_died(make_person, orphan,
                                                                uninsured_father):
    mother = make_person(fin="6MUM001", sex="F", birth_date=dt.date(1987, 1, 1))
    make_parent(orphan, mother)
    record_death(mother, dt.date(2026, 2, 1))
    record_death(uninsured_father, dt.date(2026, 9, 1))

    run_rules(orphan)
    run_rules(orphan, on=TODAY + DAY)

    [award] = awards_of(orphan, "loss_of_breadwinner_benefit")
    assert award.basis_person == mother


def test_an_adult_child_gets_no_loss_of_breadwinner_benefit(make_person, uninsured_father):
    grown_up = make_person(fin="6RPH002", birth_date=dt.date(2008, 11, 23))
    make_parent(grown_up, uninsured_father)
    record_death(uninsured_father, dt.date(2026, 9, 1))

    run_rules(grown_up)

    assert not awards_of(grown_up, "loss_of_breadwinner_benefit")


def test_an_annulled_death_annuls_the_loss_of_breadwinner_benefit(orphan, uninsured_father):
    record_death(uninsured_father, dt.date(2026, 9, 1))
    run_rules(orphan)

    death_annulled_apply(TODAY, {"fin": uninsured_father.fin})

    assert [award.status for award in awards_of(orphan, "loss_of_breadwinner_benefit")] == [
        "annulled"]
    assert run_rules(orphan, on=TODAY + DAY) == 0


def test_second_run_awards_no_new_loss_of_breadwinner_benefit(orphan, uninsured_father):
    record_death(uninsured_father, dt.date(2025, 3, 1))
    run_rules(orphan)

    assert run_rules(orphan, on=TODAY + DAY) == 0
    assert rule_for_benefit("loss_of_breadwinner_benefit").arises_from_death


# ---------------------------------------------------------------- old-age social benefit

@pytest.mark.parametrize(("birth_date", "awarded"), [
    (dt.date(1961, 11, 23), True),  # 65 today
    (dt.date(1961, 11, 24), False),  # 65 tomorrow
])
def test_old_age_social_benefit_from_the_retirement_age(make_person, birth_date, awarded):
    man = make_person(fin="7LDA001", sex="M", birth_date=birth_date)

    run_rules(man)

    assert periods(man, "old_age_social_benefit") == (
        [(TODAY, None, Decimal("180"))] if awarded else [])


def test_old_age_social_benefit_starts_with_the_law_for_those_already_of_age(make_person):
    man = make_person(fin="7LDA002", sex="M", birth_date=dt.date(1950, 3, 3))

    run_rules(man)

    [award] = awards_of(man, "old_age_social_benefit")
    assert (award.period_start, award.amount) == (dt.date(2022, 1, 1), Decimal("180"))
    assert "no labour pension" in reasons_in_english(award)


def test_no_old_age_social_benefit_for_someone_entitled_to_a_labour_pension(make_person):
    man = make_person(fin="7LDA003", sex="M", birth_date=dt.date(1958, 3, 3))
    insure(man, range(2006, 2024))

    run_rules(man)

    assert awards_of(man, "old_age_pension")
    assert not awards_of(man, "old_age_social_benefit")


def test_second_run_awards_no_new_old_age_social_benefit(make_person):
    man = make_person(fin="7LDA004", sex="M", birth_date=dt.date(1950, 3, 3))
    run_rules(man)

    assert run_rules(man, on=TODAY + DAY) == 0


def test_dead_people_get_no_social_benefit(make_person):
    man = make_person(fin="7LDA005", sex="M", birth_date=dt.date(1950, 3, 3))
    find_disabled(man, determined_on=dt.date(2025, 1, 1), percent=90)
    record_death(man, dt.date(2021, 6, 1))

    assert run_rules(man) == 0


# ---------------------------------------------------------------- incremental scans

@pytest.fixture
def _no_recording_margin(settings):
    # Everything in a test happens within seconds; the margin would make every fact
    # recorded in it count as recent, and every scan look at everyone.
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0


@pytest.mark.usefixtures("_no_recording_margin")
def test_a_scan_after_a_completed_one_finds_those_time_alone_made_entitled(make_person, scan):
    week_later = TODAY + dt.timedelta(days=7)
    mother = mother_of(make_person, *FOUR, week_later.replace(year=2025))
    turning_18 = make_person(fin="8CHD001", birth_date=week_later.replace(year=2008))
    find_disabled(turning_18, determined_on=dt.date(2025, 1, 10), percent=70)
    turning_65 = make_person(fin="8LDA001", sex="M", birth_date=week_later.replace(year=1961))
    for number in range(3):
        make_person(fin=f"8BYS00{number}")  # nothing happens to them
    scan()
    assert not awards_of(mother, "large_family_mother_benefit")

    later = scan(week_later)

    assert {"pensions.large_family_mother_benefit", "pensions.disability_benefit",
            "pensions.old_age_social_benefit"} <= set(later.incremental_rules)
    assert later.people_rechecked <= later.people_scanned - 3
    assert periods(mother, "large_family_mother_benefit")[0][0] == week_later
    assert periods(turning_18, "disability_benefit") == [(week_later, None, Decimal("250"))]
    assert periods(turning_65, "old_age_social_benefit") == [
        (week_later, None, Decimal("180"))]
