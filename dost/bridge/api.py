"""Digital Bridge API: life events pushed by institutions, and look-ups of awards.

Only institution tokens get in, each endpoint needing its own scope.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dost.accounts.api_auth import HasScope, InstitutionTokenAuthentication, institution_of
from dost.accounts.models import InstitutionToken, Scope
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
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.bridge.models import EventState, EventType, InboundEvent
from dost.bridge.plausibility import reason_message
from dost.bridge.selectors import (
    awards_of_citizen,
    citizen_by_fin,
    event_of_institution,
    event_people_fins,
)
from dost.bridge.services import EVENT_ID_REUSED, event_receive
from dost.entitlements.models import Award
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.api import FIN_SCHEMA
from dost.registry.models import EndReason, Sex
from dost.registry.validators import normalize_fin, validate_fin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- what an institution sends ----------------------------------------------------------------


@extend_schema_field(FIN_SCHEMA)
class FinField(serializers.CharField):
    """A FIN, upper-cased, in the registry's format."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [validate_fin])
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return normalize_fin(super().to_internal_value(data))


class ChildSerializer(serializers.Serializer):
    fin = FinField()
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField()


class BirthDataSerializer(serializers.Serializer):
    child = ChildSerializer()
    mother_fin = FinField()
    father_fin = FinField(allow_null=True, default=None, help_text=_("when the father is known"))


class DeathDataSerializer(serializers.Serializer):
    fin = FinField()


class MarriageDataSerializer(serializers.Serializer):
    spouse_fins = serializers.ListField(child=FinField(), min_length=2, max_length=2)


class DisabilityDataSerializer(serializers.Serializer):
    fin = FinField()
    percent = serializers.IntegerField(min_value=31, max_value=100,
                                       help_text=_("functional impairment, a multiple of 5"))
    valid_until = serializers.DateField(allow_null=True, default=None,
                                        help_text=_("empty for an indefinite finding"))
    cause = serializers.CharField(max_length=200, allow_blank=True, default="")

    def validate_percent(self, value: int) -> int:
        if value % 5:
            raise ValidationError(_("The percentage is a multiple of 5."))
        return value


TIN_ERRORS: dict[str, StrOrPromise] = {"invalid": _("An employer's TIN has 10 digits.")}


class EmploymentStartDataSerializer(serializers.Serializer):
    fin = FinField()
    employer_name = serializers.CharField(max_length=200)
    employer_tin = serializers.RegexField(r"^[0-9]{10}$", error_messages=TIN_ERRORS)
    occupation_code = serializers.RegexField(
        r"^[0-9]{4}$", error_messages={"invalid": _("An occupation code has 4 digits.")}
    )
    monthly_wage = serializers.DecimalField(max_digits=10, decimal_places=2,
                                            min_value=Decimal("0.01"))


class EmploymentEndDataSerializer(serializers.Serializer):
    fin = FinField()
    employer_tin = serializers.RegexField(r"^[0-9]{10}$", error_messages=TIN_ERRORS)
    reason = serializers.ChoiceField(choices=EndReason.choices)


DATA_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    EventType.BIRTH: BirthDataSerializer,
    EventType.DEATH: DeathDataSerializer,
    EventType.DEATH_ANNULLED: DeathDataSerializer,
    EventType.MARRIAGE: MarriageDataSerializer,
    EventType.DISABILITY: DisabilityDataSerializer,
    EventType.EMPLOYMENT_START: EmploymentStartDataSerializer,
    EventType.EMPLOYMENT_END: EmploymentEndDataSerializer,
}


@extend_schema_field(PolymorphicProxySerializer(
    component_name="EventData",
    serializers=list(DATA_SERIALIZERS.values()),
    resource_type_field_name=None,
))
class EventDataField(serializers.DictField):
    """The event's facts; their shape depends on the event's ``type``."""


class EventSerializer(serializers.Serializer):
    event_id = serializers.CharField(max_length=100,
                                     help_text=_("the institution's own id of the event"))
    type = serializers.ChoiceField(choices=EventType.choices)
    occurred_on = serializers.DateField()
    # The metaclass moves declared fields off the class, so Serializer.data is not shadowed.
    data = EventDataField(help_text=_(  # type: ignore[assignment]
        "birth: child {fin, first_name, last_name, sex, birth_date}, mother_fin, father_fin; "
        "death: fin; death_annulled: fin (the civil registry's correction); "
        "marriage: spouse_fins (two FINs); disability: fin, percent, valid_until, "
        "cause; employment_start: fin, employer_name, employer_tin, occupation_code, "
        "monthly_wage; employment_end: fin, employer_tin, reason"
    ))

    def validate_occurred_on(self, value: dt.date) -> dt.date:
        if value > timezone.localdate():
            raise ValidationError(_("The event cannot have occurred in the future."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = DATA_SERIALIZERS[attrs["type"]](data=attrs["data"])
        if not data.is_valid():
            raise ValidationError({"data": data.errors})
        return {**attrs, "data": data.validated_data}


# --- what the API answers -------------------------------------------------------------------


class HoldReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("stable code of the reason"))
    message = serializers.CharField()


class EventReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[EventState.APPLIED, EventState.REJECTED])
    reason = serializers.CharField(allow_blank=True, help_text=_(
        "staff's reason: always given for a rejection, optional for an application"))
    decided_at = serializers.DateTimeField()


