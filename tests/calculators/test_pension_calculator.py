"""The pension calculator's arithmetic, against dates and amounts worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.entitlements.parameters import ParameterValue
from pensions.calculator import (
    PensionParameters,
    add_months,
    months_between,
    project_pension,
    retirement_date,
)
from pensions.selectors import pension_parameters, pension_projection

ON = dt.date(2026, 3, 10)


def value(name: str, amount: object, starts_on: dt.date = dt.date(2000, 1, 1),
          *, estimate: bool = False) -> ParameterValue:
    return ParameterValue(name, Decimal(str(amount)), starts_on, f"source of {name}", estimate)


def test_man_born_in_1960_retires_at_65_in_2025():
    ages = pension_parameters(sex="M", on=ON).retirement_ages

    day, age = retirement_date(birth_date=dt.date(1960, 1, 15), ages=ages)

    # 63.5 in mid-2023 would come after the rise to 64, 64.5 and 65: 65 applies.
    assert day == dt.date(2025, 1, 15)
    assert age.value == 780


def test_woman_born_in_1960_retires_at_63_in_2023():
    ages = pension_parameters(sex="F", on=ON).retirement_ages

    day, age = retirement_date(birth_date=dt.date(1960, 1, 15), ages=ages)

    # 62 (Jan 2022) came after the rise to 62.5; 62.5 (Jul 2022) after the rise to 63;
    # 63 (Jan 2023) before the rise to 63.5 on 2023-07-01.
    assert day == dt.date(2023, 1, 15)
    assert age.value == 756


def test_retirement_age_rise_applies_to_those_who_have_not_yet_reached_the_old_age():
    ages = [value("age", 720), value("age", 744, dt.date(2020, 1, 1))]

    earlier, _ = retirement_date(birth_date=dt.date(1959, 6, 1), ages=ages)
    later, _ = retirement_date(birth_date=dt.date(1960, 6, 1), ages=ages)

    assert earlier == dt.date(2019, 6, 1)  # 60 before the rise
    assert later == dt.date(2022, 6, 1)    # 60 only after it: 62 applies


def test_retirement_age_cut_takes_effect_on_its_date():
    ages = [value("age", 780), value("age", 720, dt.date(2020, 1, 1))]

    day, age = retirement_date(birth_date=dt.date(1958, 1, 1), ages=ages)

    # Already 60 in 2018, but 60 is the retirement age only from 2020-01-01.
    assert day == dt.date(2020, 1, 1)
    assert age.value == 720


def test_adding_months_keeps_to_the_end_of_a_shorter_month():
    assert add_months(dt.date(2000, 1, 31), 1) == dt.date(2000, 2, 29)
    assert add_months(dt.date(1960, 8, 31), 780) == dt.date(2025, 8, 31)


def test_months_between_counts_whole_months():
    assert months_between(dt.date(2026, 3, 10), dt.date(2045, 3, 10)) == 228
    assert months_between(dt.date(2026, 3, 10), dt.date(2045, 3, 9)) == 227
    assert months_between(dt.date(2026, 3, 10), dt.date(2020, 1, 1)) == 0


def test_projection_adds_contributions_until_retirement():
    projection = pension_projection(sex="F", birth_date=dt.date(1980, 3, 10),
                                    capital=Decimal("10000"), insured_years=Decimal("10"),
                                    monthly_contributions=Decimal("250"), working_years=None,
                                    on=ON)

    assert projection.retirement_on == dt.date(2045, 3, 10)  # 65 from 2026-07-01
    assert projection.months_ahead == 228
    assert projection.future_contributions == Decimal("57000.00")
    assert projection.capital == Decimal("67000.00")
    assert projection.capital_pension == Decimal("465.28")  # 67,000 ÷ 144
    assert projection.pension == Decimal("465.28")
    assert projection.insured_years == Decimal("29")
    assert projection.entitled


def test_small_capital_with_a_long_insurance_period_gets_the_minimum_pension():
    projection = pension_projection(sex="M", birth_date=dt.date(1960, 1, 15),
                                    capital=Decimal("14400"), insured_years=Decimal("30"),
                                    monthly_contributions=Decimal("0"), working_years=None,
                                    on=ON)

    assert projection.retired
    assert projection.capital_pension == Decimal("100.00")
    assert projection.pension == Decimal("349.76")  # the minimum pension on 2026-03-10
    assert projection.entitled


def test_small_capital_and_short_insurance_period_give_no_pension():
    projection = pension_projection(sex="M", birth_date=dt.date(1960, 1, 15),
                                    capital=Decimal("14400"), insured_years=Decimal("24.9"),
                                    monthly_contributions=Decimal("0"), working_years=None,
                                    on=ON)

    assert not projection.entitled


def test_working_years_limit_the_contributions_counted():
    projection = pension_projection(sex="F", birth_date=dt.date(1980, 3, 10),
                                    capital=Decimal("0"), insured_years=Decimal("0"),
                                    monthly_contributions=Decimal("100"),
                                    working_years=Decimal("10"), on=ON)

    assert projection.months_ahead == 120
    assert projection.future_contributions == Decimal("12000.00")


def test_working_past_retirement_adds_nothing():
    projection = pension_projection(sex="F", birth_date=dt.date(1980, 3, 10),
                                    capital=Decimal("0"), insured_years=Decimal("0"),
                                    monthly_contributions=Decimal("100"),
                                    working_years=Decimal("40"), on=ON)

    assert projection.months_ahead == 228


def test_the_parameters_of_the_day_decide_the_minimum_pension():
    parameters = PensionParameters(
        retirement_ages=[value("age", 780)],
        expected_payment_months=value("expected_payment_months", 144),
        minimum_pension=value("minimum_pension", 400, estimate=True),
        old_age_insurance_years=value("old_age_insurance_years", 25),
    )

    projection = project_pension(on=ON, birth_date=dt.date(1950, 1, 1), capital=Decimal("0"),
                                 insured_years=Decimal("40"), monthly_contributions=Decimal(0),
                                 working_years=None, parameters=parameters)

    assert projection.pension == Decimal("400")
    assert any(parameter.estimate for parameter in projection.parameters_used)


def test_negative_facts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        pension_projection(sex="F", birth_date=dt.date(1980, 3, 10), capital=Decimal("-1"),
                           insured_years=Decimal("0"), monthly_contributions=Decimal("0"),
                           working_years=None, on=ON)


def test_minimum_pension_used_is_the_one_in_force_on_the_day():
    before = pension_parameters(sex="F", on=dt.date(2025, 12, 31)).minimum_pension
    after = pension_parameters(sex="F", on=dt.date(2026, 1, 1)).minimum_pension

    assert (before.value, after.value) == (Decimal("320"), Decimal("349.76"))
