"""Background work of the call centre (thin: it calls services)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from callcentre.ivr.services import ivr_calls_forget


@shared_task(ignore_result=True)
def forget_ended_ivr_calls() -> int:
    """Forget the voice menu's calls that can no longer be going on (twice their longest
    life ago), so a caller's FIN is not kept past their call."""
    longest = dt.timedelta(minutes=settings.IVR_CALL_MINUTES)
    return ivr_calls_forget(started_before=timezone.now() - 2 * longest)
