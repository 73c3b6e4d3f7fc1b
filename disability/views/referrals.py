"""The doctor's pages: a facility's referrals, a new referral, and answers to commissions.

A doctor sees only their own facility's cases, found by its keyed hash: another
facility's case number answers 404, as one that does not exist. The facility
knows its own patients, so its pages show the FIN the referral holds encrypted;
the commission on the other side never sees it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from disability.forms import DocumentRequestAnswerForm, ReferralForm
from disability.models import (
    DocumentRequest,
    FacilityDoctor,
    HealthFacility,
    IcdCode,
    MedicalDocument,
    Referral,
    ReferralInvitation,
)
from disability.pseudonyms import facility_pseudonym
from disability.services.document_requests import document_request_answer
from disability.services.referrals import normalise_icd_code, referral_submit
from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.errors import DomainError

PAGE_SIZE = 50
ICD_RESULTS = 30
MAX_ICD_QUERY_CHARS = 100

FacilityView = Callable[..., HttpResponse]


def facility_doctor(view: FacilityView) -> FacilityView:
    """Doctors only, each with their facility passed to the view; 403 for one without.

    An administrator passes the role check but belongs to no facility: 403 too.
    """

    @role_required(Role.DOCTOR)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        membership = (FacilityDoctor.objects.select_related("facility")
                      .filter(user_id=request.user.pk).first())
        if membership is None:
            raise PermissionDenied
        return view(request, membership.facility, *args, **kwargs)

    return wrapper


# --- reads ----------------------------------------------------------------------------------


def _referrals_of(facility: HealthFacility) -> QuerySet[Referral]:
    return Referral.objects.filter(facility_key=facility_pseudonym(facility.code))


def _referral_of(facility: HealthFacility, case_number: str) -> Referral:
    referral = _referrals_of(facility).filter(case_number=case_number).first()
    if referral is None:
        raise Http404
    return referral


def _open_requests_of(facility: HealthFacility) -> QuerySet[DocumentRequest]:
    return (DocumentRequest.objects
            .filter(referral__facility_key=facility_pseudonym(facility.code),
                    answered_at__isnull=True)
            .select_related("referral").only("pk", "question", "asked_at",
                                             "referral__case_number")
            .order_by("asked_at"))


def _open_invitations_of(facility: HealthFacility) -> QuerySet[ReferralInvitation]:
    return (ReferralInvitation.objects.filter(facility=facility, fulfilled_at__isnull=True)
            .select_related("entry__person").only("pk", "due_on", "entry__person__fin")
            .order_by("due_on"))


def icd_codes_matching(query: str, *, limit: int = ICD_RESULTS) -> list[IcdCode]:
    """Codes starting with ``query`` (as typed: "f200" finds F20.0) first, then by title."""
    query = query.strip()[:MAX_ICD_QUERY_CHARS]
    if not query:
        return []
    code = normalise_icd_code(query)
    by_code = Q(code__startswith=code)
    return list(IcdCode.objects.filter(by_code | Q(title__icontains=query))
                .annotate(by_title=Case(When(by_code, then=Value(0)), default=Value(1),
                                        output_field=IntegerField()))
                .order_by("by_title", "code")[:limit])


# --- pages ----------------------------------------------------------------------------------


@facility_doctor
@require_GET
def referral_list(request: HttpRequest, facility: HealthFacility) -> HttpResponse:
    """The facility's referrals, newest first, and what waits for it."""
    referrals = _referrals_of(facility).only(
        "case_number", "kind", "state", "person_fin", "submitted_at").order_by("-submitted_at")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "disability/referrals/index.html", {
        "facility": facility,
        "page": page,
        "open_requests": list(_open_requests_of(facility)),
        "invitations": list(_open_invitations_of(facility)),
    })


