"""The wage calculator's arithmetic, against amounts worked out by hand from the law."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.entitlements.parameters import parameter_on
from dost.errors import DomainError
from employment.calculator import Item, bands, parameter_names
from employment.calculator import wage_breakdown as pure_breakdown
from employment.selectors import wage_breakdown

BEFORE_2026 = dt.date(2025, 6, 1)
IN_2026 = dt.date(2026, 3, 1)


def amounts(deductions) -> dict[str, Decimal]:
    return {str(item.item): item.amount for item in deductions}


def test_private_sector_wage_of_1000_before_2026():
    breakdown = wage_breakdown(gross=Decimal("1000"), sector="private", on=BEFORE_2026)

    # Income tax 0 % up to 8,000; social insurance 3 % × 200 + 10 % × 800; unemployment
    # 0.5 %; medical 2 % up to 8,000.
    assert amounts(breakdown.employee) == {
        Item.INCOME_TAX: Decimal("0.00"), Item.SOCIAL_INSURANCE: Decimal("86.00"),
        Item.UNEMPLOYMENT_INSURANCE: Decimal("5.00"), Item.MEDICAL_INSURANCE: Decimal("20.00"),
    }
    assert breakdown.net == Decimal("889.00")


def test_private_sector_employer_pays_189_on_a_wage_of_1000():
    breakdown = wage_breakdown(gross=Decimal("1000"), sector="private", on=BEFORE_2026)

    # Social insurance 22 % × 200 + 15 % × 800; unemployment 0.5 %; medical 2 %.
    assert amounts(breakdown.employer) == {
        Item.SOCIAL_INSURANCE: Decimal("164.00"), Item.UNEMPLOYMENT_INSURANCE: Decimal("5.00"),
        Item.MEDICAL_INSURANCE: Decimal("20.00"),
    }
    assert breakdown.employer_cost == Decimal("1189.00")


def test_social_insurance_of_both_sides_is_a_quarter_of_the_wage():
    breakdown = wage_breakdown(gross=Decimal("1000"), sector="private", on=BEFORE_2026)

    assert breakdown.social_insurance == Decimal("250.00")


def test_income_tax_on_private_wages_starts_on_1_january_2026():
    last_day = wage_breakdown(gross=Decimal("1000"), sector="private", on=dt.date(2025, 12, 31))
    first_day = wage_breakdown(gross=Decimal("1000"), sector="private", on=dt.date(2026, 1, 1))

    assert amounts(last_day.employee)[Item.INCOME_TAX] == Decimal("0.00")
    assert amounts(first_day.employee)[Item.INCOME_TAX] == Decimal("30.00")
    assert first_day.net == Decimal("859.00")


@pytest.mark.parametrize(("on", "tax"), [
    (dt.date(2026, 6, 1), Decimal("905.00")),   # 625 + 14 % × 2,000
    (dt.date(2027, 6, 1), Decimal("955.00")),   # 675 + 14 % × 2,000
    (dt.date(2028, 6, 1), Decimal("1005.00")),  # 725 + 14 % × 2,000
])
def test_private_income_tax_on_10000_follows_the_yearly_steps(on, tax):
    breakdown = wage_breakdown(gross=Decimal("10000"), sector="private", on=on)

    assert amounts(breakdown.employee)[Item.INCOME_TAX] == tax


def test_private_wage_of_10000_before_2026():
    breakdown = wage_breakdown(gross=Decimal("10000"), sector="private", on=BEFORE_2026)

    # Tax 14 % × 2,000; social insurance 6 + 10 % × 9,800; medical 160 + 0.5 % × 2,000.
    assert amounts(breakdown.employee) == {
        Item.INCOME_TAX: Decimal("280.00"), Item.SOCIAL_INSURANCE: Decimal("986.00"),
        Item.UNEMPLOYMENT_INSURANCE: Decimal("50.00"), Item.MEDICAL_INSURANCE: Decimal("170.00"),
    }
    assert breakdown.net == Decimal("8514.00")


def test_employer_social_insurance_above_8000_falls_to_11_percent_in_2026():
    breakdown = wage_breakdown(gross=Decimal("10000"), sector="private", on=IN_2026)

    # 44 + 15 % × 7,800 + 11 % × 2,000
    assert amounts(breakdown.employer)[Item.SOCIAL_INSURANCE] == Decimal("1434.00")


def test_medical_insurance_of_the_private_sector_doubled_in_2022():
    in_2021 = wage_breakdown(gross=Decimal("1000"), sector="private", on=dt.date(2021, 12, 31))
    in_2022 = wage_breakdown(gross=Decimal("1000"), sector="private", on=dt.date(2022, 1, 1))

    assert amounts(in_2021.employee)[Item.MEDICAL_INSURANCE] == Decimal("10.00")
    assert amounts(in_2022.employee)[Item.MEDICAL_INSURANCE] == Decimal("20.00")


def test_public_sector_wage_of_1000_is_taxed_after_a_200_deduction():
    breakdown = wage_breakdown(gross=Decimal("1000"), sector="public", on=IN_2026)

    # Tax 14 % × (1,000 − 200); social insurance 3 %; unemployment 0.5 %; medical 2 %.
    assert amounts(breakdown.employee) == {
        Item.INCOME_TAX: Decimal("112.00"), Item.SOCIAL_INSURANCE: Decimal("30.00"),
        Item.UNEMPLOYMENT_INSURANCE: Decimal("5.00"), Item.MEDICAL_INSURANCE: Decimal("20.00"),
    }
    assert breakdown.net == Decimal("833.00")
    assert breakdown.employer_cost == Decimal("1245.00")


def test_public_sector_wage_above_2500_loses_the_deduction():
    breakdown = wage_breakdown(gross=Decimal("3000"), sector="public", on=IN_2026)

    # 350 + 25 % × 500
    assert amounts(breakdown.employee)[Item.INCOME_TAX] == Decimal("475.00")


def test_every_amount_is_rounded_to_the_qapik():
    breakdown = wage_breakdown(gross=Decimal("333.33"), sector="private", on=IN_2026)

    # Social insurance: 6 + 10 % × 133.33 = 19.333 → 19.33
    assert amounts(breakdown.employee)[Item.SOCIAL_INSURANCE] == Decimal("19.33")
    assert all(item.amount == item.amount.quantize(Decimal("0.01"))
               for item in (*breakdown.employee, *breakdown.employer))


def test_a_date_before_the_known_rates_is_refused():
    with pytest.raises(DomainError) as refusal:
        wage_breakdown(gross=Decimal("1000"), sector="private", on=dt.date(2018, 12, 31))

    assert refusal.value.code == "no_rates"


def test_a_negative_wage_is_refused_by_the_calculation():
    parameters = {name: parameter_on(name, IN_2026) for name in parameter_names("private")}

    with pytest.raises(ValueError, match="negative"):
        pure_breakdown(gross=Decimal("-1"), sector="private", parameters=parameters)


def test_a_schedule_must_start_at_zero():
    with pytest.raises(ValueError, match="start at 0"):
        bands({200: 0.1})


def test_every_parameter_used_carries_its_source():
    breakdown = wage_breakdown(gross=Decimal("1000"), sector="public", on=IN_2026)

    sources = [parameter.source for item in (*breakdown.employee, *breakdown.employer)
               for parameter in item.parameters]
    assert sources
    assert all(sources)
