"""Registry API: a citizen's own record, and scoped look-ups for institutions."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dost.accounts.api_auth import institution_of
from dost.accounts.models import Role, Scope, User
from dost.api_errors import (
    BAD_REQUEST_BODY,
    MALFORMED,
    NOT_SIGNED_IN,
    RETRY_AFTER,
    THROTTLED,
    WWW_AUTHENTICATE,
    ErrorSerializer,
)
from dost.audit.models import Channel, Subject, channel_for_role
from dost.audit.services import access_record
from dost.http import client_ip
from dost.registry.models import Person
from dost.registry.selectors import person_by_fin
from dost.registry.validators import FIN_RE, normalize_fin
from dost.registry.views import RECORD_READERS

# The FIN the schema's examples use; the API's schema tests register a citizen with it.
EXAMPLE_FIN = "5ZK2M7T"

FIN_IN_PATH = OpenApiParameter(
    "fin", str, OpenApiParameter.PATH,
    # The look-up ignores case, so lower-case letters are as good as capitals here.
    pattern=r"^[0-9A-HJ-NP-Za-hj-np-z]{7}$",
    description="the citizen's FIN: 7 digits and Latin letters except I and O, in either case",
    examples=[OpenApiExample("a FIN", value=EXAMPLE_FIN)],
)


# A FIN in the schema, for any field that holds one. The schema's patterns are ECMA-262
# regular expressions, not Python's: FIN_RE's \Z would mean a letter Z there.
FIN_SCHEMA = {"type": "string", "pattern": r"^[0-9A-HJ-NP-Z]{7}$", "example": EXAMPLE_FIN}


@extend_schema_field(FIN_SCHEMA)
class RecordFinField(serializers.CharField):
    """A FIN as the registry keeps it: 7 characters, capital letters."""


class PersonSerializer(serializers.ModelSerializer):
    fin = RecordFinField(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True,
                                   help_text=_("the region's code; empty when not known"))
    # The metaclass moves declared fields off the class, so Field.source is not shadowed.
    source = serializers.CharField(  # type: ignore[assignment]
        source="source_id", read_only=True, help_text=_("the institution the record came from"),
    )

    class Meta:
        model = Person
        fields = [
            "fin", "first_name", "last_name", "patronymic", "sex", "birth_date", "death_date",
            "phone", "region", "language", "bank_account", "source", "recorded_at",
        ]
        # An answer, never a request: every field is always there (the schema says required).
        read_only_fields = fields


class LookupReasonSerializer(serializers.Serializer):
    """The query of a look-up by FIN (a NUL in it is refused before, by dost.middleware)."""

    reason = serializers.CharField(
        required=False, allow_blank=True,
        help_text=_("why the record is needed: institutions and staff must say, a citizen "
                    "reading their own record need not"),
    )


def _stated_reason(request: Request) -> str:
    """The caller's stated reason, or a 400 in DRF's shape when there is none to log."""
    query = LookupReasonSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    reason = query.validated_data.get("reason", "")
    if not reason:
        raise ValidationError({"reason": [_("State why you need this person's data.")]})
    return reason


def _session_user(request: Request) -> User:
    """The user of a request without a token: signed in, as ``IsAuthenticated`` let in."""
    user = request.user
    if not isinstance(user, User):  # an anonymous caller: the permission refuses it first
        raise NotAuthenticated
    return user


class MeView(APIView):
    """The signed-in citizen's own registry record."""

    @extend_schema(
        summary="My registry record",
        parameters=[WWW_AUTHENTICATE, RETRY_AFTER],
        responses={
            200: PersonSerializer,
            400: MALFORMED,
            401: NOT_SIGNED_IN,
            404: OpenApiResponse(ErrorSerializer,
                                 description="signed in, but not as a citizen with a record"),
            429: THROTTLED,
        },
    )
    def get(self, request: Request) -> Response:
        person = getattr(request.user, "person", None)
        if person is None:
            raise Http404
        return Response(PersonSerializer(person).data)


class PersonDetailView(APIView):
    """One citizen's registry record.

    Institutions need the ``registry:read`` scope; staff and institutions must
    say why (``reason``), and the look-up is logged for the citizen to see. A
    citizen may read only their own record: any other FIN answers 404, exactly
    as for a FIN that does not exist.
    """

    @extend_schema(
        summary="A citizen's registry record",
        parameters=[FIN_IN_PATH, LookupReasonSerializer, WWW_AUTHENTICATE, RETRY_AFTER],
        responses={
            200: PersonSerializer,
            400: OpenApiResponse(BAD_REQUEST_BODY, description=(
                "no reason given (the field in error); or a NUL character, bytes that are not "
                "UTF-8 or an overlong part in the address (detail and code)")),
            401: NOT_SIGNED_IN,
            403: OpenApiResponse(ErrorSerializer,
                                 description="a token without registry:read, or a role that "
                                             "may not read citizens' records"),
            404: OpenApiResponse(ErrorSerializer,
                                 description="no such citizen; for a citizen, any FIN but "
                                             "their own"),
            429: THROTTLED,
        },
    )
    def get(self, request: Request, fin: str) -> Response:
        token = institution_of(request)
        # Exactly one of the two: an institution's token, or a signed-in user's session.
        user = None if token is not None else _session_user(request)
        if user is not None and user.role == Role.CITIZEN:
            if user.person is None or user.person.fin != normalize_fin(fin):
                raise Http404
            return Response(PersonSerializer(user.person).data)
        if token is not None and not token.has_scope(Scope.REGISTRY_READ):
            raise PermissionDenied(_("This token lacks the scope registry:read."))
        if user is not None and user.role not in RECORD_READERS and not user.is_superuser:
            # The same people as the back-office pages: never an MSEC expert.
            raise PermissionDenied
        reason = _stated_reason(request)
        # Not a FIN at all (a NUL byte, a stray character): nobody has it, and the
        # database is not asked.
        person = person_by_fin(fin) if FIN_RE.match(normalize_fin(fin)) else None
        if person is None:
            raise Http404
        access_record(
            person_id=person.pk,
            actor_id=user.pk if user else None,
            institution_id=token.institution_id if token else None,
            channel=channel_for_role(user.role) if user else Channel.API,
            what=Subject.REGISTRY_RECORD,
            reason=reason,
            ip_address=client_ip(request),
        )
        return Response(PersonSerializer(person).data)
