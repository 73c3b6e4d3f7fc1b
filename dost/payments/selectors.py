"""Reads of payment schedules and payments."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from dost.payments.models import Payment, PaymentSchedule


def payments_for_person(person_id: int) -> QuerySet[PaymentSchedule]:
    """The person's payment schedules, latest first, each with ``payments`` (latest month
    first) prefetched: two queries however many there are."""
    return (
        PaymentSchedule.objects.filter(person_id=person_id)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-month")))
        .order_by("-starts_on", "-id")
    )
