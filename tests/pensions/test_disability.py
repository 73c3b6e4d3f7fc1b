from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

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


@pytest.fixture
def worker(make_person):
    """43 at the finding, with 16 insured years: more than the 96 months needed at that age."""
    person = make_person(fin="1DSB001", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(person, range(2010, 2026))
    return person


def test_disability_pension_awarded_on_a_current_finding(worker):
    find_disabled(worker, determined_on=FINDING, percent=70)

    assert run_rules(worker) == 1

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


def test_disability_pension_ends_with_the_finding(worker):
    find_disabled(worker, determined_on=FINDING, valid_until=dt.date(2028, 6, 1))

    run_rules(worker)

    [award] = awards_of(worker, "disability_pension")
    assert award.period_end == dt.date(2028, 6, 1)
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

    assert run_rules(person) == 0


def test_insurance_after_the_finding_does_not_count(make_person):
    person = make_person(fin="1DSB007", sex="M", birth_date=dt.date(1977, 5, 1))
    insure(person, range(2015, 2026))  # 132 months, but only 72 by the finding at 43
    find_disabled(person, determined_on=dt.date(2020, 6, 1))

    assert run_rules(person) == 0


def test_exactly_the_minimum_insurance_is_enough(make_person):
    person = make_person(fin="1DSB006", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(person, range(2018, 2026))  # 96 months, the minimum at 43
    find_disabled(person, determined_on=FINDING)

    assert run_rules(person) == 1


def test_expired_finding_gives_no_disability_pension(worker):
    find_disabled(worker, determined_on=dt.date(2024, 6, 1), valid_until=dt.date(2026, 6, 1))

    assert run_rules(worker) == 0


def test_finding_in_the_future_gives_no_disability_pension(worker):
    find_disabled(worker, determined_on=FINDING)

    assert run_rules(worker, on=FINDING - dt.timedelta(days=1)) == 0


def test_finding_before_18_gives_no_disability_pension(make_person):
    teenager = make_person(fin="1DSB004", sex="M", birth_date=dt.date(2009, 6, 1))
    insure(teenager, range(2020, 2026))  # a record no teenager has, so only age can refuse
    find_disabled(teenager, determined_on=dt.date(2026, 5, 1))

    assert run_rules(teenager) == 0


def test_old_age_pensioner_gets_no_disability_pension(make_person):
    mother = make_person(fin="1DSB005", sex="F", birth_date=dt.date(1966, 5, 1))
    insure(mother, range(2006, 2026), amount="2000")
    for number in range(5):
        make_parent(make_person(fin=f"1DSK00{number}", birth_date=dt.date(1990 + number, 1, 1)),
                    mother)
    run_rules(mother)
    assert awards_of(mother, "old_age_pension")
    find_disabled(mother, determined_on=FINDING)

    assert run_rules(mother) == 0
    assert not awards_of(mother, "disability_pension")


def test_second_scan_awards_no_new_disability_pension(worker, scan):
    find_disabled(worker, determined_on=FINDING)

    assert scan().awarded == 1
    assert scan(TODAY + dt.timedelta(days=1)).awarded == 0
    assert len(awards_of(worker, "disability_pension")) == 1
