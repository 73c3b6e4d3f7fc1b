"""Background work of CareCall (thin: it calls services)."""

from __future__ import annotations

from celery import shared_task

from dost.carecall.services import rating_requests_for_visits


@shared_task(ignore_result=True)
def ask_ratings_after_visits() -> dict[str, int]:
    """Ask about the centre visits that ended in the last hours; a second run asks no one
    twice."""
    return rating_requests_for_visits()
