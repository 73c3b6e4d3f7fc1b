"""Digital Bridge API: life events pushed by institutions, and look-ups of awards.

Only institution tokens get in, each endpoint needing its own scope.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
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
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.bridge.models import EventType, InboundEvent
from dost.bridge.selectors import awards_of_citizen, citizen_by_fin, event_people_fins
from dost.bridge.services import EVENT_ID_REUSED, event_receive
from dost.entitlements.models import Award
from dost.errors import DomainError
from dost.registry.models import EndReason, Sex
from dost.registry.validators import normalize_fin, validate_fin

# --- what an institution sends ----------------------------------------------------------------


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


TIN_ERRORS = {"invalid": _("An employer's TIN has 10 digits.")}


class EmploymentStartDataSerializer(serializers.Serializer):
    fin = FinField()
    employer_name = serializers.CharField(max_length=200)
    employer_tin = serializers.RegexField(r"^\d{10}$", error_messages=TIN_ERRORS)
    occupation_code = serializers.RegexField(
        r"^\d{4}$", error_messages={"invalid": _("An occupation code has 4 digits.")}
    )
    monthly_wage = serializers.DecimalField(max_digits=10, decimal_places=2,
                                            min_value=Decimal("0.01"))


class EmploymentEndDataSerializer(serializers.Serializer):
    fin = FinField()
    employer_tin = serializers.RegexField(r"^\d{10}$", error_messages=TIN_ERRORS)
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
    data = EventDataField(help_text=_(
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


class EventOutcomeSerializer(serializers.Serializer):
    event_id = serializers.CharField()
    status = serializers.CharField(help_text=_("always accepted"))
    people = serializers.ListField(child=serializers.CharField(),
                                   help_text=_("FINs of the people the event touched"))
    awards = serializers.IntegerField(help_text=_("awards the proactive engine made"))


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class CitizenAwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["benefit", "amount", "period_start", "period_end", "status", "decided_at",
                  "frequency"]


def _outcome(event: InboundEvent) -> dict[str, Any]:
    return {"event_id": event.event_id, "status": "accepted",
            "people": event_people_fins(event), "awards": event.awards_made}


def _token(request: Request) -> InstitutionToken:
    token = institution_of(request)
    if token is None:  # HasScope lets in institution tokens only.
        raise NotAuthenticated
    return token


class InstitutionView(APIView):
    authentication_classes = [InstitutionTokenAuthentication]
    permission_classes = [HasScope]
    required_scope: str


class EventView(InstitutionView):
    """A life event pushed by an institution (``events:write``)."""

    required_scope = Scope.EVENTS_WRITE

    @extend_schema(
        summary="Push a life event",
        description=(
            "Stores the event once per institution and event id, applies it to the "
            "registry and runs the proactive engine for the people it touched, all in one "
            "transaction. Sending the same event id again answers 200 with the stored outcome "
            "and changes nothing; the same id with a different body answers 409."
        ),
        request=EventSerializer,
        responses={
            201: OpenApiResponse(EventOutcomeSerializer, description="applied"),
            200: OpenApiResponse(EventOutcomeSerializer,
                                 description="a resend: the stored outcome, nothing new"),
            400: OpenApiResponse(OpenApiTypes.OBJECT,
                                 description="invalid: the fields in error, or detail and code"),
            401: OpenApiResponse(description="no valid token"),
            403: OpenApiResponse(description="the token lacks events:write"),
            409: OpenApiResponse(RefusalSerializer,
                                 description="the event id was used for a different event"),
        },
    )
    def post(self, request: Request) -> Response:
        token = _token(request)
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
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CitizenAwardsView(InstitutionView):
    """A citizen's awards (``awards:read``); each look-up is logged for the citizen to see."""

    required_scope = Scope.AWARDS_READ

    @extend_schema(
        summary="A citizen's awards",
        parameters=[OpenApiParameter("reason", str, required=True,
                                     description="why the awards are needed")],
        responses={
            200: CitizenAwardSerializer(many=True),
            400: OpenApiResponse(description="no reason given"),
            401: OpenApiResponse(description="no valid token"),
            403: OpenApiResponse(description="the token lacks awards:read"),
            404: OpenApiResponse(description="no such citizen"),
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
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return Response(CitizenAwardSerializer(awards_of_citizen(person.pk), many=True).data)
