"""Back-office pages of targeted social assistance: the queue of cases and a case's page.

For DOST centre staff (and administrators); other roles get the back-office's
refusal, a case that does not exist a 404. The queue logs a look at each
applicant it lists; a case's page logs a look at each member of the household,
since it shows what every institution holds about them. Overturning the
system's decision goes through ``vemtas.decisions.case_overturn`` only; the home
visit is assigned through the visits pages' service (``vemtas.assessments``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_records_for_list
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.models import Person
from vemtas.assessment_selectors import assessment_of_case
from vemtas.assessments import assessment_assign
from vemtas.decisions import case_overturn
from vemtas.forms_assessment import AssignForm
from vemtas.forms_staff import OverturnForm
from vemtas.models import Assessment, AssessmentState, Case, CaseState
from vemtas.presenters import (
    computation,
    cross_check_report,
    decision_rows,
    member_rows,
    official_ids,
    people_in_findings,
    waiting_titles,
)
from vemtas.selectors import case_discrepancies, case_members, state_counts
from vemtas.signing import assessment_verify
from vemtas.staff_selectors import (
    assessment_counts,
    case_accesses,
    case_award_periods,
    case_changes,
    case_decisions,
    case_for_staff,
    official_names,
    queue_assessments,
    queue_cases,
)

if TYPE_CHECKING:
    from django.utils.functional import Promise

STAFF_ROLES = (Role.STAFF, Role.ADMIN)
PAGE_SIZE = 50
# The queue's filters, in the order a case goes through them.
QUEUE_STATES = (CaseState.CHECKING, CaseState.WAITING, CaseState.VISIT, CaseState.ELIGIBLE,
                CaseState.AWARDED, CaseState.REFUSED)
# The home visit's refusals, by the assignment form's field they are about.
ASSIGN_FIELD_OF_REFUSAL = {"not_social_worker": "worker", "visit_in_past": "day"}


def _log_seen(request: AuthenticatedHttpRequest, person_ids: list[int], *, what: str,
              reason: Promise, params: dict[str, object] | None = None) -> None:
    # The reason is written in each person's own language: the log is theirs to read.
    access_records_for_list(
        person_ids=person_ids, what=what, reason=reason, reason_params=params,
        channel=channel_for_role(request.user.role), actor_id=request.user.pk,
        ip_address=client_ip(request))


# --- the queue ---------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cases by state (or the home visits by state), the oldest first, 50 a page."""
    state = request.GET.get("state", "")
    visits = request.GET.get("visits", "")
    context: dict[str, object] = {
        "state": state, "visits": visits,
        "states": [(value, CaseState(value).label, count)
                   for value, count in _ordered(state_counts(), QUEUE_STATES)],
        "visit_states": [(value, AssessmentState(value).label, count)
                         for value, count in _ordered(assessment_counts(),
                                                      AssessmentState.values)],
        "page": None, "rows": [], "pager_query": "",
    }
    if (state and state not in CaseState.values) or (
            visits and visits not in AssessmentState.values):
        context["refusal"] = _("There is no such state: choose one of the links.")
        return render(request, "vemtas/staff/queue.html", context, status=400)
    if visits:
        page = Paginator(queue_assessments(visits), PAGE_SIZE).get_page(request.GET.get("page"))
        shown = [assessment.case.applicant_id for assessment in page]
        context["pager_query"] = urlencode({"visits": visits}) + "&"
    else:
        page = Paginator(queue_cases(state or None), PAGE_SIZE).get_page(
            request.GET.get("page"))
        shown = [case.applicant_id for case in page]
        context["rows"] = [(case, waiting_titles(case)) for case in page]
        context["pager_query"] = urlencode({"state": state}) + "&" if state else ""
    context["page"] = page
    _log_seen(request, shown, what=Subject.ASSISTANCE_CASE,
              reason=gettext_lazy("Listed among the cases of targeted social assistance"))
    return render(request, "vemtas/staff/queue.html", context)


