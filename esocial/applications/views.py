"""E-applications: the citizen's dashboard, applying, following an application; staff processing.

A citizen reaches only their own applications (anyone else's id answers 404);
staff reach any, and each opening is written to the citizen's access log.
"""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dost.accounts.decorators import own_person_id, role_required
from dost.accounts.models import Role
from dost.applications.forms import MessageForm, StatusChangeForm, WithdrawForm
from dost.applications.models import Application
from dost.applications.registry import application_type, application_types
from dost.applications.selectors import (
    application_document,
    application_for_staff,
    application_of_person,
    application_with_history,
    applications_of_person,
    facts_shown,
    notifications_of_person,
    open_application_of_type,
    prefilled_facts,
    staff_queue,
    submitted_answers,
)
from dost.applications.services import (
    InvalidApplication,
    application_form,
    application_message_post,
    application_open_for_staff,
    application_status_change,
    application_submit,
    application_withdraw,
)
from dost.applications.statuses import OPEN_STATUSES, Status
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_records_for_list
from dost.entitlements.selectors import explained_awards
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.corrections import fact_label
from dost.registry.models import CorrectionRequest
from dost.registry.selectors import correction_request_by_id, open_correction_requests
from dost.registry.services import correction_request_open_for_staff, correction_request_resolve
from esocial.applications.forms import CorrectionResolveForm, ReplyForm

STAFF_ROLES = (Role.STAFF, Role.ADMIN)
QUEUE_PAGE_SIZE = 50
# Refusals of a message's papers, shown under the file field.
_DOCUMENT_ERRORS = frozenset({"bad_document", "too_many_documents", "documents_not_requested"})




def _own_application(request: HttpRequest, pk: int) -> Application:
    application = application_of_person(person_id=own_person_id(request), pk=pk)
    if application is None:
        raise Http404
    return application


def _ip(request: HttpRequest) -> str | None:
    return client_ip(request)


def _log_listed(request: HttpRequest, person_ids: list[int], reason: Promise) -> None:
    """A staff list names the citizens on its page: showing it is a look at each of them."""
    access_records_for_list(
        person_ids=person_ids, what=Subject.REGISTRY_RECORD, reason=reason,
        channel=channel_for_role(request.user.role),  # type: ignore[union-attr]
        actor_id=request.user.pk, ip_address=_ip(request),
    )


# Citizen pages


