from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dost.payments.models import Payment
from dost.payments.services import payments_plan_month
from dost.payments.tasks import plan_monthly_payments

MARCH = dt.date(2025, 3, 1)


def test_planning_a_month_creates_one_payment_per_active_schedule_covering_it(
    add_schedule, make_person
):
    first = add_schedule(make_person(), starts_on=dt.date(2025, 1, 1), monthly_amount="250.00")
    second = add_schedule(make_person(), starts_on=dt.date(2024, 6, 1),
                          ends_on=dt.date(2025, 12, 31), monthly_amount="99.90")

    created = payments_plan_month(month=MARCH)

    assert created == 2
    assert set(Payment.objects.values_list("schedule_id", "month", "amount", "status")) == {
        (first.pk, MARCH, Decimal("250.00"), "queued"),
        (second.pk, MARCH, Decimal("99.90"), "queued"),
    }


def test_any_day_of_the_month_plans_that_month(add_schedule, person):
    add_schedule(person, starts_on=dt.date(2025, 1, 1))

    payments_plan_month(month=dt.date(2025, 3, 17))

    assert list(Payment.objects.values_list("month", flat=True)) == [MARCH]


def test_schedules_ended_before_or_starting_after_the_month_get_no_payment(
    add_schedule, make_person
):
    add_schedule(make_person(), starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2025, 2, 28))
    add_schedule(make_person(), starts_on=dt.date(2025, 4, 1))

    assert payments_plan_month(month=MARCH) == 0
    assert not Payment.objects.exists()


def test_schedules_starting_or_ending_within_the_month_are_paid_that_month(
    add_schedule, make_person
):
    add_schedule(make_person(), starts_on=dt.date(2025, 3, 31))
    add_schedule(make_person(), starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2025, 3, 1))

    assert payments_plan_month(month=MARCH) == 2


def test_stopped_schedule_is_not_planned(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2025, 1, 1))
    schedule.status = schedule.Status.STOPPED
    schedule.save(update_fields=["status"])

    assert payments_plan_month(month=MARCH) == 0


def test_planning_a_month_twice_creates_nothing_new(add_schedule, make_person):
    add_schedule(make_person(), starts_on=dt.date(2025, 1, 1))
    payments_plan_month(month=MARCH)
    add_schedule(make_person(), starts_on=dt.date(2025, 3, 1))

    created_again = payments_plan_month(month=MARCH)

    assert created_again == 1
    assert Payment.objects.count() == 2


def test_planning_fifty_schedules_takes_a_constant_few_queries(
    add_schedule, make_person, django_assert_max_num_queries
):
    for _number in range(50):
        add_schedule(make_person(), starts_on=dt.date(2025, 1, 1))

    # Savepoint, lock, insert, release: the same for 50 schedules as for 5 million.
    with django_assert_max_num_queries(4):
        created = payments_plan_month(month=MARCH)

    assert created == 50


def test_monthly_task_plans_the_current_month(add_schedule, person):
    add_schedule(person, starts_on=dt.date(2024, 1, 1))

    assert plan_monthly_payments.delay().get() == 1
    assert Payment.objects.get().month == timezone.localdate().replace(day=1)
