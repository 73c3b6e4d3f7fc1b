"""Complaint pages: the citizen's own on the portal, and the units' in the back-office.

Citizens reach only their own complaints (another's is a 404). Officials reach
the complaints of the units they work in, head or manage (another unit's is a
404); every page showing a citizen's complaint is in that citizen's access log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dost.accounts.decorators import (
    AuthenticatedHttpRequest,
    own_person,
    own_person_id,
    role_required,
)
from dost.accounts.models import Role
from dost.complaints.forms import AnswerForm, CentreComplaintForm, CitizenComplaintForm, RejectForm
from dost.complaints.models import Channel, Complaint, Level
from dost.complaints.selectors import (
    complaint_categories,
    complaint_dashboard,
    complaint_for_staff,
    complaint_of_person,
    complaint_units_of,
    complaints_of_person,
    complaints_of_unit,
)
from dost.complaints.services import (
    complaint_answer,
    complaint_open,
    complaint_open_for_staff,
    complaint_reject,
    complaint_take,
    complaints_listed,
)
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.selectors import person_by_fin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OFFICIALS = (Role.STAFF, Role.ADMIN)
PAGE_SIZE = 25
STATES = ("open", "overdue", "closed")


# --- the citizen's pages --------------------------------------------------------------------


@role_required(Role.CITIZEN)
@require_GET
def my_complaints(request: HttpRequest) -> HttpResponse:
    complaints = complaints_of_person(own_person_id(request))
    return render(request, "complaints/my_complaints.html",
                  {"complaints": complaints, "today": timezone.localdate()})


@role_required(Role.CITIZEN)
@require_GET
def my_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_of_person(person_id=own_person_id(request), pk=pk)
    if complaint is None:
        raise Http404
    return render(request, "complaints/my_complaint.html",
                  {"complaint": complaint, "today": timezone.localdate()})


@role_required(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    if request.method == "POST":
        form = CitizenComplaintForm(request.POST, person_id=person.pk)
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            try:
                complaint = complaint_open(
                    person=person, category=form.cleaned_data["category"],
                    text=form.cleaned_data["text"], channel=Channel.PORTAL,
                    decision_entry_id=decision.pk if decision else None)
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Your complaint %(reference)s is registered.")
                                 % {"reference": complaint.reference})
                return redirect("complaints:detail", pk=complaint.pk)
        status = 400
    else:
        form = CitizenComplaintForm(person_id=person.pk,
                                    initial={"decision": request.GET.get("decision")})
        if request.GET.get("decision"):
            appeal = complaint_categories().filter(appeal=True).first()
            form.initial["category"] = appeal.pk if appeal else None
        status = 200
    return render(request, "complaints/complaint_new.html", {"form": form}, status=status)


# --- the back-office -----------------------------------------------------------------------


@role_required(*OFFICIALS)
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mine = set(complaint_units_of(request.user).values_list("pk", flat=True))
    return render(request, "complaints/dashboard.html", {
        "rows": complaint_dashboard(on=today), "mine": mine, "today": today})


@role_required(*OFFICIALS)
@require_GET
def unit_complaints(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    unit = complaint_units_of(request.user).filter(pk=code).first()
    if unit is None:
        raise Http404
    state = request.GET.get("state", "open")
    if state not in STATES:
        state = "open"
    level = request.GET.get("level", "")
    level_value = int(level) if level.isdigit() and int(level) in Level.values else None
    today = timezone.localdate()
    page = Paginator(complaints_of_unit(unit_id=unit.pk, on=today, state=state,
                                        level=level_value), PAGE_SIZE).get_page(
        request.GET.get("page"))
    complaints = list(page)
    complaints_listed(complaints=complaints, actor=request.user, ip_address=client_ip(request))
    return render(request, "complaints/unit_complaints.html", {
        "unit": unit, "page": page, "complaints": complaints, "state": state,
        "level": level_value, "levels": Level.choices, "today": today})


def _staff_complaint(request: AuthenticatedHttpRequest, pk: int) -> Complaint:
    complaint = complaint_for_staff(pk=pk, user=request.user)
    if complaint is None:
        raise Http404
    return complaint


def _render_staff_complaint(request: AuthenticatedHttpRequest, complaint: Complaint, *,
                            status: int = 200, answer_form: AnswerForm | None = None,
                            reject_form: RejectForm | None = None,
                            refusal: StrOrPromise = "") -> HttpResponse:
    complaint_open_for_staff(complaint=complaint, actor=request.user,
                             ip_address=client_ip(request))
    return render(request, "complaints/staff_complaint.html", {
        "complaint": complaint, "today": timezone.localdate(), "refusal": refusal,
        "answer_form": answer_form or AnswerForm(), "reject_form": reject_form or RejectForm(),
    }, status=status)


@role_required(*OFFICIALS)
@require_GET
def staff_complaint(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_staff_complaint(request, _staff_complaint(request, pk))


@role_required(*OFFICIALS)
@require_POST
def take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    try:
        complaint_take(complaint=complaint, actor=request.user, ip_address=client_ip(request))
    except DomainError as refusal:
        return _render_staff_complaint(request, complaint, status=400, refusal=refusal.message)
    messages.success(request, _("You have taken up complaint %(reference)s.")
                     % {"reference": complaint.reference})
    return redirect("complaints_backoffice:complaint", pk=complaint.pk)


@role_required(*OFFICIALS)
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            complaint_answer(complaint=complaint, actor=request.user,
                             answer=form.cleaned_data["answer"], ip_address=client_ip(request))
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Complaint %(reference)s has been answered.")
                             % {"reference": complaint.reference})
            return redirect("complaints_backoffice:complaint", pk=complaint.pk)
    return _render_staff_complaint(request, _staff_complaint(request, pk), status=400,
                                   answer_form=form)


@role_required(*OFFICIALS)
@require_POST
def reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = _staff_complaint(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            complaint_reject(complaint=complaint, actor=request.user,
                             reason=form.cleaned_data["reason"], ip_address=client_ip(request))
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Complaint %(reference)s has been rejected.")
                             % {"reference": complaint.reference})
            return redirect("complaints_backoffice:complaint", pk=complaint.pk)
    return _render_staff_complaint(request, _staff_complaint(request, pk), status=400,
                                   reject_form=form)


@role_required(*OFFICIALS)
@require_http_methods(["GET", "POST"])
def centre_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A centre officer registers a complaint a citizen made at the desk."""
    form = CentreComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = person_by_fin(form.cleaned_data["fin"])
        if person is None:
            form.add_error("fin", _("No one with this FIN is in the registry."))
        else:
            try:
                complaint = complaint_open(
                    person=person, category=form.cleaned_data["category"],
                    text=form.cleaned_data["text"], channel=Channel.CENTRE,
                    opened_by=request.user, decision_entry_id=form.cleaned_data["decision"],
                    ip_address=client_ip(request))
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Complaint %(reference)s is registered for the "
                                            "citizen, due by %(due)s.")
                                 % {"reference": complaint.reference,
                                    "due": complaint.due_on.strftime("%d.%m.%Y")})
                return redirect("complaints_backoffice:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "complaints/centre_new.html", {"form": form}, status=status)
