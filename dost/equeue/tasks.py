"""Background tasks of the e-queue (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

from dost.equeue.services import slots_open_ahead


@shared_task
def open_slots_ahead() -> int:
    """Keep two weeks of slots open at every active centre; safe to run daily."""
    return slots_open_ahead()
