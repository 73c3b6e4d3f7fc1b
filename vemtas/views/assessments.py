"""Back-office pages of home visits: the visits to make, and one visit's assessment.

For DOST centre staff (and administrators). Any of them may read an assessment
and assign a visit, as a supervisor would; only the worker assigned to a visit
records it, adds its files and signs it. Every page that shows a household logs
a look at each person on it; the visit's files are served only through
``media_file``, which checks the same and logs it too.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_records_for_list
from dost.errors import DomainError
from dost.http import client_ip
from vemtas.assessment_selectors import (
    assessment_for_staff,
    assessment_media,
    visits_of_worker,
    visits_to_assign,
)
from vemtas.assessments import (
    assessment_assign,
    assessment_media_add,
    assessment_record,
    assessment_submit,
    is_assigned_worker,
)
from vemtas.forms_assessment import AssignForm, FindingsForm, MediaForm, media_forms
from vemtas.models import Assessment, AssessmentState, MediaKind
from vemtas.selectors import case_members
from vemtas.signing import assessment_verify

STAFF_ROLES = (Role.STAFF, Role.ADMIN)
PAGE_SIZE = 50
# Refusals of the findings' service, by the form field they are about.
FIELD_OF_REFUSAL = {
    "members_present_invalid": "members_present",
    "conditions_required": "conditions",
    "matches_required": "matches_declaration",
    "disagreement_required": "disagreement",
}
ASSIGN_FIELD_OF_REFUSAL = {
    "not_social_worker": "worker",
    "visit_in_past": "day",
}


def _log_seen(request: HttpRequest, person_ids: list[int], reason: Promise,
              params: dict[str, object] | None = None) -> None:
    # The reason is written in each person's own language: the log is theirs to read.
    access_records_for_list(
        person_ids=person_ids, what=Subject.ASSISTANCE_CASE, reason=reason, reason_params=params,
        channel=channel_for_role(request.user.role),  # type: ignore[union-attr]
        actor_id=request.user.pk, ip_address=client_ip(request))


@role_required(*STAFF_ROLES)
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    """The signed-in worker's visits (the next first) and the visits nobody has yet."""
    mine = list(visits_of_worker(request.user)) if request.user.role == Role.STAFF else []
    page = Paginator(visits_to_assign(), PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [assessment.case.applicant_id for assessment in (*mine, *page)]
    _log_seen(request, shown,
              gettext_lazy("Listed among the home visits for targeted social assistance"))
    return render(request, "vemtas/assessments/visits.html", {
        "mine": mine, "page": page, "pager_query": "",
    })


def _assessment(pk: int) -> Assessment:
    assessment = assessment_for_staff(pk)
    if assessment is None:
        raise Http404
    return assessment


def _own(request: HttpRequest, pk: int) -> Assessment:
    """The assessment, if the signed-in user is the worker it was given to (else 403)."""
    assessment = _assessment(pk)
    if not is_assigned_worker(assessment, request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    return assessment


def _render(request: HttpRequest, assessment: Assessment, *,
            assign_form: AssignForm | None = None, findings_form: FindingsForm | None = None,
            media_form: MediaForm | None = None, submit_errors: list[str] | None = None,
            status: int = 200) -> HttpResponse:
    case = assessment.case
    members = list(case_members(case))
    _log_seen(request, [case.applicant_id, *(member.person_id for member in members)],
              gettext_lazy("Home visit of the targeted social assistance case No. %(case)s"),
              {"case": case.pk})
    signed = assessment.state == AssessmentState.SIGNED
    editable = (not signed and assessment.state == AssessmentState.SCHEDULED
                and is_assigned_worker(assessment, request.user))  # type: ignore[arg-type]
    media = sorted(assessment.media.all(), key=lambda row: row.pk)
    return render(request, "vemtas/assessments/assessment.html", {
        "assessment": assessment, "case": case, "members": members, "media": media,
        "photos": [row for row in media if row.kind == MediaKind.PHOTO],
        "signed": signed, "editable": editable,
        "assign_form": assign_form or (None if signed else _assign_form(assessment)),
        "findings_form": findings_form or (FindingsForm.of(assessment) if editable else None),
        "media_forms": media_forms(media_form) if editable else [],
        "submit_errors": submit_errors or [],
        "verification": assessment_verify(assessment) if signed else None,
    }, status=status)


def _assign_form(assessment: Assessment) -> AssignForm:
    initial: dict[str, object] = {"worker": assessment.worker_id}
    if assessment.visit_at is not None:
        local = timezone.localtime(assessment.visit_at)
        initial.update(day=local.date(), time=local.time().replace(second=0, microsecond=0))
    return AssignForm(initial=initial)


@role_required(*STAFF_ROLES)
@require_GET
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit: the household, the findings, the files, and the signature's check."""
    return _render(request, _assessment(pk))


def _refused(form, refusal: DomainError, fields: dict[str, str]) -> None:
    form.add_error(fields.get(refusal.code), refusal.message)


@role_required(*STAFF_ROLES)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            assessment_assign(assessment=assessment, worker=form.cleaned_data["worker"],
                              visit_at=form.visit_at, actor=request.user)  # type: ignore[arg-type]
        except DomainError as refusal:
            _refused(form, refusal, ASSIGN_FIELD_OF_REFUSAL)
        else:
            messages.success(request, _("The visit has been assigned."))
            return redirect("vemtas_visits:assessment", pk=pk)
    return _render(request, _assessment(pk), assign_form=form, status=400)


@role_required(Role.STAFF)
@require_POST
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    form = FindingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assessment_record(assessment=assessment, worker=request.user,  # type: ignore[arg-type]
                              members_present=data["members_present"],
                              conditions=data["conditions"],
                              matches_declaration=data["matches_declaration"],
                              disagreement=data["disagreement"])
        except DomainError as refusal:
            _refused(form, refusal, FIELD_OF_REFUSAL)
        else:
            messages.success(request, _("Your findings have been saved."))
            return redirect("vemtas_visits:assessment", pk=pk)
    return _render(request, _assessment(pk), findings_form=form, status=400)


@role_required(Role.STAFF)
@require_POST
def media_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in MediaKind.values:
        kind = MediaKind.PHOTO
    form = MediaForm(request.POST, request.FILES, kind=kind)
    if form.is_valid():
        try:
            media = assessment_media_add(assessment=assessment,
                                         worker=request.user,  # type: ignore[arg-type]
                                         kind=kind, upload=form.cleaned_data["file"])
        except DomainError as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, _("“%(name)s” has been added.")
                             % {"name": media.original_name})
            return redirect("vemtas_visits:assessment", pk=pk)
    return _render(request, _assessment(pk), media_form=form, status=400)


@role_required(Role.STAFF)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _own(request, pk)
    try:
        assessment_submit(assessment=assessment, worker=request.user)  # type: ignore[arg-type]
    except DomainError as refusal:
        return _render(request, _assessment(pk), submit_errors=[str(refusal.message)],
                       status=400)
    messages.success(request, _("The assessment has been signed and submitted."))
    return redirect("vemtas_visits:assessment", pk=pk)


@role_required(*STAFF_ROLES)
@require_GET
def media_file(request: HttpRequest, pk: int, media_pk: int) -> FileResponse:
    """One of the visit's files, streamed from storage; never a public address."""
    assessment = _assessment(pk)
    media = assessment_media(assessment, media_pk)
    if media is None:
        raise Http404
    try:
        stored = media.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    _log_seen(request, [assessment.case.applicant_id],
              gettext_lazy("A file of the home visit of the targeted social assistance case "
                           "No. %(case)s"), {"case": assessment.case_id})
    return FileResponse(stored, as_attachment=True, filename=media.original_name,
                        content_type=media.content_type)
