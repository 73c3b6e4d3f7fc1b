"""How the calculators' parameters and deductions read for a citizen: the rows their
tables show, formatted in the reader's language. The views only choose what to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.entitlements.parameters import ParameterValue
from employment.calculator import Band, Deduction

# How each parameter reads for a citizen; the YAML files name them for the rules.
PARAMETER_LABELS = {
    "retirement_age_men_months": gettext_lazy("Retirement age of men"),
    "retirement_age_women_months": gettext_lazy("Retirement age of women"),
    "expected_payment_months": gettext_lazy("Expected payment period (divisor of the capital)"),
    "minimum_pension": gettext_lazy("Minimum old-age pension"),
    "old_age_insurance_years": gettext_lazy(
        "Insurance period that entitles to a pension whatever the capital"),
    "income_tax_private": gettext_lazy("Income tax rates"),
    "income_tax_public": gettext_lazy("Income tax rates"),
    "income_tax_public_deduction": gettext_lazy("Monthly deduction before income tax"),
    "income_tax_public_deduction_limit": gettext_lazy("Highest wage that gets the deduction"),
    "social_insurance_employee_private": gettext_lazy("Social insurance, employee"),
    "social_insurance_employee_public": gettext_lazy("Social insurance, employee"),
    "social_insurance_employer_private": gettext_lazy("Social insurance, employer"),
    "social_insurance_employer_public": gettext_lazy("Social insurance, employer"),
    "unemployment_insurance_employee": gettext_lazy("Unemployment insurance, employee"),
    "unemployment_insurance_employer": gettext_lazy("Unemployment insurance, employer"),
    "medical_insurance_private": gettext_lazy("Medical insurance, employee and employer"),
    "medical_insurance_public": gettext_lazy("Medical insurance, employee and employer"),
}
AGE_PARAMETERS = {"retirement_age_men_months", "retirement_age_women_months"}
AMOUNT_PARAMETERS = {"minimum_pension", "income_tax_public_deduction",
                     "income_tax_public_deduction_limit"}
YEAR_PARAMETERS = {"old_age_insurance_years"}
RATE_PARAMETERS = {"unemployment_insurance_employee", "unemployment_insurance_employer"}


@dataclass(frozen=True)
class ParameterRow:
    label: str
    value: str
    starts_on: dt.date
    source: str
    estimate: bool


def _percent(rate: Any) -> str:
    return f"{(Decimal(str(rate)) * 100).normalize():f} %"


def _amount(value: Any) -> str:
    """An amount in the reader's number format, without qapiks when it is whole."""
    amount = Decimal(str(value))
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, decimal_pos=places, force_grouping=True)} AZN"


def age_text(months: int) -> str:
    if months % 12:
        return _("%(years)s years %(months)s months") % {"years": months // 12,
                                                       "months": months % 12}
    return _("%(years)s years") % {"years": months // 12}


def _shown(parameter: ParameterValue) -> str:
    """A parameter's value as a citizen reads it."""
    value = parameter.value
    if parameter.name in AGE_PARAMETERS:
        return age_text(int(value))
    if parameter.name in AMOUNT_PARAMETERS:
        return _amount(value)
    if parameter.name in YEAR_PARAMETERS:
        return _("%(years)s years") % {"years": value}
    if parameter.name in RATE_PARAMETERS:
        return _percent(value)
    if isinstance(value, dict):
        return "; ".join(
            _("%(rate)s from %(amount)s") % {"rate": _percent(rate), "amount": _amount(lower)}
            for lower, rate in sorted(value.items(), key=lambda item: Decimal(str(item[0]))))
    return str(value)


def parameter_rows(parameters: Iterable[ParameterValue]) -> list[ParameterRow]:
    rows, seen = [], set()
    for parameter in parameters:
        if parameter.name in seen:
            continue
        seen.add(parameter.name)
        rows.append(ParameterRow(str(PARAMETER_LABELS.get(parameter.name, parameter.name)),
                                 _shown(parameter), parameter.starts_on, parameter.source,
                                 parameter.estimate))
    return rows


@dataclass(frozen=True)
class DeductionRow:
    label: str
    rate: str
    amount: Decimal
    sources: list[str]
    estimate: bool


def _rates(bands: Iterable[Band]) -> str:
    """A rate schedule in words: "3 % up to 200 AZN; 10 % above 200 AZN"."""
    bands = list(bands)
    if len(bands) == 1:
        return _percent(bands[0].rate)
    parts = []
    for band in bands:
        values = {"rate": _percent(band.rate), "lower": _amount(band.lower),
                  "upper": _amount(band.upper) if band.upper is not None else ""}
        if band.lower == 0:
            parts.append(_("%(rate)s up to %(upper)s") % values)
        elif band.upper is None:
            parts.append(_("%(rate)s above %(lower)s") % values)
        else:
            parts.append(_("%(rate)s from %(lower)s to %(upper)s") % values)
    return "; ".join(parts)


def deduction_rows(deductions: Iterable[Deduction]) -> list[DeductionRow]:
    rows = []
    for item in deductions:
        rate = _rates(item.bands)
        if item.allowance:
            rate += "; " + _("after a deduction of %(allowance)s") % {
                "allowance": _amount(item.allowance)}
        rows.append(DeductionRow(item.label, rate, item.amount,
                                 [parameter.source for parameter in item.parameters],
                                 item.estimate))
    return rows
