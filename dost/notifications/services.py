"""Writes to the SMS outbox: queueing, delivery with retries, delivery reports."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone

from dost.notifications.models import SmsMessage
from dost.notifications.senders import SmsSender, get_sender
from dost.notifications.templates import render_message, template_renderer
from dost.outbox import MAX_ATTEMPTS, retry_delay
from dost.registry.models import Person

logger = logging.getLogger(__name__)

SMS_MAX_ATTEMPTS = MAX_ATTEMPTS
LAST_ERROR_LENGTH = 500

Status = SmsMessage.Status

# Twilio's final states that we record; "queued", "sending", "sent" and the like
# are steps we already know about and are ignored.
_REPORTED_STATUSES = {
    "delivered": Status.DELIVERED,
    "failed": Status.FAILED,
    "undelivered": Status.UNDELIVERED,
}


sms_retry_delay = retry_delay


def sms_enqueue(
    *, person: Person, template: str, context: Mapping[str, Any], dedupe_key: str
) -> SmsMessage | None:
    """Queue an SMS to ``person``; returns None, queueing nothing, if they have no phone.

    A repeated ``dedupe_key`` queues nothing and returns the message queued the
    first time. Nothing is sent here: call ``tasks.schedule_delivery()`` in the
    same transaction to have it sent once that transaction commits.
    """
    # Refused now, while the caller can still fix it, rather than after five failed sends.
    template_renderer(template)
    if not person.phone:
        return None
    message, _created = SmsMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "person": person,
            "phone": person.phone,
            "language": person.language,
            "template": template,
            "context": dict(context),
        },
    )
    return message


def sms_deliver_due(*, limit: int = 100) -> int:
    """Send up to ``limit`` due messages; returns how many were attempted.

    Each message is claimed with ``FOR UPDATE SKIP LOCKED``, sent and recorded
    in its own transaction: another worker skips a message being sent rather
    than sending it again, and one slow or failing message delays no other.
    A sent message is ``sent`` with the provider's id; a failure is retried with
    growing delays, and after ``SMS_MAX_ATTEMPTS`` the message is ``failed``
    (kept, with the last error, for staff to see).

    Delivery is at least once: if the process dies after the provider accepted
    a message but before the commit, the message is sent again.
    """
    sender = get_sender()
    attempted = 0
    while attempted < limit:
        with transaction.atomic():
            message = (
                SmsMessage.objects.select_for_update(skip_locked=True)
                .filter(status=Status.QUEUED, next_attempt_at__lte=Now())
                .order_by("next_attempt_at")
                .first()
            )
            if message is None:
                break
            _deliver(message, sender)
        attempted += 1
    return attempted


def _deliver(message: SmsMessage, sender: SmsSender) -> None:
    if not message.phone:
        # Retrying cannot help; the row stays for staff to see who was not told.
        message.status = Status.FAILED
        message.last_error = "no phone number"
        message.save(update_fields=["status", "last_error"])
        return
    try:
        text = render_message(message.template, message.context, message.language)
        provider_id = sender.send(message, text)
    except Exception as exc:  # noqa: BLE001
        # Any failure (provider error, timeout, a template not deployed on this
        # worker yet) is retried later; the message is never dropped.
        _record_failure(message, exc)
        return
    message.status = Status.SENT
    message.provider_id = provider_id
    message.sent_at = timezone.now()
    # last_error is kept: it tells staff why an earlier attempt failed.
    message.save(update_fields=["status", "provider_id", "sent_at"])


def _record_failure(message: SmsMessage, exc: Exception) -> None:
    message.attempts += 1
    message.last_error = (str(exc) or repr(exc))[:LAST_ERROR_LENGTH]
    if message.attempts >= SMS_MAX_ATTEMPTS:
        message.status = Status.FAILED
    else:
        message.next_attempt_at = timezone.now() + sms_retry_delay(message.attempts)
    message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning("SMS %s attempt %s failed: %s", message.pk, message.attempts, message.last_error)


def sms_record_delivery_report(
    *, provider_id: str, provider_status: str, error_code: str = ""
) -> bool:
    """Record the provider's report on a sent message; returns whether a message changed.

    Only final states are recorded, and ``delivered`` is never overwritten:
    reports may arrive out of order, and a delivered message stays delivered.
    """
    status = _REPORTED_STATUSES.get(provider_status)
    # An empty id would match every message not yet sent.
    if not provider_id or status is None:
        return False
    messages = SmsMessage.objects.filter(provider_id=provider_id).exclude(status=Status.DELIVERED)
    if status == Status.DELIVERED:
        changed = messages.update(status=status, delivered_at=Now())
    else:
        error = f"provider reported {provider_status}"
        if error_code:
            error += f", error code {error_code}"
        changed = messages.update(status=status, last_error=error[:LAST_ERROR_LENGTH])
    return changed > 0