def _ordered(counts: dict[str, int], order: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
    return [(value, counts.get(value, 0)) for value in order]


# --- a case ------------------------------------------------------------------------------------


def _case(pk: int) -> Case:
    case = case_for_staff(pk)
    if case is None:
        raise Http404
    return case


def _assign_form(assessment: Assessment) -> AssignForm:
    initial: dict[str, object] = {"worker": assessment.worker_id}
    if assessment.visit_at is not None:
        local = timezone.localtime(assessment.visit_at)
        initial.update(day=local.date(), time=local.time().replace(second=0, microsecond=0))
    return AssignForm(initial=initial)


def _decided(case: Case) -> bool:
    """Only the system's decisions (a refusal, an award) can be overturned, once."""
    return case.state in (CaseState.REFUSED, CaseState.AWARDED) and case.overturned_by_id is None


def _may_assign(case: Case, assessment: Assessment | None) -> bool:
    return (assessment is not None and case.state == CaseState.VISIT
            and assessment.state in (AssessmentState.UNASSIGNED, AssessmentState.SCHEDULED))


def _render_case(request: AuthenticatedHttpRequest, case: Case, *,
                 overturn_form: OverturnForm | None = None,
                 assign_form: AssignForm | None = None, status: int = 200) -> HttpResponse:
    members = list(case_members(case))
    _log_seen(request, [case.applicant_id, *(member.person_id for member in members)],
              what=Subject.ASSISTANCE_CASE,
              reason=gettext_lazy("The targeted social assistance case No. %(case)s: what "
                                  "other institutions hold about the household"),
              params={"case": case.pk})
    discrepancies = list(case_discrepancies(case))
    assessment = assessment_of_case(case.pk)
    names = {member.person_id: member.person.full_name for member in members}
    others = people_in_findings(case.findings or {}) - names.keys()
    if others:
        names |= {person.pk: person.full_name
                  for person in Person.objects.filter(pk__in=others).only(
                      "id", "first_name", "last_name", "patronymic")}
    awards = case_award_periods(case)
    signed = assessment is not None and assessment.state == AssessmentState.SIGNED
    decisions = list(case_decisions(case, award_ids=[award.pk for award in awards],
                                    assessment_id=assessment.pk if assessment else None))
    return render(request, "vemtas/staff/case.html", {
        "case": case,
        "application": case.application,
        "report": cross_check_report(case, members=members, discrepancies=discrepancies,
                                     names=names, assessment=assessment),
        "members": member_rows(case, members),
        "computation": computation(case),
        "assessment": assessment,
        "verification": assessment_verify(assessment) if assessment is not None and signed
        else None,
        # A form just refused is shown with its errors, even if the case has moved on since.
        "assign_form": assign_form or (_assign_form(assessment)
                                       if assessment is not None and _may_assign(case, assessment)
                                       else None),
        "overturn_form": overturn_form or (OverturnForm() if _decided(case) else None),
        "changes": list(case_changes(case)),
        "awards": awards,
        "decisions": decision_rows(decisions, official_names(
            official_ids(entry.decided_by for entry in decisions))),
        "accesses": case_accesses(case),
    }, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def case_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cross-check report side by side, the household, the amount, the visit, the
    award's periods and changes, and the case's audit trail."""
    return _render_case(request, _case(pk))


@role_required(*STAFF_ROLES)
@require_POST
def overturn(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    form = OverturnForm(request.POST)
    if not _decided(case):
        form.add_error(None, _("Only a decided case can be overturned."))
    elif form.is_valid():
        try:
            decided = case_overturn(case=case, actor=request.user,
                                    reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            form.add_error("reason" if refusal.code == "reason_required" else None,
                           refusal.message)
        else:
            messages.success(request, _("The decision has been overturned: the case is now "
                                        "%(state)s.") % {"state": decided.get_state_display()})
            return redirect("vemtas_staff:case", pk=pk)
    return _render_case(request, _case(pk), overturn_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_POST
def assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Give the case's home visit to a social worker, from the case's page."""
    case = _case(pk)
    assessment = assessment_of_case(case.pk)
    if assessment is None:
        raise Http404
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            assessment_assign(assessment=assessment, worker=form.cleaned_data["worker"],
                              visit_at=form.visit_at, actor=request.user)
        except DomainError as refusal:
            form.add_error(ASSIGN_FIELD_OF_REFUSAL.get(refusal.code), refusal.message)
        else:
            messages.success(request, _("The visit has been assigned."))
            return redirect(reverse("vemtas_staff:case", args=[pk]) + "#visit-heading")
    return _render_case(request, _case(pk), assign_form=form, status=400)
