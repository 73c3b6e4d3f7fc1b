"""The bodies of the API's refusals, described for the OpenAPI schema.

DRF and ``dost.middleware`` write these bodies themselves; the serializers here
only describe them, so that every answer an endpoint gives is in the schema and
a client can rely on its shape:

- ``{"detail": ...}``: DRF's 401, 403, 404, 405, 415 and 429, and its 400 for a
  body that does not parse;
- the fields in error: DRF's 400 from a serializer;
- ``{"detail": ..., "code": ...}``: a refusal with a stable code, a service's
  ``DomainError`` or a request the middleware turns away before any view (a NUL
  character, bytes that are not UTF-8, an overlong path segment, a body too large).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

VALIDATION_ERROR_COMPONENT = "ValidationError"


class ErrorSerializer(serializers.Serializer):
    """A refusal of the request as a whole: not signed in, not allowed, not found, too many."""

    detail = serializers.CharField(read_only=True, help_text=_("why the request was refused"))


class CodedErrorSerializer(serializers.Serializer):
    """A refusal with a stable code that a client can act on."""

    detail = serializers.CharField(read_only=True, help_text=_("why the request was refused"))
    code = serializers.CharField(read_only=True, help_text=_("stable code of the refusal"))


class RequestErrorSerializer(serializers.Serializer):
    """A refusal of the request as a whole, with a stable code when it has one.

    DRF's parse errors (a body that is not JSON) have none; a service's or the
    middleware's refusals do.
    """

    detail = serializers.CharField(help_text=_("why the request was refused"))
    code = serializers.CharField(required=False,
                                 help_text=_("stable code of the refusal, when it has one"))


class ValidationErrorSerializer(serializers.Serializer):
    """DRF's 400: each field in error with its messages.

    A nested object's errors nest under its name, a list's under the item's
    index; errors of no one field are under ``non_field_errors``. The shape is
    given by ``ValidationErrorSchema`` below: a serializer cannot say "any key".
    """


class ValidationErrorSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def get_name(self, auto_schema: Any, direction: str) -> str:
        return VALIDATION_ERROR_COMPONENT

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        itself = {"$ref": f"#/components/schemas/{VALIDATION_ERROR_COMPONENT}"}
        messages = {"type": "array", "items": {"anyOf": [{"type": "string"}, itself]}}
        return {
            "type": "object",
            "description": "The fields in error, each with its messages; nested fields nest.",
            "additionalProperties": {"anyOf": [messages, itself]},
        }


# A 400 is either DRF's fields in error, or a refusal of the whole request: a coded one
# (a service's, the middleware's) or DRF's uncoded parse error. Never both: a refusal's
# detail is text, a field's errors are a list or an object.
BAD_REQUEST_BODY = PolymorphicProxySerializer(
    component_name="BadRequest",
    serializers=[ValidationErrorSerializer, RequestErrorSerializer],
    resource_type_field_name=None,
)
MALFORMED = OpenApiResponse(
    CodedErrorSerializer,
    description="a NUL character, bytes that are not UTF-8 or an overlong part in the address",
)
# The answers of every endpoint a token reaches.
NOT_SIGNED_IN = OpenApiResponse(
    ErrorSerializer,
    description="no credentials, or a token that is unknown, revoked or expired",
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description="too many requests with this token; wait the seconds in Retry-After",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After", OpenApiTypes.INT, location=OpenApiParameter.HEADER, response=[429],
    description="seconds to wait before the next request",
)
WWW_AUTHENTICATE = OpenApiParameter(
    "WWW-Authenticate", OpenApiTypes.STR, location=OpenApiParameter.HEADER, response=[401],
    description="the scheme to authenticate with: Token",
)
