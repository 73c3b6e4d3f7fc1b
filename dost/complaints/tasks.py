"""Background work of complaints (thin: it calls services)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dost.complaints.services import complaints_escalate


@shared_task(ignore_result=True)
def escalate_late_complaints() -> dict[str, int]:
    """Today's escalation of late complaints; running it twice moves nothing more."""
    return complaints_escalate(on=timezone.localdate())