# How each state of a stored event reads in the API ("accepted" predates review).
EVENT_STATUS: dict[str, str] = {EventState.APPLIED: "accepted", EventState.HELD: "held",
                EventState.REJECTED: "rejected"}


class EventOutcomeSerializer(serializers.Serializer):
    event_id = serializers.CharField()
    status = serializers.ChoiceField(choices=list(EVENT_STATUS.values()), help_text=_(
        "accepted: applied, at once or after review; held: stored but not applied until "
        "staff review it; rejected: staff decided not to apply it"))
    people = serializers.ListField(child=serializers.CharField(),
                                   help_text=_("FINs of the people the event touched"))
    awards = serializers.IntegerField(help_text=_("awards the proactive engine made"))
    reasons = HoldReasonSerializer(many=True, help_text=_(
        "why the event was held for review; empty when it was not"))
    review = EventReviewSerializer(allow_null=True, help_text=_(
        "staff's decision on a held event; null until there is one"))


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class CitizenAwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["benefit", "amount", "period_start", "period_end", "status", "decided_at",
                  "frequency"]


def _outcome(event: InboundEvent) -> dict[str, Any]:
    review = None
    if event.reviewed_at is not None:
        review = {"decision": event.state, "reason": event.review_note,
                  "decided_at": event.reviewed_at}
    return {"event_id": event.event_id, "status": EVENT_STATUS[event.state],
            "people": event_people_fins(event), "awards": event.awards_made,
            "reasons": [{"code": reason.get("code", ""), "message": reason_message(reason)}
                        for reason in event.hold_reasons],
            "review": review}


def _outcome_status(event: InboundEvent, *, created: bool) -> int:
    if not created:
        return status.HTTP_200_OK
    return status.HTTP_202_ACCEPTED if event.state == EventState.HELD else status.HTTP_201_CREATED


def _token(request: Request) -> InstitutionToken:
    token = institution_of(request)
    if token is None:  # HasScope lets in institution tokens only.
        raise NotAuthenticated
    return token


EVENT_TYPE_NOT_ALLOWED = "event_type_not_allowed"


def _foreign_event_refusal(token: InstitutionToken, body: Any) -> Response | None:
    """A 403 when the body's event type is a known one the token's institution may not send.

    Checked before the body is validated: an institution learns nothing about
    events it may not send. An unknown type is left to the serializer (400).
    """
    event_type = body.get("type") if hasattr(body, "get") else None
    institution = token.institution
    if event_type not in EventType.values or event_type in institution.event_types:
        return None
    message = _(
        "%(institution)s may not send %(type)s events; it may send: %(allowed)s."
    ) % {"institution": institution.name, "type": event_type,
         "allowed": ", ".join(institution.event_types) or _("none")}
    return Response({"detail": message, "code": EVENT_TYPE_NOT_ALLOWED},
                    status=status.HTTP_403_FORBIDDEN)


EVENTS_DESCRIPTION = (
    "Checks the event against the registry, stores it once per institution and event id, "
    "applies it to the registry and runs the proactive engine for the people it touched, "
    "all in one transaction. Sending the same event id again answers 200 with the stored "
    "outcome and changes nothing; the same id with a different body answers 409.\n\n"
    "An event that cannot have happened, or that the law forbids, is refused with 400 and "
    "a `code`, and nothing is stored: unknown_fin, not_yet_born, dead; births: "
    "child_is_parent, birth_after_event, mother_not_female, father_not_male, parent_younger, "
    "mother_dead, duplicate_fin, mother_too_young, mother_too_old, father_too_young, "
    "father_too_old; marriages: same_spouse, already_spouses, already_married (a spouse "
    "still married to someone else), close_kinship, below_marriage_age; employment: "
    "below_working_age, already_employed, no_open_employment, end_before_start; deaths: "
    "already_dead, death_before_birth, not_dead; disability findings: "
    "valid_until_before_finding, finding_same_day, finding_too_long.\n\n"
    "An unusual event is stored but held until staff review it: 202 with status held and "
    "its reasons (codes mother_young, mother_old, father_young, father_old, "
    "marriage_age_lowered, death_very_old, death_reported_late, finding_long, "
    "finding_reported_late). Follow it with GET /api/v1/bridge/events/{event_id}/: accepted "
    "once staff apply it, rejected (with their reason) otherwise. The limits are "
    "effective-dated parameters with their legal source."
)


class InstitutionView(APIView):
    authentication_classes = [InstitutionTokenAuthentication]
    permission_classes = [HasScope]
    required_scope: str


