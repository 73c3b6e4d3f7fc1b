"""The citizen's targeted social assistance pages: their cases, and each case's decision.

A case is shown to the household's applicant and to the registered legal
representative who applied for them (``cases_of_person``); anyone else's
case answers 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dost.accounts.decorators import own_person_id, role_required
from dost.accounts.models import Role
from dost.audit.selectors import decisions_of_person
from dost.bridge.sources import source_adapter
from vemtas.applications import CODE as APPLICATION_TYPE
from vemtas.models import Case, CaseState, Discrepancy
from vemtas.selectors import case_discrepancies, case_members, cases_of_person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from dost.audit.models import DecisionEntry

# A discrepancy's source when the home visit, not an institution, found it.
ASSESSMENT_SOURCE = "assessment"


@dataclass(frozen=True)
class GroundShown:
    discrepancy: Discrepancy
    source: StrOrPromise


def source_title(code: str) -> StrOrPromise:
    """The institution's data a discrepancy came from, in words."""
    if code == ASSESSMENT_SOURCE:
        return _("home visit")
    try:
        return source_adapter(code).title
    except KeyError:
        return code


def _own_case(person_id: int, pk: int) -> Case:
    case = cases_of_person(person_id).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _decision(case: Case) -> DecisionEntry | None:
    """The decision-log entry of the case's decision, the one an appeal names.

    A refusal (or a staff overturning) is logged under the case; an award under the
    engine's award.
    """
    decisions = decisions_of_person(case.applicant_id)
    if case.state == CaseState.REFUSED:
        return decisions.filter(subject=f"tssa-case:{case.pk}").first()
    if case.state == CaseState.AWARDED and case.award_id is not None:
        return decisions.filter(award_id=case.award_id).first()
    return None


@role_required(Role.CITIZEN)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """My households' applications for targeted assistance and where each one stands."""
    person_id = own_person_id(request)
    return render(request, "vemtas/citizen/case_list.html", {
        "cases": list(cases_of_person(person_id)),
        "person_id": person_id,
        "apply_code": APPLICATION_TYPE,
    })


@role_required(Role.CITIZEN)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: the household counted, the incomes, and the decision with its reasons."""
    person_id = own_person_id(request)
    case = _own_case(person_id, pk)
    decision = _decision(case)
    representative = case.applicant_id != person_id
    # An appeal on the portal names a decision about the person filing it: the applicant
    # files it there; a representative at a centre or on the 142 line (see the page).
    contest_url = (f"{reverse('complaints:new')}?{urlencode({'decision': decision.pk})}"
                   if decision is not None and not representative else "")
    needs = (case.criterion * case.members_counted
             if case.criterion is not None and case.members_counted is not None else None)
    income_counted = case.income_counted
    if income_counted is None and case.found_income is not None:
        income_counted = max(case.declared_income, case.found_income)
    return render(request, "vemtas/citizen/case_detail.html", {
        "case": case,
        "application": case.application,
        "own_application": case.application.person_id == person_id,
        "representative": representative,
        "members": list(case_members(case)),
        "grounds": [GroundShown(discrepancy, source_title(discrepancy.source))
                    for discrepancy in case_discrepancies(case)],
        "needs": needs,
        "income_counted": income_counted if income_counted is not None else Decimal(0),
        "income_known": income_counted is not None,
        "decision": decision,
        "contest_url": contest_url,
    })
