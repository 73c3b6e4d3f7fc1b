"""From a gross monthly wage to the net wage and the employer's cost.

Plain functions of a wage and the parameters in force (``employment/parameters.yaml``),
testable without a database: ``employment.selectors.wage_breakdown`` looks the
parameters up for a date and calls ``wage_breakdown`` here.

Every deduction is computed on the gross wage (the insurance contributions the
employee pays do not lower the income-tax base), each rounded to the qapik.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from dost.entitlements.parameters import ParameterValue

CENT = Decimal("0.01")


class Sector(models.TextChoices):
    PRIVATE = "private", _("private, outside the oil and gas industry")
    PUBLIC = "public", _("state sector, or the oil and gas industry")


class Payer(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    EMPLOYER = "employer", _("employer")


class Item(models.TextChoices):
    INCOME_TAX = "income_tax", _("Income tax")
    SOCIAL_INSURANCE = "social_insurance", _("Compulsory state social insurance")
    UNEMPLOYMENT_INSURANCE = "unemployment_insurance", _("Unemployment insurance")
    MEDICAL_INSURANCE = "medical_insurance", _("Compulsory medical insurance")


@dataclass(frozen=True)
class Band:
    """``rate`` applies to the part of the wage from ``lower`` up to ``upper`` (None: no limit)."""

    lower: Decimal
    upper: Decimal | None
    rate: Decimal

    @property
    def percent(self) -> Decimal:
        return (self.rate * 100).normalize()


@dataclass(frozen=True)
class Deduction:
    item: str
    payer: str
    amount: Decimal
    bands: tuple[Band, ...]
    # The parameters the amount rests on, the rate schedule first.
    parameters: tuple[ParameterValue, ...]
    # Deducted from the wage before the schedule applies (income tax, public sector).
    allowance: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        return Item(self.item).label

    @property
    def estimate(self) -> bool:
        return any(parameter.estimate for parameter in self.parameters)


@dataclass(frozen=True)
class WageBreakdown:
    gross: Decimal
    sector: str
    employee: tuple[Deduction, ...]
    employer: tuple[Deduction, ...]

    @property
    def employee_total(self) -> Decimal:
        return sum((item.amount for item in self.employee), Decimal(0))

    @property
    def employer_total(self) -> Decimal:
        return sum((item.amount for item in self.employer), Decimal(0))

    @property
    def net(self) -> Decimal:
        return self.gross - self.employee_total

    @property
    def employer_cost(self) -> Decimal:
        return self.gross + self.employer_total

    @property
    def social_insurance(self) -> Decimal:
        """Social-insurance contributions paid for the employee by both sides: what builds
        their pension capital."""
        return sum((item.amount for item in (*self.employee, *self.employer)
                    if item.item == Item.SOCIAL_INSURANCE), Decimal(0))


def parameter_names(sector: str) -> tuple[str, ...]:
    """Every parameter ``wage_breakdown`` needs for ``sector``."""
    names = (f"income_tax_{sector}", f"social_insurance_employee_{sector}",
             f"social_insurance_employer_{sector}", "unemployment_insurance_employee",
             "unemployment_insurance_employer", f"medical_insurance_{sector}")
    if sector == Sector.PUBLIC:
        names += ("income_tax_public_deduction", "income_tax_public_deduction_limit")
    return names


def bands(schedule: Mapping[object, object]) -> tuple[Band, ...]:
    """A marginal schedule (wage from → rate, as the YAML files write it) as ordered bands."""
    steps = sorted((Decimal(str(lower)), Decimal(str(rate))) for lower, rate in schedule.items())
    if not steps or steps[0][0] != 0:
        raise ValueError("A rate schedule must start at 0.")
    uppers = [lower for lower, _rate in steps[1:]] + [None]
    return tuple(Band(lower, upper, rate)
                 for (lower, rate), upper in zip(steps, uppers, strict=True))


def marginal(amount: Decimal, schedule: tuple[Band, ...]) -> Decimal:
    """Each band's rate applied to the part of ``amount`` that falls in it, summed."""
    total = Decimal(0)
    for band in schedule:
        if amount <= band.lower:
            break
        top = amount if band.upper is None else min(amount, band.upper)
        total += (top - band.lower) * band.rate
    return _round(total)


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _scheduled(item: str, payer: str, gross: Decimal, parameter: ParameterValue) -> Deduction:
    schedule = bands(parameter.value)
    return Deduction(item, payer, marginal(gross, schedule), schedule, (parameter,))


def _flat(item: str, payer: str, gross: Decimal, parameter: ParameterValue) -> Deduction:
    schedule = bands({0: parameter.value})
    return Deduction(item, payer, marginal(gross, schedule), schedule, (parameter,))


def income_tax(gross: Decimal, sector: str,
               parameters: Mapping[str, ParameterValue]) -> Deduction:
    rates = parameters[f"income_tax_{sector}"]
    schedule = bands(rates.value)
    if sector != Sector.PUBLIC:
        return Deduction(Item.INCOME_TAX, Payer.EMPLOYEE, marginal(gross, schedule), schedule,
                         (rates,))
    deduction = parameters["income_tax_public_deduction"]
    limit = parameters["income_tax_public_deduction_limit"]
    allowance = min(deduction.value, gross) if gross <= limit.value else Decimal(0)
    return Deduction(Item.INCOME_TAX, Payer.EMPLOYEE, marginal(gross - allowance, schedule),
                     schedule, (rates, deduction, limit), allowance)


def wage_breakdown(*, gross: Decimal, sector: str,
                   parameters: Mapping[str, ParameterValue]) -> WageBreakdown:
    """What the employee keeps of ``gross`` and what the employer pays on top of it.

    ``parameters`` holds the values in force (see ``parameter_names``).
    """
    if sector not in Sector.values:
        raise ValueError(f"Unknown sector {sector}.")
    if gross < 0:
        raise ValueError("A wage cannot be negative.")
    medical = parameters[f"medical_insurance_{sector}"]
    employee = (
        income_tax(gross, sector, parameters),
        _scheduled(Item.SOCIAL_INSURANCE, Payer.EMPLOYEE, gross,
                   parameters[f"social_insurance_employee_{sector}"]),
        _flat(Item.UNEMPLOYMENT_INSURANCE, Payer.EMPLOYEE, gross,
              parameters["unemployment_insurance_employee"]),
        _scheduled(Item.MEDICAL_INSURANCE, Payer.EMPLOYEE, gross, medical),
    )
    employer = (
        _scheduled(Item.SOCIAL_INSURANCE, Payer.EMPLOYER, gross,
                   parameters[f"social_insurance_employer_{sector}"]),
        _flat(Item.UNEMPLOYMENT_INSURANCE, Payer.EMPLOYER, gross,
              parameters["unemployment_insurance_employer"]),
        _scheduled(Item.MEDICAL_INSURANCE, Payer.EMPLOYER, gross, medical),
    )
    return WageBreakdown(gross=gross, sector=sector, employee=employee, employer=employer)
