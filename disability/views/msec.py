"""The expert commission's pages: its cases, each case's medical content, the assessment.

Nothing here identifies a person, a facility or a doctor: the pages read the
case number, the age band, the sex and the medical content. An expert reaches
only the cases of their own commission (another's answers 404); an expert who
belongs to no commission is refused (403). Each look at a case, or at a list of
them, is written to the access log of the people concerned, without the case
number (``cases_seen_record``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from disability.degrees import degree_label
from disability.forms_msec import PERCENT_PREFIX, AssessmentForm, DocumentRequestForm, WithdrawForm
from disability.models import Assessment, AssessmentState, Commission, Referral, ReferralState
from disability.selectors import (
    case_commission_for,
    case_counts_for_expert,
    case_document_for_expert,
    case_for_expert,
    cases_for_expert,
)
from disability.services.assessments import (
    CHILD_AGE_BANDS,
    NO_DISABILITY_UP_TO,
    assessment_confirm,
    assessment_propose,
    assessment_withdraw,
    cases_seen_record,
    combined_percent,
    degree_for,
)
from disability.services.document_requests import document_request_ask
from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.errors import DomainError
from dost.http import client_ip

PAGE_SIZE = 50
STATE_TABS = (
    (ReferralState.ASSIGNED, gettext_lazy("Awaiting assessment")),
    (ReferralState.AWAITING_CONFIRMATION, gettext_lazy("Awaiting confirmation")),
    (ReferralState.DOCUMENTS_REQUESTED, gettext_lazy("Documents requested")),
    (ReferralState.DECIDED, gettext_lazy("Decided")),
)
# The most conditions a preview combines: more than any case has diagnoses.
MAX_PREVIEW_PERCENTAGES = 50


@dataclass(frozen=True)
class Combination:
    """The overall percentage and what it means, as an assessment or its preview shows it."""

    percent: int
    degree: int | None
    under_18: bool

    @classmethod
    def of(cls, percentages: list[int], *, child: bool) -> Combination:
        percent = combined_percent(percentages)
        under_18 = child and percent > NO_DISABILITY_UP_TO
        return cls(percent, None if under_18 else degree_for(percent), under_18)

    @property
    def meaning(self) -> str:
        return degree_label(self.degree, under_18=self.under_18)


def _commission(request: HttpRequest) -> Commission:
    """The signed-in expert's commission; an expert of none may see nothing here."""
    commission = case_commission_for(request.user)
    if commission is None:
        raise PermissionDenied
    return commission


