"""Reads of the SMS outbox."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from dost.notifications.models import SmsMessage


def sms_messages_of_person(*, person_id: int) -> QuerySet[SmsMessage]:
    """The messages sent (or being sent) to one person, newest first."""
    return SmsMessage.objects.filter(person_id=person_id).order_by("-created_at", "-id")


def sms_count_by_status() -> dict[str, int]:
    """How many messages are in each status, for monitoring the outbox."""
    rows = SmsMessage.objects.order_by().values("status").annotate(count=Count("id"))
    return {row["status"]: row["count"] for row in rows}
