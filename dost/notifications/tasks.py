"""Background delivery of the SMS outbox (thin: the work is in ``services``)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from dost.notifications.services import sms_deliver_due

DELIVERY_BATCH = 100
# Bounds one run, so a large backlog (a scan awarding thousands) is shared
# between runs and workers instead of holding one worker for hours.
MAX_BATCHES = 50


@shared_task(ignore_result=True)
def deliver_sms_outbox() -> int:
    """Send due messages until none is left or ``MAX_BATCHES`` batches were sent."""
    attempted = 0
    for _batch in range(MAX_BATCHES):
        batch = sms_deliver_due(limit=DELIVERY_BATCH)
        attempted += batch
        if batch < DELIVERY_BATCH:
            break
    return attempted


def schedule_delivery() -> None:
    """Deliver the outbox once the current transaction commits.

    ``robust``: the messages are committed, so a broker that is down must not
    turn the caller's success into an error; the periodic run will send them.
    """
    transaction.on_commit(lambda: deliver_sms_outbox.delay(), robust=True)
