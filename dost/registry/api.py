"""Registry API: a citizen's own record, and scoped look-ups for institutions."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dost.accounts.api_auth import institution_of
from dost.accounts.models import Role, Scope
from dost.audit.models import Channel, Subject, channel_for_role
from dost.audit.services import access_record
from dost.registry.models import Person
from dost.registry.selectors import person_by_fin
from dost.registry.views import RECORD_READERS


class PersonSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", allow_null=True)
    source = serializers.CharField(source="source_id")

    class Meta:
        model = Person
        fields = [
            "fin", "first_name", "last_name", "patronymic", "sex", "birth_date", "death_date",
            "phone", "region", "language", "bank_account", "source", "recorded_at",
        ]


class MeView(APIView):
    """The signed-in citizen's own registry record."""

    @extend_schema(responses=PersonSerializer)
    def get(self, request):
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
        parameters=[OpenApiParameter("reason", str, description="why the record is needed")],
        responses=PersonSerializer,
    )
    def get(self, request, fin: str):
        token = institution_of(request)
        user = request.user
        if token is None and getattr(user, "role", None) == Role.CITIZEN:
            if user.person.fin != fin.upper():
                raise Http404
            return Response(PersonSerializer(user.person).data)
        if token is not None and not token.has_scope(Scope.REGISTRY_READ):
            raise PermissionDenied(_("This token lacks the scope registry:read."))
        if token is None and user.role not in RECORD_READERS and not user.is_superuser:
            # The same people as the back-office pages: never an MSEC expert.
            raise PermissionDenied
        reason = request.query_params.get("reason", "").strip()
        if not reason:
            raise ValidationError({"reason": [_("State why you need this person's data.")]})
        person = person_by_fin(fin)
        if person is None:
            raise Http404
        access_record(
            person_id=person.pk,
            actor_id=None if token else user.pk,
            institution_id=token.institution_id if token else None,
            channel=Channel.API if token else channel_for_role(user.role),
            what=Subject.REGISTRY_RECORD,
            reason=reason,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        return Response(PersonSerializer(person).data)
