from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection

from dost.payments.models import BankRequest, PaymentSchedule


def test_request_inserted_with_only_business_columns_is_queued_with_defaults(
    queue_bank_request, person
):
    request = queue_bank_request(person, kind="payment", amount="120.50",
                                 iban="AZ21NABZ00000000137010001944")

    assert request.status == BankRequest.Status.QUEUED
    assert request.attempts == 0
    assert request.bank_reference == ""
    assert request.last_error == ""
    assert request.created_at is not None
    assert request.next_attempt_at is not None
    assert request.updated_at is None


def test_open_account_request_may_leave_amount_zero_and_iban_empty(queue_bank_request, person):
    request = queue_bank_request(person, kind="open_account")

    assert request.amount == 0
    assert request.iban == ""


def test_second_request_with_the_same_reference_is_refused(queue_bank_request, person):
    queue_bank_request(person, reference="award:7")

    with pytest.raises(IntegrityError):
        queue_bank_request(person, reference="award:7")


def test_request_of_an_unknown_kind_is_refused_by_the_database(queue_bank_request, person):
    with pytest.raises(IntegrityError):
        queue_bank_request(person, kind="loan")


def test_schedule_inserted_with_only_business_columns_is_active(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2025, 3, 1))

    assert schedule.status == PaymentSchedule.Status.ACTIVE
    assert schedule.ends_on is None
    assert schedule.created_at is not None


def test_payment_month_must_be_the_first_day(add_schedule, person):
    schedule = add_schedule(person, starts_on=dt.date(2025, 3, 1))

    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payments_payment (schedule_id, month, amount) VALUES (%s, %s, 1)",
            [schedule.pk, dt.date(2025, 3, 15)],
        )
