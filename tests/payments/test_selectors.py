from __future__ import annotations

import datetime as dt

from dost.payments.selectors import payments_for_person
from dost.payments.services import payments_plan_month


def test_person_sees_own_schedules_with_payments_latest_first(add_schedule, alice, bob):
    older = add_schedule(alice.person, starts_on=dt.date(2024, 1, 1))
    newer = add_schedule(alice.person, starts_on=dt.date(2025, 2, 1))
    add_schedule(bob.person, starts_on=dt.date(2024, 1, 1))
    for month in (dt.date(2025, 2, 1), dt.date(2025, 3, 1)):
        payments_plan_month(month=month)

    schedules = list(payments_for_person(alice.person_id))

    assert schedules == [newer, older]
    assert [payment.month for payment in schedules[1].payments.all()] == [
        dt.date(2025, 3, 1), dt.date(2025, 2, 1),
    ]


def test_listing_payments_takes_two_queries_however_many_schedules(
    add_schedule, alice, django_assert_num_queries
):
    for _number in range(5):
        add_schedule(alice.person, starts_on=dt.date(2025, 1, 1))
    payments_plan_month(month=dt.date(2025, 3, 1))

    with django_assert_num_queries(2):
        months = [payment.month for schedule in payments_for_person(alice.person_id)
                  for payment in schedule.payments.all()]

    assert len(months) == 5
