"""The last and the next payment, as the 142 voice menu reads them to the citizen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dost.payments.models import Payment
from dost.payments.selectors import payment_summary
from dost.payments.services import payments_plan_month

TODAY = dt.date(2026, 5, 14)


def test_nothing_is_paid_or_due_without_a_schedule(alice):
    summary = payment_summary(alice.person_id, today=TODAY)

    assert (summary.last, summary.next) == (None, None)


def test_the_last_payment_sent_and_the_next_planned_one(add_schedule, alice, bob):
    add_schedule(alice.person, starts_on=dt.date(2026, 3, 1), monthly_amount="250.00")
    add_schedule(bob.person, starts_on=dt.date(2026, 1, 1), monthly_amount="999.00")
    for month in (dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)):
        payments_plan_month(month=month)
    Payment.objects.filter(schedule__person=alice.person, month__lt=dt.date(2026, 5, 1)).update(
        status=Payment.Status.PAID)

    summary = payment_summary(alice.person_id, today=TODAY)

    assert summary.last is not None and summary.next is not None
    assert (summary.last.month, summary.last.amount, summary.last.status) == (
        dt.date(2026, 4, 1), Decimal("250.00"), Payment.Status.PAID)
    assert (summary.next.month, summary.next.amount) == (dt.date(2026, 5, 1), Decimal("250.00"))


def test_a_failed_payment_is_the_last_one_heard_of(add_schedule, alice):
    add_schedule(alice.person, starts_on=dt.date(2026, 4, 1))
    payments_plan_month(month=dt.date(2026, 4, 1))
    Payment.objects.update(status=Payment.Status.FAILED)

    summary = payment_summary(alice.person_id, today=TODAY)

    assert summary.last is not None
    assert summary.last.get_status_display() == str(Payment.Status.FAILED.label)


def test_with_nothing_planned_the_next_is_next_month_of_the_schedules_still_running(
        add_schedule, alice):
    add_schedule(alice.person, starts_on=dt.date(2026, 1, 1), monthly_amount="100.00")
    add_schedule(alice.person, starts_on=dt.date(2026, 2, 1), monthly_amount="50.50")
    # Ended before next month: not paid then.
    add_schedule(alice.person, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 5, 31),
                 monthly_amount="70.00")

    summary = payment_summary(alice.person_id, today=TODAY)

    assert summary.last is None
    assert summary.next is not None
    assert (summary.next.month, summary.next.amount, summary.next.status) == (
        dt.date(2026, 6, 1), Decimal("150.50"), "")


def test_the_summary_takes_three_queries_however_many_schedules(add_schedule, alice,
                                                                django_assert_num_queries):
    for _number in range(4):
        add_schedule(alice.person, starts_on=dt.date(2026, 1, 1))

    with django_assert_num_queries(3):
        payment_summary(alice.person_id, today=TODAY)
