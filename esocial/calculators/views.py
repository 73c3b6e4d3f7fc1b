"""Pension and wage calculators: open to anyone, pre-filled for a citizen from their record.

Both compute with the parameters the rules use (``parameters.yaml`` of each
app) and change nothing, so they answer GET requests: a result can be
bookmarked and shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.accounts.models import Role
from dost.entitlements.parameters import ParameterValue
from dost.errors import DomainError
from employment.calculator import Band, Deduction, Sector
from employment.selectors import wage_breakdown
from esocial.calculators.forms import PensionForm, WageForm
from pensions.selectors import (
    PensionCalculatorFacts,
    pension_calculator_facts,
    pension_projection,
)

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


def _age(months: int) -> str:
    if months % 12:
        return _("%(years)s years %(months)s months") % {"years": months // 12,
                                                       "months": months % 12}
    return _("%(years)s years") % {"years": months // 12}


def _shown(parameter: ParameterValue) -> str:
    """A parameter's value as a citizen reads it."""
    value = parameter.value
    if parameter.name in AGE_PARAMETERS:
        return _age(int(value))
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


def _submitted(request: HttpRequest, form_class: type) -> bool:
    return any(name in request.GET for name in form_class.base_fields)


def wage_calculator(request: HttpRequest) -> HttpResponse:
    bound = _submitted(request, WageForm)
    form = WageForm(request.GET if bound else None)
    breakdown, on = None, timezone.localdate()
    if bound and form.is_valid():
        on = form.cleaned_data["on"] or on
        try:
            breakdown = wage_breakdown(gross=form.cleaned_data["gross"],
                                       sector=form.cleaned_data["sector"], on=on)
        except DomainError as error:
            form.add_error("on", error.message)
    parameters = [] if breakdown is None else parameter_rows(
        parameter for item in (*breakdown.employee, *breakdown.employer)
        for parameter in item.parameters)
    return render(request, "esocial/calculators/wage.html", {
        "form": form, "breakdown": breakdown, "on": on, "parameters": parameters,
        "employee_rows": deduction_rows(breakdown.employee) if breakdown else [],
        "employer_rows": deduction_rows(breakdown.employer) if breakdown else [],
    })


def _own_facts(request: HttpRequest, on: dt.date) -> PensionCalculatorFacts | None:
    """The signed-in citizen's own record; nobody else's can be named."""
    user = request.user
    if not user.is_authenticated or user.role != Role.CITIZEN or user.person_id is None:
        return None
    return pension_calculator_facts(person_id=user.person_id, on=on)


def _contributions(*, wage: Decimal | None, sector: str, on: dt.date) -> Decimal:
    """Social-insurance contributions paid a month on ``wage``, both sides: they build the
    pension capital."""
    if not wage:
        return Decimal(0)
    return wage_breakdown(gross=wage, sector=sector, on=on).social_insurance


def pension_calculator(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bound = _submitted(request, PensionForm)
    facts = None if bound else _own_facts(request, today)
    data: dict[str, Any] | None = None
    if bound:
        form = PensionForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
    elif facts is not None:
        # The projection takes the record as it is, as the capital statement does, so the
        # two agree. The form shows it as the statement does: the capital to the qəpik, the
        # insurance period in completed tenths of a year, so that a resubmitted form never
        # finds a right the record does not give (24.96 years is not 25).
        data = {"sex": facts.sex, "birth_date": facts.birth_date,
                "capital": facts.capital, "insured_years": facts.insured_years,
                "monthly_wage": facts.monthly_wage, "sector": Sector.PRIVATE,
                "monthly_contributions": None, "working_years": None}
        form = PensionForm(initial={
            **data,
            "capital": facts.capital.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            "insured_years": facts.insured_years.quantize(Decimal("0.1"), rounding=ROUND_DOWN),
        })
    else:
        form = PensionForm()
    projection, contributions = None, None
    if data is not None:
        contributions = data["monthly_contributions"]
        if contributions is None:
            contributions = _contributions(wage=data["monthly_wage"],
                                           sector=data["sector"] or Sector.PRIVATE, on=today)
        projection = pension_projection(
            sex=data["sex"], birth_date=data["birth_date"],
            capital=data["capital"] or Decimal(0),
            insured_years=data["insured_years"] or Decimal(0),
            monthly_contributions=contributions, working_years=data["working_years"], on=today,
        )
    return render(request, "esocial/calculators/pension.html", {
        "form": form, "projection": projection, "contributions": contributions,
        "retirement_age": _age(int(projection.retirement_age.value)) if projection else "",
        "prefilled": facts is not None,
        "parameters": parameter_rows(projection.parameters_used) if projection else [],
    })
