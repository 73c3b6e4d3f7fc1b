"""Background tasks of targeted social assistance (thin: they call services)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction

from vemtas.changes import awards_recheck, renewals_invite
from vemtas.checks import BATCH_SIZE, cases_cross_check


@shared_task(ignore_result=True)
def cross_check_pending() -> dict[str, Any]:
    """One batch of pending cases cross-checked and decided; workers share the queue
    (claimed with SKIP LOCKED), and a full batch sends the next one at once."""
    outcome = cases_cross_check()
    if not outcome.waiting and outcome.claimed >= BATCH_SIZE:
        cross_check_pending.delay()
    return {"claimed": outcome.claimed, "refused": outcome.refused, "visit": outcome.visit,
            "awarded": outcome.awarded, "waiting": outcome.waiting}


@shared_task(ignore_result=True)
def recheck_awards() -> int:
    return awards_recheck()


@shared_task(ignore_result=True)
def invite_renewals() -> int:
    return renewals_invite()


def schedule_cross_check() -> None:
    """Check the cases just submitted once their transaction commits, not a minute later."""
    transaction.on_commit(cross_check_pending.delay)
