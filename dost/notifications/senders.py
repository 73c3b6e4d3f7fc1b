"""SMS senders, one small interface chosen by the ``SMS_BACKEND`` setting.

``send`` returns the provider's id for the message and raises on any failure;
the delivery service treats every exception as "try again later".
"""

from __future__ import annotations

import logging
from typing import Protocol

import twilio.rest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient

from dost.notifications.models import SmsMessage

logger = logging.getLogger("dost.sms")

# The delivery service holds the message's row lock while the provider answers:
# a hung connection must not hold it, or a worker, for ever.
TWILIO_TIMEOUT_SECONDS = 15


class SmsSendError(Exception):
    """The provider refused or failed to take the message."""


class SmsSender(Protocol):
    def send(self, message: SmsMessage, text: str) -> str: ...


class ConsoleSender:
    """Development: writes the message to the ``dost.sms`` log instead of sending it."""

    def send(self, message: SmsMessage, text: str) -> str:
        logger.info("SMS %s to %s: %s", message.pk, message.masked_phone, text)
        return f"console-{message.pk}"


class DatabaseSender:
    """Tests: the message is only marked sent in the outbox."""

    def send(self, message: SmsMessage, text: str) -> str:
        return f"database-{message.pk}"


class TwilioSender:
    def __init__(self) -> None:
        account_sid = getattr(settings, "TWILIO_ACCOUNT_SID", "")
        auth_token = getattr(settings, "TWILIO_AUTH_TOKEN", "")
        self.from_number = getattr(settings, "TWILIO_FROM_NUMBER", "")
        if not (account_sid and auth_token and self.from_number):
            raise ImproperlyConfigured(
                "SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
                "TWILIO_FROM_NUMBER."
            )
        # Looked up on the module at call time, so tests can patch ``twilio.rest.Client``.
        self.client = twilio.rest.Client(
            account_sid,
            auth_token,
            http_client=TwilioHttpClient(timeout=TWILIO_TIMEOUT_SECONDS),
        )
        self.status_callback = status_callback_url()

    def send(self, message: SmsMessage, text: str) -> str:
        # Without a public address Twilio cannot reach us: ask for no reports
        # rather than have it post them to a wrong host.
        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            reply = self.client.messages.create(
                to=message.phone, from_=self.from_number, body=text, **extra
            )
        except TwilioRestException as exc:
            # str(exc) may carry terminal colour codes; keep last_error readable.
            raise SmsSendError(
                f"Twilio HTTP {exc.status}, error {exc.code or '-'}: {exc.msg}"
            ) from exc
        return str(reply.sid)


def status_callback_url() -> str:
    """Where Twilio posts delivery reports, or "" when ``PUBLIC_BASE_URL`` is not set."""
    base_url = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    if not base_url:
        return ""
    return base_url + reverse("notifications:twilio-status")


_SENDERS: dict[str, type[SmsSender]] = {
    "console": ConsoleSender,
    "database": DatabaseSender,
    "twilio": TwilioSender,
}


def get_sender() -> SmsSender:
    """A new sender of the configured kind (read on every call so tests can switch it)."""
    name = getattr(settings, "SMS_BACKEND", "console")
    try:
        sender_class = _SENDERS[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown SMS_BACKEND {name!r}; use one of {', '.join(sorted(_SENDERS))}."
        ) from None
    return sender_class()
