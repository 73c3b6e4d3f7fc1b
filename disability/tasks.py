"""Background tasks of the disability subsystem (thin: they call services)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from disability.services.register import assessment_reminders_send


@shared_task(ignore_result=True)
def send_assessment_reminders() -> dict[str, int]:
    """Today's reminders of reassessments due in 60 and 30 days; safe to run twice a day."""
    return assessment_reminders_send(on=timezone.localdate())
