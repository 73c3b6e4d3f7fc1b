"""Whether a request really comes from Twilio: its webhooks carry no token or session, only
a signature over the address and the form, made with our account's auth token.

Shared by every webhook Twilio calls (delivery reports, voice calls, inbound SMS).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest
from twilio.request_validator import RequestValidator


def signed_by_twilio(request: HttpRequest, form: Mapping[str, str]) -> bool:
    """Whether the request carries a valid ``X-Twilio-Signature`` over its URL and ``form``.

    The URL must be the one Twilio called: behind a proxy that terminates TLS,
    ``SECURE_PROXY_SSL_HEADER`` (and the forwarded host) must be configured.
    """
    auth_token = getattr(settings, "TWILIO_AUTH_TOKEN", "")
    signature = request.headers.get("X-Twilio-Signature", "")
    # Without a token anyone could compute a "valid" signature over an empty key.
    if not auth_token or not signature:
        return False
    return bool(RequestValidator(auth_token).validate(
        request.build_absolute_uri(), dict(form), signature
    ))


def posted_form(request: HttpRequest) -> dict[str, str]:
    """A form-encoded POST as Twilio sent it, one value a field, for ``signed_by_twilio``."""
    return {key: request.POST.get(key, "") for key in request.POST}
