"""Background tasks of payments (thin: they call services)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from dost.payments.services import bank_requests_deliver_due, payments_plan_month

DELIVERY_BATCH_SIZE = 100


@shared_task
def deliver_bank_requests() -> int:
    """Deliver every due bank request, a batch at a time; returns how many were handled."""
    handled = 0
    while True:
        batch = bank_requests_deliver_due(limit=DELIVERY_BATCH_SIZE)
        handled += batch
        # A short batch means nothing more is due: failures were pushed into the future.
        if batch < DELIVERY_BATCH_SIZE:
            return handled


@shared_task
def plan_monthly_payments() -> int:
    """Plan the current month's payments; safe to run daily, as re-runs create nothing new."""
    return payments_plan_month(month=timezone.localdate())


def schedule_delivery() -> None:
    """Deliver bank requests once the current transaction commits.

    Call it after queueing requests, so the worker never looks before they exist.
    """
    transaction.on_commit(lambda: deliver_bank_requests.delay())