class EventView(InstitutionView):
    """A life event pushed by an institution (``events:write``)."""

    required_scope = Scope.EVENTS_WRITE

    @extend_schema(
        summary="Push a life event",
        description=EVENTS_DESCRIPTION,
        request=EventSerializer,
        responses={
            201: OpenApiResponse(EventOutcomeSerializer, description="applied"),
            202: OpenApiResponse(EventOutcomeSerializer, description=(
                "held for review: stored but not applied; status held, with the reasons")),
            200: OpenApiResponse(EventOutcomeSerializer, description=(
                "a resend: the stored outcome (accepted, held or rejected), nothing new")),
            400: OpenApiResponse(BAD_REQUEST_BODY, description=(
                "invalid: the fields in error; or refused (detail and code, see the codes "
                "above): nothing is stored")),
            401: NOT_SIGNED_IN,
            403: OpenApiResponse(RequestErrorSerializer, description=(
                "the token lacks events:write (detail), or its institution does not send "
                "events of this type (detail and code event_type_not_allowed); nothing is stored"
            )),
            409: OpenApiResponse(RefusalSerializer,
                                 description="the event id was used for a different event"),
            413: OpenApiResponse(CodedErrorSerializer,
                                 description="the body is over the size limit; it is not read"),
            415: OpenApiResponse(ErrorSerializer, description="the body is not JSON"),
            429: THROTTLED,
        },
        parameters=[WWW_AUTHENTICATE, RETRY_AFTER],
    )
    def post(self, request: Request) -> Response:
        token = _token(request)
        refusal = _foreign_event_refusal(token, request.data)
        if refusal is not None:
            return refusal
        event = EventSerializer(data=request.data)
        event.is_valid(raise_exception=True)
        try:
            stored, created = event_receive(institution=token.institution,
                                            **event.validated_data)
        except DomainError as exc:
            conflict = exc.code == EVENT_ID_REUSED
            return Response({"detail": exc.message, "code": exc.code},
                            status=status.HTTP_409_CONFLICT if conflict
                            else status.HTTP_400_BAD_REQUEST)
        return Response(EventOutcomeSerializer(_outcome(stored)).data,
                        status=_outcome_status(stored, created=created))


class EventDetailView(InstitutionView):
    """One of the institution's own events, as it stands (``events:write``)."""

    required_scope = Scope.EVENTS_WRITE

    @extend_schema(
        summary="An event's outcome",
        description=(
            "The institution's own event with that id: accepted (applied, with the people "
            "touched and the awards made), held (not applied, with the reasons) or rejected "
            "(with staff's reason in review). Another institution's event id answers 404."
        ),
        responses={
            200: EventOutcomeSerializer,
            400: MALFORMED,
            401: NOT_SIGNED_IN,
            403: OpenApiResponse(ErrorSerializer, description="the token lacks events:write"),
            404: OpenApiResponse(ErrorSerializer,
                                 description="no event with that id from this institution"),
            429: THROTTLED,
        },
        parameters=[WWW_AUTHENTICATE, RETRY_AFTER],
    )
    def get(self, request: Request, event_id: str) -> Response:
        token = _token(request)
        stored = event_of_institution(institution_id=token.institution_id, event_id=event_id)
        if stored is None:
            raise Http404
        return Response(EventOutcomeSerializer(_outcome(stored)).data)


class CitizenAwardsView(InstitutionView):
    """A citizen's awards (``awards:read``); each look-up is logged for the citizen to see."""

    required_scope = Scope.AWARDS_READ

    @extend_schema(
        summary="A citizen's awards",
        parameters=[OpenApiParameter("reason", str, required=True,
                                     description="why the awards are needed"), WWW_AUTHENTICATE,
                    RETRY_AFTER],
        responses={
            200: CitizenAwardSerializer(many=True),
            400: OpenApiResponse(BAD_REQUEST_BODY, description=(
                "no reason given (the field in error), or a NUL character, bytes that are "
                "not UTF-8 or an overlong part in the address (detail and code)")),
            401: NOT_SIGNED_IN,
            403: OpenApiResponse(ErrorSerializer, description="the token lacks awards:read"),
            404: OpenApiResponse(ErrorSerializer, description="no such citizen"),
            429: THROTTLED,
        },
    )
    def get(self, request: Request, fin: str) -> Response:
        token = _token(request)
        reason = request.query_params.get("reason", "").strip()
        if not reason:
            raise ValidationError({"reason": [_("State why you need this person's data.")]})
        person = citizen_by_fin(fin)
        if person is None:
            raise Http404
        access_record(
            person_id=person.pk,
            institution_id=token.institution_id,
            channel=Channel.API,
            what=Subject.AWARDS,
            reason=reason,
            ip_address=client_ip(request),
        )
        return Response(CitizenAwardSerializer(awards_of_citizen(person.pk), many=True).data)
