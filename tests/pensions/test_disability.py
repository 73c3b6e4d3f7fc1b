from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.entitlements.models import Award
from dost.payments.models import PaymentSchedule
from tests.pensions.conftest import (
    MINIMUM_PENSION,
    TODAY,
    awards_of,
    find_disabled,
    insure,
    make_parent,
    reasons_in_english,
    run_rules,
)

FINDING = dt.date(2026, 6, 1)


def pensions_awarded(person, *, on: dt.date = TODAY) -> int:
    """Run every rule for ``person`` as a life event does; the disability pensions awarded.

    (Other rules, such as the social disability benefit, may award on the same findings.)
    """
    before = len(awards_of(person, "disability_pension"))
    run_rules(person, on=on)
    return len(awards_of(person, "disability_pension")) - before


@pytest.fixture
def worker(make_person):
    """43 at the finding, with 16 insured years: more than the 96 months needed at that age."""
    person = make_person(fin="1DSB001", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(person, range(2010, 2026))
    return person


def test_disability_pension_awarded_on_a_current_finding(worker):
    find_disabled(worker, determined_on=FINDING, percent=70)

    assert pensions_awarded(worker) == 1

    [award] = awards_of(worker, "disability_pension")
    assert award.rule == "pensions.disability"
    assert (award.period_start, award.period_end) == (FINDING, None)
    facts = award.facts
    assert (facts["percent"], facts["age_at_onset"], facts["determined_on"]) == (
        70, 43, "2026-06-01")
    assert Decimal(str(facts["coefficient"])) == Decimal("80.64")
    assert facts["insured_months"] == 192
    capital = Decimal(str(facts["pension_capital"]))
    assert award.amount == max(capital / Decimal("80.64"), MINIMUM_PENSION).quantize(
        Decimal("0.01"))
    assert award.amount > MINIMUM_PENSION


def test_disability_pension_is_at_least_the_minimum_pension(make_person):
    person = make_person(fin="1DSB002", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(person, range(2010, 2026), amount="50")
    find_disabled(person, determined_on=FINDING)

    run_rules(person)

    [award] = awards_of(person, "disability_pension")
    assert award.amount == MINIMUM_PENSION


def test_disability_pension_ends_the_day_before_the_finding_lapses(worker):
    # valid_until is the day the finding no longer holds; the period's end is its last day.
    find_disabled(worker, determined_on=FINDING, valid_until=dt.date(2028, 6, 1))

    run_rules(worker)

    [award] = awards_of(worker, "disability_pension")
    assert award.period_end == dt.date(2028, 5, 31)
    assert PaymentSchedule.objects.get(reference=f"award:{award.pk}").ends_on == award.period_end


def test_disability_explanation_names_the_coefficient_for_the_age(worker):
    find_disabled(worker, determined_on=FINDING)
    run_rules(worker)
    [award] = awards_of(worker, "disability_pension")

    reasons = reasons_in_english(award)

    assert "80.64" in reasons
    assert "43 years old" in reasons


def test_too_short_insurance_gives_no_disability_pension(make_person):
    person = make_person(fin="1DSB003", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(person, range(2018, 2026), months=11)  # 88 months; 96 are needed at 43
    find_disabled(person, determined_on=FINDING)

    assert pensions_awarded(person) == 0


def test_insurance_after_the_finding_does_not_count(make_person):
    person = make_person(fin="1DSB007", sex="M", birth_date=dt.date(1977, 5, 1))
    insure(person, range(2015, 2026))  # 132 months, but only 72 by the finding at 43
    find_disabled(person, determined_on=dt.date(2020, 6, 1))

    assert pensions_awarded(person) == 0


def test_exactly_the_minimum_insurance_is_enough(make_person):
    person = make_person(fin="1DSB006", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(person, range(2018, 2026))  # 96 months, the minimum at 43
    find_disabled(person, determined_on=FINDING)

    assert pensions_awarded(person) == 1


def test_expired_finding_gives_no_disability_pension(worker):
    find_disabled(worker, determined_on=dt.date(2024, 6, 1), valid_until=dt.date(2026, 6, 1))

    assert pensions_awarded(worker) == 0


def test_finding_in_the_future_gives_no_disability_pension(worker):
    find_disabled(worker, determined_on=FINDING)

    assert pensions_awarded(worker, on=FINDING - dt.timedelta(days=1)) == 0


def test_finding_before_18_gives_no_disability_pension(make_person):
    teenager = make_person(fin="1DSB004", sex="M", birth_date=dt.date(2009, 6, 1))
    insure(teenager, range(2020, 2026))  # a record no teenager has, so only age can refuse
    find_disabled(teenager, determined_on=dt.date(2026, 5, 1))

    assert pensions_awarded(teenager) == 0


def early_old_age_pensioner(make_person, *, years: range, amount: str):
    """A mother of five on the early old-age pension, below the full retirement age."""
    mother = make_person(fin="1DSB005", sex="F", birth_date=dt.date(1966, 5, 1))
    insure(mother, years, amount=amount)
    for number in range(5):
        make_parent(make_person(fin=f"1DSK00{number}", birth_date=dt.date(1990 + number, 1, 1)),
                    mother)
    run_rules(mother)
    [old_age] = awards_of(mother, "old_age_pension")
    return mother, old_age


def test_old_age_pension_as_high_is_kept_instead_of_a_disability_pension(make_person):
    # 25 insured years of small contributions: both pensions are the minimum pension.
    mother, old_age = early_old_age_pensioner(make_person, years=range(2001, 2026), amount="50")
    assert old_age.amount == MINIMUM_PENSION
    find_disabled(mother, determined_on=FINDING)

    assert pensions_awarded(mother) == 0

    assert not awards_of(mother, "disability_pension")
    old_age.refresh_from_db()
    assert (old_age.status, old_age.period_end) == (Award.Status.AWARDED, None)


def test_lower_old_age_pension_is_replaced_by_a_higher_disability_pension(make_person):
    mother, old_age = early_old_age_pensioner(make_person, years=range(2006, 2026),
                                              amount="2000")
    find_disabled(mother, determined_on=FINDING)

    assert pensions_awarded(mother) == 1

    [disability] = awards_of(mother, "disability_pension")
    old_age.refresh_from_db()
    # The same capital divided by 129.60 (age 60) rather than 144 months.
    assert disability.amount > old_age.amount
    assert (old_age.status, old_age.end_reason) == (Award.Status.SUPERSEDED,
                                                    Award.EndReason.SWITCH)
    assert old_age.period_end < disability.period_start
    assert disability.facts["replaced_benefit"] == "old_age_pension"
    assert "old-age labour pension" in reasons_in_english(disability)
    assert pensions_awarded(mother) == 0


def test_second_scan_awards_no_new_disability_pension(worker, scan):
    find_disabled(worker, determined_on=FINDING)

    assert scan().awarded == 1
    assert scan(TODAY + dt.timedelta(days=1)).awarded == 0
    assert len(awards_of(worker, "disability_pension")) == 1


# Periods: one per finding. The worker was born on 1983-05-01; scans within 2026 index
# the capital alike, so an amount that does not change shows as equal.


def test_renewal_continues_the_pension_without_a_gap(worker):
    find_disabled(worker, determined_on=dt.date(2026, 1, 15), valid_until=dt.date(2026, 7, 1))
    run_rules(worker, on=dt.date(2026, 2, 1))
    find_disabled(worker, determined_on=dt.date(2026, 6, 20), valid_until=dt.date(2027, 7, 1))

    assert pensions_awarded(worker) == 1

    first, renewed = awards_of(worker, "disability_pension")
    assert (first.period_start, first.period_end) == (dt.date(2026, 1, 15), dt.date(2026, 6, 19))
    assert (first.status, first.end_reason) == (Award.Status.AWARDED, Award.EndReason.NEW_PERIOD)
    assert (renewed.period_start, renewed.period_end) == (dt.date(2026, 6, 20),
                                                          dt.date(2027, 6, 30))
    assert renewed.facts["onset"] == "2026-01-15"
    assert renewed.amount == first.amount
    assert "without a break" in reasons_in_english(renewed)


def test_renewed_period_is_awarded_once(worker):
    find_disabled(worker, determined_on=dt.date(2026, 1, 15), valid_until=dt.date(2026, 7, 1))
    run_rules(worker, on=dt.date(2026, 2, 1))
    find_disabled(worker, determined_on=dt.date(2026, 6, 20), valid_until=dt.date(2027, 7, 1))
    run_rules(worker)

    assert pensions_awarded(worker) == 0
    assert pensions_awarded(worker, on=TODAY + dt.timedelta(days=30)) == 0
    assert len(awards_of(worker, "disability_pension")) == 2


def test_earlier_finding_is_not_awarded_after_its_renewal(worker):
    # Both findings recorded before any scan: only the one in effect is awarded, and a
    # scan as of a day of the first one's term does not add a period under the renewal's.
    find_disabled(worker, determined_on=dt.date(2026, 1, 15), valid_until=dt.date(2026, 7, 1))
    find_disabled(worker, determined_on=dt.date(2026, 6, 20), valid_until=dt.date(2027, 7, 1))
    assert pensions_awarded(worker) == 1

    assert pensions_awarded(worker, on=dt.date(2026, 3, 1)) == 0

    [award] = awards_of(worker, "disability_pension")
    assert (award.period_start, award.facts["onset"]) == (dt.date(2026, 6, 20), "2026-01-15")


@pytest.fixture
def lowered(worker):
    """70 % from 2026-03-01 for a year, awarded; a finding of 40 % from 2026-09-01."""
    find_disabled(worker, determined_on=dt.date(2026, 3, 1), valid_until=dt.date(2027, 3, 1),
                  percent=70)
    run_rules(worker, on=dt.date(2026, 3, 10))
    find_disabled(worker, determined_on=dt.date(2026, 9, 1), valid_until=dt.date(2028, 9, 1),
                  percent=40)
    return worker


def test_lower_degree_changes_nothing_the_day_before_it(lowered):
    assert pensions_awarded(lowered, on=dt.date(2026, 8, 31)) == 0

    [running] = awards_of(lowered, "disability_pension")
    assert (running.period_end, running.end_reason) == (dt.date(2027, 2, 28),
                                                        Award.EndReason.NONE)
    assert running.facts["percent"] == 70


def test_lower_degree_starts_a_new_period_on_its_day(lowered):
    assert pensions_awarded(lowered, on=dt.date(2026, 9, 1)) == 1

    old, new = awards_of(lowered, "disability_pension")
    assert (old.period_end, old.end_reason) == (dt.date(2026, 8, 31),
                                                Award.EndReason.NEW_PERIOD)
    assert (new.period_start, new.period_end) == (dt.date(2026, 9, 1), dt.date(2028, 8, 31))
    assert new.facts["percent"] == 40
    # The amount rests on the age and the record at the onset, not on the percentage.
    assert (new.facts["onset"], new.facts["age_at_onset"]) == ("2026-03-01", 42)
    assert new.amount == old.amount
    assert "42 years old" in reasons_in_english(new)


def test_lapsed_finding_ends_the_pension_on_its_day(worker):
    find_disabled(worker, determined_on=dt.date(2025, 3, 1), valid_until=dt.date(2026, 3, 1))
    run_rules(worker, on=dt.date(2025, 3, 10))

    assert pensions_awarded(worker, on=dt.date(2026, 3, 1)) == 0

    [award] = awards_of(worker, "disability_pension")
    assert (award.period_end, award.end_reason) == (dt.date(2026, 2, 28),
                                                    Award.EndReason.NONE)


def test_new_finding_after_a_lapse_starts_a_new_period(worker):
    find_disabled(worker, determined_on=dt.date(2025, 3, 1), valid_until=dt.date(2026, 3, 1))
    run_rules(worker, on=dt.date(2025, 3, 10))
    find_disabled(worker, determined_on=dt.date(2026, 6, 1), valid_until=dt.date(2027, 6, 1))

    assert pensions_awarded(worker) == 1

    lapsed, new = awards_of(worker, "disability_pension")
    assert (lapsed.period_end, lapsed.end_reason) == (dt.date(2026, 2, 28),
                                                      Award.EndReason.NONE)
    assert new.period_start == dt.date(2026, 6, 1)
    # A new chain: the disability began anew, at 43.
    assert (new.facts["onset"], new.facts["age_at_onset"], new.facts["renews"]) == (
        "2026-06-01", 43, None)


@pytest.mark.parametrize(("renewed_on", "period_start", "onset"), [
    # 30 days after the lapse: within the grace, paid from the lapse on.
    (dt.date(2026, 3, 31), dt.date(2026, 3, 1), "2025-03-01"),
    # 31 days after: a new disability, from its finding.
    (dt.date(2026, 4, 1), dt.date(2026, 4, 1), "2026-04-01"),
])
def test_late_renewal_continues_only_within_the_grace(worker, renewed_on, period_start, onset):
    find_disabled(worker, determined_on=dt.date(2025, 3, 1), valid_until=dt.date(2026, 3, 1))
    run_rules(worker, on=dt.date(2025, 3, 10))
    find_disabled(worker, determined_on=renewed_on, valid_until=dt.date(2027, 3, 1))

    assert pensions_awarded(worker) == 1

    lapsed, renewed = awards_of(worker, "disability_pension")
    assert lapsed.period_end == dt.date(2026, 2, 28)
    assert (renewed.period_start, renewed.facts["onset"]) == (period_start, onset)


def find_run(person, starts: list[dt.date], *, percents: list[int]) -> None:
    """Consecutive fixed-term findings, each lapsing on the day the next is decided."""
    for start, lapse, percent in zip(starts, [*starts[1:], dt.date(2028, 6, 1)], percents,
                                     strict=True):
        find_disabled(person, determined_on=start, valid_until=lapse, percent=percent)


def test_status_is_indefinite_after_four_years_at_81_to_100(worker):
    find_run(worker, [dt.date(2021, 6, 1), dt.date(2023, 6, 1), dt.date(2025, 6, 1)],
             percents=[90, 90, 90])

    assert pensions_awarded(worker) == 1

    [award] = awards_of(worker, "disability_pension")
    assert (award.period_start, award.period_end) == (dt.date(2025, 6, 1), None)
    assert (award.facts["indefinite_after_years"], award.facts["run_start"]) == (4, "2021-06-01")
    assert award.facts["valid_until"] == "2028-06-01"
    assert PaymentSchedule.objects.get(reference=f"award:{award.pk}").ends_on is None
    assert "became indefinite" in reasons_in_english(award)


def test_status_one_day_short_of_four_years_keeps_its_term(worker):
    find_run(worker, [dt.date(2021, 6, 1), dt.date(2023, 6, 1), dt.date(2025, 5, 31)],
             percents=[90, 90, 90])

    run_rules(worker)

    [award] = awards_of(worker, "disability_pension")
    assert (award.period_start, award.period_end) == (dt.date(2025, 5, 31), dt.date(2028, 5, 31))
    assert award.facts["indefinite_after_years"] is None


def test_years_at_a_lower_degree_do_not_count_towards_the_higher_one(worker):
    # Four years of findings, but only two at 81-100 %; 61-80 % needs ten.
    find_run(worker, [dt.date(2021, 6, 1), dt.date(2023, 6, 1), dt.date(2025, 6, 1)],
             percents=[70, 90, 90])

    run_rules(worker)

    [award] = awards_of(worker, "disability_pension")
    assert award.period_end == dt.date(2028, 5, 31)


def test_insurance_after_the_onset_does_not_raise_a_renewal(worker):
    find_disabled(worker, determined_on=dt.date(2025, 2, 1), valid_until=dt.date(2026, 6, 1))
    run_rules(worker, on=dt.date(2026, 1, 15))
    insure(worker, range(2026, 2027), amount="100000")
    find_disabled(worker, determined_on=dt.date(2026, 5, 15), valid_until=dt.date(2027, 5, 15))

    assert pensions_awarded(worker) == 1

    first, renewed = awards_of(worker, "disability_pension")
    assert renewed.amount == first.amount
    assert renewed.facts["insured_months"] == first.facts["insured_months"]
    assert renewed.facts["pension_capital"] == first.facts["pension_capital"]
