"""Reads of the voice menu's own records: a call's state, the callers waiting for an agent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from callcentre.models import IvrCall, IvrHandover

# The console lists the callers most likely still on the line, longest waiting first.
WAITING_LISTED = 20


def ivr_call(call_sid: str) -> IvrCall | None:
    return IvrCall.objects.select_related("person").filter(call_sid=call_sid).first()


def waiting_handovers() -> list[IvrHandover]:
    """Callers put through to the agents and not taken yet, within the wait a caller bears
    (``IVR_HANDOVER_WAIT_MINUTES``): older ones have hung up."""
    since = timezone.now() - dt.timedelta(minutes=settings.IVR_HANDOVER_WAIT_MINUTES)
    return list(IvrHandover.objects.select_related("person")
                .filter(taken_at__isnull=True, requested_at__gte=since)
                .order_by("requested_at", "id")[:WAITING_LISTED])


def handover_exists(pk: int) -> bool:
    return IvrHandover.objects.filter(pk=pk).exists()
