from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dost.errors import DomainError
from dost.payments.models import Payment, PaymentSchedule
from dost.payments.services import payment_schedule_stop, payments_plan_month


def _first_of_month(months_from_now: int) -> dt.date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + months_from_now
    return dt.date(index // 12, index % 12 + 1, 1)


def _plan(*months: dt.date) -> None:
    for month in months:
        payments_plan_month(month=month)


def test_stopped_schedule_pays_the_month_of_its_last_day_and_none_after(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2025, 1, 1))
    next_month, month_after = _first_of_month(1), _first_of_month(2)

    payment_schedule_stop(reference=schedule.reference,
                          last_day=next_month + dt.timedelta(days=9))
    _plan(next_month, month_after)

    assert list(Payment.objects.values_list("month", flat=True)) == [next_month]


def test_stopping_removes_unsent_payments_for_later_months_only(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2025, 1, 1))
    _plan(dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1))
    # The bank already has May's payment; April's is still only a plan.
    Payment.objects.filter(month=dt.date(2025, 5, 1)).update(status=Payment.Status.SENT)

    payment_schedule_stop(reference=schedule.reference, last_day=dt.date(2025, 3, 31))

    assert sorted(Payment.objects.values_list("month", flat=True)) == [
        dt.date(2025, 3, 1), dt.date(2025, 5, 1),
    ]


def test_schedule_whose_last_day_has_passed_is_marked_stopped(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2020, 1, 1))

    stopped = payment_schedule_stop(reference=schedule.reference,
                                    last_day=_first_of_month(0) - dt.timedelta(days=1))

    assert stopped.status == PaymentSchedule.Status.STOPPED


def test_schedule_ending_later_stays_active_to_plan_its_remaining_months(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2020, 1, 1))
    next_month = _first_of_month(1)

    stopped = payment_schedule_stop(reference=schedule.reference, last_day=next_month)
    _plan(next_month)

    assert stopped.status == PaymentSchedule.Status.ACTIVE
    assert stopped.ends_on == next_month
    assert Payment.objects.filter(month=next_month).exists()


def test_stopping_never_extends_an_earlier_end(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 3, 31))

    stopped = payment_schedule_stop(reference=schedule.reference, last_day=dt.date(2025, 9, 30))

    assert stopped.ends_on == dt.date(2025, 3, 31)


def test_schedule_stopped_before_its_first_day_pays_nothing(add_schedule, person):
    starts_on = _first_of_month(1) + dt.timedelta(days=14)
    schedule = add_schedule(person, starts_on=starts_on)
    _plan(starts_on)

    stopped = payment_schedule_stop(reference=schedule.reference,
                                    last_day=starts_on - dt.timedelta(days=5))
    _plan(starts_on)

    assert stopped.status == PaymentSchedule.Status.STOPPED
    assert not Payment.objects.exists()


def test_stopping_an_unknown_schedule_is_refused(db):
    with pytest.raises(DomainError) as refusal:
        payment_schedule_stop(reference="award:404", last_day=dt.date(2025, 3, 31))

    assert refusal.value.code == "unknown_schedule"