@role_required(Role.EXPERT)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The commission's cases in one state, the newest first, 50 a page."""
    commission = _commission(request)
    states = [state for state, _label in STATE_TABS]
    state = request.GET.get("state") or ReferralState.ASSIGNED
    if state not in states:
        state = ReferralState.ASSIGNED
    page = Paginator(cases_for_expert(request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page"))
    cases_seen_record(referral_ids=[referral.pk for referral in page], expert=request.user,
                      ip_address=client_ip(request), listed=True)
    counts = case_counts_for_expert(request.user)
    tabs = [(value, label, counts.get(value, 0)) for value, label in STATE_TABS]
    return render(request, "disability/msec/index.html", {
        "commission": commission, "tabs": tabs, "state": state,
        "state_label": dict(STATE_TABS)[state], "page": page,
        "pager_query": urlencode({"state": state}) + "&",
    })


def _assessment_form(referral: Referral, data: Any = None, **kwargs: Any) -> AssessmentForm:
    return AssessmentForm(data, diagnoses=list(referral.diagnoses.all()), **kwargs)


def _render_case(request: HttpRequest, referral: Referral, *, status: int = 200,
                 assessment_form: AssessmentForm | None = None,
                 withdraw_form: WithdrawForm | None = None,
                 request_form: DocumentRequestForm | None = None,
                 preview: Combination | None = None,
                 refusals: list[str] | None = None) -> HttpResponse:
    cases_seen_record(referral_ids=[referral.pk], expert=request.user,
                      ip_address=client_ip(request))
    assessments = list(referral.assessments.all())
    proposed = next((item for item in assessments if item.state == AssessmentState.PROPOSED),
                    None)
    confirmed = next((item for item in assessments if item.state == AssessmentState.CONFIRMED),
                     None)
    child = referral.age_band in CHILD_AGE_BANDS
    return render(request, "disability/msec/case.html", {
        "referral": referral,
        "child": child,
        "proposed": proposed,
        "proposed_meaning": _meaning(proposed),
        "confirmed": confirmed,
        "confirmed_meaning": _meaning(confirmed),
        "withdrawn": [item for item in assessments if item.state == AssessmentState.WITHDRAWN],
        "own_proposal": proposed is not None and proposed.assessed_by_id == request.user.pk,
        "assessment_form": assessment_form or _assessment_form(referral),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "request_form": request_form or DocumentRequestForm(),
        "preview": preview,
        "refusals": refusals or [],
    }, status=status)


def _meaning(assessment: Assessment | None) -> str:
    if assessment is None:
        return ""
    return Combination(assessment.overall_percent, assessment.degree,
                       assessment.under_18).meaning


@role_required(Role.EXPERT)
@require_GET
def case_detail(request: HttpRequest, case_number: str) -> HttpResponse:
    _commission(request)
    return _render_case(request, case_for_expert(request.user, case_number))


@role_required(Role.EXPERT)
@require_GET
@never_cache
def case_document(request: HttpRequest, case_number: str, number: int) -> FileResponse:
    """A medical document of the case, under its neutral name (``case-number.ext``)."""
    _commission(request)
    document = case_document_for_expert(request.user, case_number, number)
    cases_seen_record(referral_ids=[document.referral_id], expert=request.user,
                      ip_address=client_ip(request))
    return FileResponse(io.BytesIO(bytes(document.content)), as_attachment=True,
                        filename=document.filename, content_type=document.content_type)


@role_required(Role.EXPERT)
@require_POST
def assessment_create(request: HttpRequest, case_number: str) -> HttpResponse:
    """Propose an assessment; with "preview", only show the overall percentage it gives."""
    _commission(request)
    referral = case_for_expert(request.user, case_number)
    if "preview" in request.POST:
        return _preview(request, referral)
    form = _assessment_form(referral, request.POST)
    if form.is_valid():
        try:
            assessment_propose(
                referral=referral, expert=request.user, percentages=form.percentages(),
                cause=form.cleaned_data["cause"], duration=form.cleaned_data["duration"],
                next_review_on=form.cleaned_data["next_review_on"],
                lost_working_capacity=form.cleaned_data["lost_working_capacity"],
                notes=form.cleaned_data["notes"])
        except DomainError as refusal:
            return _refused(request, case_number, refusal, assessment_form=form)
        messages.success(request, _("Your assessment of case %(case)s awaits a second "
                                    "expert's confirmation.") % {"case": referral.case_number})
        return redirect("msec:case", case_number=referral.case_number)
    return _render_case(request, case_for_expert(request.user, case_number), status=400,
                        assessment_form=form)


def _refused(request: HttpRequest, case_number: str, refusal: DomainError,
             **forms_bound: Any) -> HttpResponse:
    """The case again, as it now is, with the refusal above it: the form that was sent may
    no longer be on the page (someone else has just proposed, or decided)."""
    return _render_case(request, case_for_expert(request.user, case_number), status=400,
                        refusals=[refusal.message], **forms_bound)


def _preview(request: HttpRequest, referral: Referral) -> HttpResponse:
    """The form again as it was filled in, unchecked, with the overall percentage so far."""
    bound = _assessment_form(referral, request.POST)
    bound.is_valid()
    percentages = [bound.cleaned_data[name] for name in bound.fields
                   if name.startswith(PERCENT_PREFIX) and name in bound.cleaned_data]
    preview = None
    if len(percentages) == len(bound.diagnoses):
        preview = Combination.of(percentages, child=referral.age_band in CHILD_AGE_BANDS)
    initial = {name: request.POST.get(name) for name in bound.fields}
    return _render_case(request, referral, assessment_form=_assessment_form(
        referral, initial=initial), preview=preview)


def _proposal_of(referral: Referral, pk: int) -> Assessment:
    assessment = next((item for item in referral.assessments.all() if item.pk == pk), None)
    if assessment is None:
        raise Http404
    return assessment


@role_required(Role.EXPERT)
@require_POST
def assessment_confirm_view(request: HttpRequest, case_number: str, pk: int) -> HttpResponse:
    _commission(request)
    referral = case_for_expert(request.user, case_number)
    assessment = _proposal_of(referral, pk)
    try:
        assessment_confirm(assessment=assessment, expert=request.user)
    except DomainError as refusal:
        return _refused(request, case_number, refusal)
    messages.success(request, _("Confirmed: the decision on case %(case)s is made and the "
                                "person is told.") % {"case": referral.case_number})
    return redirect("msec:case", case_number=referral.case_number)


@role_required(Role.EXPERT)
@require_POST
def assessment_withdraw_view(request: HttpRequest, case_number: str, pk: int) -> HttpResponse:
    _commission(request)
    referral = case_for_expert(request.user, case_number)
    assessment = _proposal_of(referral, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            assessment_withdraw(assessment=assessment, expert=request.user,
                                reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            return _refused(request, case_number, refusal, withdraw_form=form)
        messages.success(request, _("The assessment is withdrawn; case %(case)s waits for a "
                                    "new one.") % {"case": referral.case_number})
        return redirect("msec:case", case_number=referral.case_number)
    return _render_case(request, case_for_expert(request.user, case_number), status=400,
                        withdraw_form=form)


@role_required(Role.EXPERT)
@require_POST
def documents_request(request: HttpRequest, case_number: str) -> HttpResponse:
    """Ask the referring facility, which the expert never learns, for more documents."""
    _commission(request)
    referral = case_for_expert(request.user, case_number)
    form = DocumentRequestForm(request.POST)
    if form.is_valid():
        try:
            document_request_ask(referral=referral, expert=request.user,
                                 question=form.cleaned_data["question"])
        except DomainError as refusal:
            return _refused(request, case_number, refusal, request_form=form)
        messages.success(request, _("The request for documents has been sent; the case waits "
                                    "for the answer."))
        return redirect("msec:case", case_number=referral.case_number)
    return _render_case(request, case_for_expert(request.user, case_number), status=400,
                        request_form=form)


@role_required(Role.EXPERT)
@require_GET
def combine(request: HttpRequest) -> HttpResponse:
    """The combination rule on the percentages given (``p``, or the form's own fields): the
    assessment form's live preview asks it with htmx; without it, a page of its own."""
    _commission(request)
    raw = request.GET.getlist("p") + [value for name, values in request.GET.lists()
                                      if name.startswith(PERCENT_PREFIX) for value in values]
    combination = error = None
    try:
        if len(raw) > MAX_PREVIEW_PERCENTAGES:
            raise ValueError
        percentages = [int(value) for value in raw if value != ""]
        if len(percentages) == len(raw):
            combination = Combination.of(percentages, child=request.GET.get("child") == "1")
    except ValueError:
        error = _("A percentage is a number from 0 to 100 in steps of 5.")
    except DomainError as refusal:
        error = refusal.message
    if request.htmx:
        # htmx swaps in only a success: the refusal is part of the fragment.
        return render(request, "disability/msec/_combination.html",
                      {"combination": combination, "error": error})
    return render(request, "disability/msec/combine.html",
                  {"combination": combination, "error": error}, status=400 if error else 200)
