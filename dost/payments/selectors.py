"""Reads of payment schedules and payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from dost.payments.models import Payment, PaymentSchedule


def payments_for_person(person_id: int) -> QuerySet[PaymentSchedule]:
    """The person's payment schedules, latest first, each with ``payments`` (latest month
    first) prefetched: two queries however many there are."""
    return (
        PaymentSchedule.objects.filter(person_id=person_id)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-month")))
        .order_by("-starts_on", "-id")
    )


@dataclass(frozen=True)
class PaymentLine:
    """One month's payment as the citizen hears of it: the month, the amount, where it is."""

    month: dt.date
    amount: Decimal
    # Payment.Status; "" for a month not planned yet.
    status: str = ""

    def get_status_display(self) -> str:
        return str(Payment.Status(self.status).label) if self.status else ""


@dataclass(frozen=True)
class PaymentSummary:
    last: PaymentLine | None
    next: PaymentLine | None


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def payment_summary(person_id: int, *, today: dt.date) -> PaymentSummary:
    """The person's last payment sent to the bank (or failed there) and their next one: the
    earliest month planned and not sent yet, else next month of a schedule still running.
    Three queries at most, whatever the number of schedules."""
    payments = Payment.objects.filter(schedule__person_id=person_id)
    last = (payments.filter(status__in=[Payment.Status.SENT, Payment.Status.PAID,
                                        Payment.Status.FAILED])
            .order_by("-month", "-id").values("month", "amount", "status").first())
    upcoming = (payments.filter(status=Payment.Status.QUEUED)
                .order_by("month", "id").values("month", "amount", "status").first())
    if upcoming is None:
        month = _first_of_next_month(today)
        running = (PaymentSchedule.objects
                   .filter(person_id=person_id, status=PaymentSchedule.Status.ACTIVE,
                           starts_on__lte=month)
                   .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month))
                   .aggregate(amount=Sum("monthly_amount")))
        if running["amount"] is not None:
            upcoming = {"month": month, "amount": running["amount"], "status": ""}
    return PaymentSummary(last=PaymentLine(**last) if last else None,
                          next=PaymentLine(**upcoming) if upcoming else None)
