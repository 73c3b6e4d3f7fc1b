"""Pension and wage calculators: open to anyone, pre-filled for a citizen from their record.

Both compute with the parameters the rules use (``parameters.yaml`` of each
app) and change nothing, so they answer GET requests: a result can be
bookmarked and shared.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dost.accounts.models import Role
from dost.errors import DomainError
from employment.calculator import Sector
from employment.selectors import wage_breakdown
from esocial.calculators.forms import PensionForm, WageForm
from esocial.calculators.presenters import age_text, deduction_rows, parameter_rows
from pensions.selectors import (
    PensionCalculatorFacts,
    pension_calculator_facts,
    pension_projection,
)


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
        "retirement_age": age_text(int(projection.retirement_age.value)) if projection else "",
        "prefilled": facts is not None,
        "parameters": parameter_rows(projection.parameters_used) if projection else [],
    })
