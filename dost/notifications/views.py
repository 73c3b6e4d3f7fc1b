"""Delivery reports posted by Twilio.

A DRF view so that the API's schema documents it like every other answer the API
gives; it takes no token or session: Twilio's signature over the form is its credential.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dost.api_errors import MALFORMED, CodedErrorSerializer, ErrorSerializer
from dost.http import client_ip
from dost.notifications.services import sms_record_delivery_report
from dost.notifications.twilio_signature import signed_by_twilio

logger = logging.getLogger(__name__)


# Kept under its old name: the check now lives in ``twilio_signature`` for every webhook.
_signed_by_twilio = signed_by_twilio


class DeliveryReportSerializer(serializers.Serializer):
    """The fields of Twilio's status callback the project reads (Twilio sends more)."""

    MessageSid = serializers.CharField(help_text=_("Twilio's id of the message"))
    MessageStatus = serializers.CharField(help_text=_("queued, sent, delivered, undelivered, "
                                                      "failed, ..."))
    ErrorCode = serializers.CharField(required=False, help_text=_("when it failed"))


class TwilioStatusView(APIView):
    """A delivery report from Twilio; only a request Twilio signed changes anything."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes = [FormParser]

    @extend_schema(
        summary="SMS delivery report (Twilio's status callback)",
        description=(
            "Twilio posts the status of a message it was given. The request must carry a "
            "valid X-Twilio-Signature over the address and the form; a report of a message "
            "the project does not know is answered 200 all the same, since an error would "
            "only make Twilio retry."
        ),
        request={"application/x-www-form-urlencoded": DeliveryReportSerializer},
        parameters=[OpenApiParameter("X-Twilio-Signature", OpenApiTypes.STR,
                                     location=OpenApiParameter.HEADER, required=True,
                                     description="Twilio's signature of the request")],
        responses={
            200: OpenApiResponse(description="recorded (or unknown, and ignored)"),
            400: MALFORMED,
            403: OpenApiResponse(ErrorSerializer, description="not signed by Twilio"),
            405: OpenApiResponse(ErrorSerializer, description="only POST is answered"),
            413: OpenApiResponse(CodedErrorSerializer,
                                 description="the body is over the size limit; it is not read"),
            415: OpenApiResponse(ErrorSerializer, description="the body is not a form"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        if not signed_by_twilio(request._request, form):
            logger.warning(
                "Refused an unsigned or wrongly signed Twilio report from %s",
                client_ip(request._request),
            )
            raise PermissionDenied(_("The report is not signed by Twilio."))
        sms_record_delivery_report(
            provider_id=form.get("MessageSid", ""),
            provider_status=form.get("MessageStatus", ""),
            error_code=form.get("ErrorCode", ""),
        )
        # 200 even for an unknown message: an error would only make Twilio retry.
        return Response(status=status.HTTP_200_OK)


twilio_status = TwilioStatusView.as_view()