@facility_doctor
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, facility: HealthFacility) -> HttpResponse:
    if request.method == "POST":
        form = ReferralForm(request.POST, request.FILES)
        if form.is_valid():
            doctor_name = request.user.get_full_name() or request.user.get_username()
            try:
                referral = referral_submit(facility=facility,
                                           submission=form.submission(doctor_name=doctor_name))
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Referral %(case_number)s has been sent to an "
                                            "expert commission.")
                                 % {"case_number": referral.case_number})
                return redirect("referrals:detail", case_number=referral.case_number)
        return render(request, "disability/referrals/new.html", {"form": form}, status=400)
    # "Refer" next to a person due for a repeat assessment fills in their FIN.
    form = ReferralForm(initial={"fin": request.GET.get("fin", "")[:7]})
    return render(request, "disability/referrals/new.html", {"form": form})


@facility_doctor
@require_GET
def icd_search(request: HttpRequest, facility: HealthFacility) -> HttpResponse:
    """ICD-10 codes by code or title: the whole page, or its results for htmx."""
    query = request.GET.get("q", "")[:MAX_ICD_QUERY_CHARS].strip()
    template = ("disability/referrals/_icd_results.html" if request.htmx
                else "disability/referrals/icd_search.html")
    response = render(request, template, {"query": query, "codes": icd_codes_matching(query),
                                          "limit": ICD_RESULTS})
    # The same address answers a fragment or a page: caches must keep both.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _answer_prefix(document_request: DocumentRequest) -> str:
    # Each open request has its own form on the page: its fields need their own ids.
    return f"request-{document_request.pk}"


def _render_detail(request: HttpRequest, referral: Referral, *, status: int = 200,
                   bound: DocumentRequestAnswerForm | None = None,
                   bound_request_id: int | None = None) -> HttpResponse:
    document_requests = list(referral.document_requests.all())
    answer_forms = {
        document_request.pk: (bound if document_request.pk == bound_request_id and bound
                              else DocumentRequestAnswerForm(prefix=_answer_prefix(
                                  document_request)))
        for document_request in document_requests if document_request.answered_at is None
    }
    return render(request, "disability/referrals/detail.html", {
        "referral": referral,
        "diagnoses": referral.diagnoses.select_related("icd").order_by("-principal", "pk"),
        "limitations": referral.limitations.order_by("pk"),
        # The contents stay in the database until a document is downloaded.
        "documents": referral.documents.defer("content"),
        "approvers": [name for name in referral.approved_by.splitlines() if name.strip()],
        "requests": [(document_request, answer_forms.get(document_request.pk))
                     for document_request in document_requests],
    }, status=status)


@facility_doctor
@require_GET
def referral_detail(request: HttpRequest, facility: HealthFacility,
                    case_number: str) -> HttpResponse:
    return _render_detail(request, _referral_of(facility, case_number))


@facility_doctor
@require_GET
def referral_document(request: HttpRequest, facility: HealthFacility, case_number: str,
                      number: int) -> FileResponse:
    referral = _referral_of(facility, case_number)
    document = MedicalDocument.objects.filter(referral=referral, number=number).first()
    if document is None:
        raise Http404
    document.referral = referral  # its filename is the case number's
    return FileResponse(io.BytesIO(bytes(document.content)), as_attachment=True,
                        filename=document.filename, content_type=document.content_type)


@facility_doctor
@require_POST
def request_answer(request: HttpRequest, facility: HealthFacility, case_number: str,
                   pk: int) -> HttpResponse:
    referral = _referral_of(facility, case_number)
    document_request = referral.document_requests.filter(pk=pk).first()
    if document_request is None:
        raise Http404
    document_request.referral = referral  # the service checks it is the facility's
    form = DocumentRequestAnswerForm(request.POST, request.FILES,
                                     prefix=_answer_prefix(document_request))
    if form.is_valid():
        try:
            document_request_answer(request=document_request, facility=facility,
                                    documents=form.cleaned_data["documents"],
                                    answer=form.cleaned_data["answer"])
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your documents have been sent to the commission for "
                                        "case %(case_number)s.")
                             % {"case_number": referral.case_number})
            return redirect("referrals:detail", case_number=referral.case_number)
    return _render_detail(request, referral, status=400, bound=form,
                          bound_request_id=document_request.pk)