@role_required(Role.CITIZEN)
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The dashboard: my applications, my awards with their reasons, the messages sent to me."""
    person_id = own_person_id(request)
    return render(request, "esocial/applications/dashboard.html", {
        "applications": list(applications_of_person(person_id)),
        "awards": explained_awards(person_id),
        "notifications": notifications_of_person(person_id),
        "types": application_types(),
    })


@role_required(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, code: str) -> HttpResponse:
    try:
        kind = application_type(code)
    except LookupError:
        raise Http404 from None
    person = request.user.person  # type: ignore[union-attr]
    if person is None:
        raise PermissionDenied
    open_one = open_application_of_type(person_id=person.pk, type_code=kind.code)
    form = None
    if request.method == "POST" and open_one is None:
        try:
            application = application_submit(person=person, type_code=kind.code,
                                             data=request.POST, files=request.FILES,
                                             submitted_by=request.user)
        except InvalidApplication as exc:
            form = exc.form
        except DomainError as exc:
            form = application_form(kind=kind, person=person, data=request.POST,
                                    files=request.FILES)
            form.is_valid()
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your application %(reference)s has been submitted.")
                             % {"reference": application.reference})
            return redirect("esocial:application_detail", pk=application.pk)
    if form is None:
        form = application_form(kind=kind, person=person)
    return render(request, "esocial/applications/new.html", {
        "kind": kind,
        "facts": facts_shown(prefilled_facts(kind, person)),
        "form": form,
        "open_application": open_one,
    }, status=400 if form.is_bound and form.errors else 200)


def _render_detail(request: HttpRequest, application: Application, *,
                   message_form: MessageForm | None = None,
                   withdraw_form: WithdrawForm | None = None, status: int = 200) -> HttpResponse:
    application_with_history(application)
    return render(request, "esocial/applications/detail.html", {
        "application": application,
        "facts": facts_shown(application.prefilled),
        "answers": submitted_answers(application),
        "message_form": message_form or _citizen_message_form(application),
        "withdraw_form": withdraw_form or WithdrawForm(),
    }, status=status)


@role_required(Role.CITIZEN)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _own_application(request, pk))


def _citizen_message_form(application: Application, request: HttpRequest | None = None
                          ) -> MessageForm:
    """The applicant's message form: asked for information, they may attach papers.

    A posted form always reads the papers, so that any sent when the application no
    longer asks for them are refused with a message rather than dropped unsaid.
    """
    if request is not None:
        return ReplyForm(request.POST, request.FILES)
    if application.status == Status.NEEDS_INFORMATION:
        return ReplyForm()
    return MessageForm()


@role_required(Role.CITIZEN)
@require_POST
def application_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = _message_posted(request, application,
                           form=_citizen_message_form(application, request))
    if form is None:
        messages.success(request, _("Your message has been sent."))
        return redirect(reverse("esocial:application_detail", args=[pk]) + "#messages")
    return _render_detail(request, application, message_form=form, status=400)


def _message_posted(request: HttpRequest, application: Application, *,
                    form: MessageForm | None = None) -> MessageForm | None:
    """Post the message in the request; None when sent, else the form with its errors."""
    if form is None:
        form = MessageForm(request.POST)
    if form.is_valid():
        try:
            application_message_post(application=application, author=request.user,
                                     body=form.cleaned_data["body"],
                                     documents=form.cleaned_data.get("documents") or ())
        except DomainError as exc:
            about_documents = exc.code in _DOCUMENT_ERRORS and "documents" in form.fields
            form.add_error("documents" if about_documents else "body", exc.message)
        else:
            return None
    return form


@role_required(Role.CITIZEN)
@require_POST
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            application_withdraw(application=application, user=request.user,
                                 note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("You have withdrawn application %(reference)s.")
                             % {"reference": application.reference})
            return redirect("esocial:application_detail", pk=pk)
    return _render_detail(request, application, withdraw_form=form, status=400)


def _document_response(application: Application, document_pk: int) -> FileResponse:
    document = application_document(application=application, pk=document_pk)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=document.original_name, content_type=document.content_type)


@role_required(Role.CITIZEN)
@require_GET
def application_document_download(request: HttpRequest, pk: int,
                                  document_pk: int) -> FileResponse:
    return _document_response(_own_application(request, pk), document_pk)


# Staff pages


@role_required(*STAFF_ROLES)
@require_GET
def staff_queue_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    page = Paginator(staff_queue(status=status), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    _log_listed(request, [application.person_id for application in page],
                gettext_lazy("Listed among the applications to process"))
    status = status if status in OPEN_STATUSES else ""
    return render(request, "esocial/applications/staff_queue.html", {
        "page": page,
        "status": status,
        # The pager keeps the filter.
        "pager_query": urlencode({"status": status}) + "&" if status else "",
        "statuses": [(value, Status(value).label) for value in
                     (Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFORMATION)],
    })


def _staff_application(pk: int) -> Application:
    application = application_for_staff(pk)
    if application is None:
        raise Http404
    return application


def _render_staff_detail(request: HttpRequest, application: Application, *,
                         status_form: StatusChangeForm | None = None,
                         message_form: MessageForm | None = None,
                         status: int = 200) -> HttpResponse:
    application_open_for_staff(application=application, actor=request.user, ip_address=_ip(request))
    application_with_history(application)
    return render(request, "esocial/applications/staff_detail.html", {
        "application": application,
        "facts": facts_shown(application.prefilled),
        "answers": submitted_answers(application),
        "status_form": status_form or StatusChangeForm(),
        "message_form": message_form or MessageForm(),
    }, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    """One application with everything the officer needs; the opening is logged."""
    return _render_staff_detail(request, _staff_application(pk))


@role_required(*STAFF_ROLES)
@require_POST
def staff_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(pk)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            application_status_change(application=application, actor=request.user,
                                      status=form.cleaned_data["status"],
                                      note=form.cleaned_data["note"], ip_address=_ip(request))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Application %(reference)s is now: %(status)s.")
                             % {"reference": application.reference,
                                "status": application.get_status_display()})
            return redirect("esocial:staff_application", pk=pk)
    return _render_staff_detail(request, application, status_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_POST
def staff_message(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(pk)
    form = _message_posted(request, application)
    if form is None:
        messages.success(request, _("Your message has been sent to the citizen."))
        return redirect(reverse("esocial:staff_application", args=[pk]) + "#messages")
    return _render_staff_detail(request, application, message_form=form, status=400)


@role_required(*STAFF_ROLES)
@require_GET
def staff_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    application = _staff_application(pk)
    response = _document_response(application, document_pk)
    # A citizen's document is their data: opening it is logged like opening the page.
    application_open_for_staff(application=application, actor=request.user,
                               ip_address=_ip(request))
    return response


@role_required(*STAFF_ROLES)
@require_GET
def staff_corrections(request: HttpRequest) -> HttpResponse:
    """Citizens' reports of wrong facts waiting to be checked, the oldest first."""
    page = Paginator(open_correction_requests(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(correction, fact_label(correction.fact)) for correction in page]
    _log_listed(request, [correction.person_id for correction, _fact in rows],
                gettext_lazy("Listed among the reports of wrong facts to check"))
    return render(request, "esocial/applications/staff_corrections.html",
                  {"page": page, "rows": rows})


def _staff_correction(pk: int) -> CorrectionRequest:
    correction = correction_request_by_id(pk)
    if correction is None:
        raise Http404
    return correction


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def staff_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """One report, with the value in the registry and the citizen's; the opening is logged."""
    correction = _staff_correction(pk)
    form = CorrectionResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction_request_resolve(
                correction=correction, verified=form.cleaned_data["decision"] == "verify",
                actor=request.user, note=form.cleaned_data["note"], ip_address=_ip(request))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The report has been settled."))
            return redirect("esocial:staff_corrections")
    correction_request_open_for_staff(correction=correction, actor=request.user,
                                      ip_address=_ip(request))
    return render(request, "esocial/applications/staff_correction.html", {
        "correction": correction, "fact": fact_label(correction.fact), "form": form,
    }, status=400 if form.is_bound else 200)


@role_required(*STAFF_ROLES)
@require_GET
def staff_correction_document(request: HttpRequest, pk: int) -> FileResponse:
    correction = _staff_correction(pk)
    if not correction.document:
        raise Http404
    correction_request_open_for_staff(correction=correction, actor=request.user,
                                      ip_address=_ip(request))
    return FileResponse(correction.document.open("rb"), as_attachment=True,
                        filename=f"{correction.fact}{PurePath(correction.document.name).suffix}")
