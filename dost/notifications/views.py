"""Delivery reports posted by Twilio."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from dost.http import client_ip
from dost.notifications.services import sms_record_delivery_report

logger = logging.getLogger(__name__)


def _signed_by_twilio(request: HttpRequest) -> bool:
    """Whether the request carries a valid ``X-Twilio-Signature``.

    The URL must be the one Twilio called: behind a proxy that terminates TLS,
    ``SECURE_PROXY_SSL_HEADER`` (and the forwarded host) must be configured.
    """
    auth_token = getattr(settings, "TWILIO_AUTH_TOKEN", "")
    signature = request.headers.get("X-Twilio-Signature", "")
    # Without a token anyone could compute a "valid" signature over an empty key.
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(
        request.build_absolute_uri(), request.POST, signature
    )


@csrf_exempt  # Twilio cannot send a CSRF token; the signature authenticates the request.
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed_by_twilio(request):
        logger.warning(
            "Refused an unsigned or wrongly signed Twilio report from %s",
            client_ip(request),
        )
        return HttpResponseForbidden()
    sms_record_delivery_report(
        provider_id=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    # 200 even for an unknown message: an error would only make Twilio retry.
    return HttpResponse(status=200)
