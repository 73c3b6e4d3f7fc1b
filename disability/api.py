"""The referrals API: a health facility's own system sends e-referrals (``referrals:write``).

Only a token whose institution is a health facility gets past the scope: the
referral is the facility's, found again by the facility's keyed hash.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disability.documents import MAX_DOCUMENTS, upload_from_bytes
from disability.models import (
    HealthFacility,
    LimitationDomain,
    Referral,
    ReferralKind,
    ReferralState,
    Severity,
)
from disability.pseudonyms import facility_pseudonym
from disability.services.referrals import (
    MAX_TREATMENT_MONTHS,
    ReferralSubmission,
    referral_submit,
)
from dost.accounts.api_auth import (
    HasScope,
    InstitutionTokenAuthentication,
    InstitutionTokenThrottle,
    institution_of,
)
from dost.accounts.models import Scope
from dost.api_errors import (
    BAD_REQUEST_BODY,
    MALFORMED,
    NOT_SIGNED_IN,
    RETRY_AFTER,
    THROTTLED,
    WWW_AUTHENTICATE,
    CodedErrorSerializer,
    ErrorSerializer,
    RequestErrorSerializer,
)
from dost.bridge.api import FinField
from dost.errors import DomainError

NOT_A_HEALTH_FACILITY = "not_a_health_facility"
BAD_DOCUMENT = "bad_document"
MAX_DIAGNOSES = 20
MAX_APPROVERS = 20

# --- what a facility sends -------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    content_base64 = serializers.CharField(
        trim_whitespace=False,
        help_text=gettext_lazy("the file (PDF, JPEG or PNG), in standard base64 without line "
                               "breaks"))


class ReferralSerializer(serializers.Serializer):
    fin = FinField(help_text=gettext_lazy("the patient's FIN"))
    diagnoses = serializers.ListField(
        child=serializers.CharField(max_length=16), min_length=1, max_length=MAX_DIAGNOSES,
        help_text=gettext_lazy("ICD-10 codes (category or subcategory, like G35 or F20.0), "
                               "the principal diagnosis first"))
    treatment_months = serializers.IntegerField(
        min_value=0, max_value=MAX_TREATMENT_MONTHS,
        help_text=gettext_lazy("months of continuous treatment"))
    limitations = serializers.DictField(
        child=serializers.IntegerField(min_value=min(Severity.values),
                                       max_value=max(Severity.values)),
        allow_empty=False,
        help_text=format_lazy("{} {}", gettext_lazy(
            "ICF qualifier (0 none, 1 mild, 2 moderate, 3 severe, 4 complete) by domain of "
            "functioning; domains not assessed are left out. Domains:"),
            ", ".join(LimitationDomain.values)))
    doctor_name = serializers.CharField(max_length=200,
                                        help_text=gettext_lazy("the referring doctor"))
    approved_by = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=1, max_length=MAX_APPROVERS,
        help_text=gettext_lazy("the members of the medical advisory commission who approved "
                               "the referral"))
    clinical_summary = serializers.CharField(required=False, allow_blank=True, default="",
                                             max_length=10_000)
    documents = serializers.ListField(
        child=DocumentSerializer(), min_length=1, max_length=MAX_DOCUMENTS,
        help_text=gettext_lazy("medical documents; names and other metadata in the files are "
                               "removed before they are stored"))


# --- what the API answers -------------------------------------------------------------------


class ReferralOutcomeSerializer(serializers.Serializer):
    case_number = serializers.CharField(help_text=gettext_lazy(
        "the case number: the only name the commission knows the case by"))
    kind = serializers.ChoiceField(choices=ReferralKind.choices)
    state = serializers.ChoiceField(choices=ReferralState.choices)
    submitted_at = serializers.DateTimeField()


def _outcome(referral: Referral) -> dict[str, Any]:
    return ReferralOutcomeSerializer({
        "case_number": referral.case_number, "kind": referral.kind, "state": referral.state,
        "submitted_at": referral.submitted_at,
    }).data


class _BadDocument(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _decoded(documents: list[dict[str, str]]) -> list[bytes]:
    contents = []
    for number, document in enumerate(documents, start=1):
        try:
            contents.append(base64.b64decode(document["content_base64"], validate=True))
        except (binascii.Error, ValueError) as error:
            raise _BadDocument(number) from error
    return contents


class FacilityView(APIView):
    authentication_classes = [InstitutionTokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [InstitutionTokenThrottle]
    required_scope = Scope.REFERRALS_WRITE

    def facility(self, request: Request) -> HealthFacility | None:
        token = institution_of(request)
        if token is None:  # HasScope lets in institution tokens only.
            raise NotAuthenticated
        return HealthFacility.objects.filter(institution_id=token.institution_id).first()


def _not_a_facility() -> Response:
    return Response({"detail": _("This institution is not a health facility: only a health "
                                 "facility's system sends referrals."),
                     "code": NOT_A_HEALTH_FACILITY}, status=status.HTTP_403_FORBIDDEN)


FORBIDDEN = OpenApiResponse(RequestErrorSerializer, description=(
    "the token lacks referrals:write (detail), or its institution is no health facility "
    "(detail and code not_a_health_facility)"))

REFERRALS_DESCRIPTION = (
    "A health facility's e-referral of a patient to a medical-social expert commission. "
    "Accepted, it is anonymised (the patient, the facility and the doctors are kept "
    "encrypted, the documents without their metadata) and drawn at random to an eligible "
    "commission, weighted towards the least loaded, all in one transaction.\n\n"
    "Refused with 400, a `code` and nothing stored: unknown_person, person_dead, "
    "unknown_icd_code, diagnoses_missing, missing_field, treatment_months, unknown_domain, "
    "severity, referral_open (the person's previous referral is still under assessment), "
    "no_commission, bad_document (not base64), too_many_documents, documents_too_large, "
    "file_type, file_damaged, file_too_large."
)


class ReferralsView(FacilityView):
    """Send a referral (``referrals:write``)."""

    @extend_schema(
        summary="Send a disability referral",
        description=REFERRALS_DESCRIPTION,
        request=ReferralSerializer,
        responses={
            201: OpenApiResponse(ReferralOutcomeSerializer,
                                 description="accepted and assigned to a commission"),
            400: OpenApiResponse(BAD_REQUEST_BODY, description=(
                "invalid: the fields in error; or refused (detail and code, see the codes "
                "above): nothing is stored")),
            401: NOT_SIGNED_IN,
            403: FORBIDDEN,
            413: OpenApiResponse(CodedErrorSerializer,
                                 description="the body is over the size limit; it is not read"),
            415: OpenApiResponse(ErrorSerializer, description="the body is not JSON"),
            429: THROTTLED,
        },
        parameters=[WWW_AUTHENTICATE, RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        facility = self.facility(request)
        if facility is None:
            return _not_a_facility()
        body = ReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            contents = _decoded(data["documents"])
        except _BadDocument as bad:
            return Response({"detail": _("Document %(number)s is not in base64.")
                             % {"number": bad.number}, "code": BAD_DOCUMENT},
                            status=status.HTTP_400_BAD_REQUEST)
        submission = ReferralSubmission(
            fin=data["fin"], diagnoses=data["diagnoses"],
            treatment_months=data["treatment_months"], limitations=data["limitations"],
            documents=[upload_from_bytes(content) for content in contents],
            doctor_name=data["doctor_name"], approved_by=data["approved_by"],
            clinical_summary=data["clinical_summary"],
        )
        try:
            referral = referral_submit(facility=facility, submission=submission)
        except DomainError as refusal:
            return Response({"detail": refusal.message, "code": refusal.code},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(_outcome(referral), status=status.HTTP_201_CREATED)


class ReferralDetailView(FacilityView):
    """One of the facility's own referrals, as it stands (``referrals:write``)."""

    @extend_schema(
        summary="A referral's state",
        description=("The facility's own referral with that case number: its kind and where "
                     "it stands. Another facility's case number answers 404."),
        responses={
            200: ReferralOutcomeSerializer,
            400: MALFORMED,
            401: NOT_SIGNED_IN,
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorSerializer,
                                 description="no referral with that case number from this "
                                             "facility"),
            429: THROTTLED,
        },
        parameters=[WWW_AUTHENTICATE, RETRY_AFTER],
    )
    def get(self, request: Request, case_number: str) -> Response:
        facility = self.facility(request)
        if facility is None:
            return _not_a_facility()
        referral = (Referral.objects
                    .filter(case_number=case_number,
                            facility_key=facility_pseudonym(facility.code))
                    .only("case_number", "kind", "state", "submitted_at").first())
        if referral is None:
            raise Http404
        return Response(_outcome(referral))
