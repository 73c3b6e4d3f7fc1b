"""Outbox rows are set up the way the proactive engine writes them: raw SQL that
supplies only the business columns and leaves the rest to database defaults."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection

from dost.payments.models import BankRequest, PaymentSchedule
from dost.registry.models import Person


@pytest.fixture
def queue_bank_request(db):
    numbers = count(1)

    def queue(person: Person, *, kind: str = "open_account", amount: str = "0",
              iban: str = "", reference: str | None = None) -> BankRequest:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO payments_bankrequest (person_id, reference, kind, amount, iban) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                [person.pk, reference or f"award:{next(numbers)}", kind, Decimal(amount), iban],
            )
            (pk,) = cursor.fetchone()
        return BankRequest.objects.get(pk=pk)

    return queue


@pytest.fixture
def add_schedule(db):
    numbers = count(1)

    def add(person: Person, *, starts_on: dt.date, ends_on: dt.date | None = None,
            monthly_amount: str = "250.00") -> PaymentSchedule:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO payments_paymentschedule "
                "(person_id, reference, monthly_amount, starts_on, ends_on) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                [person.pk, f"award:{next(numbers)}", Decimal(monthly_amount), starts_on,
                 ends_on],
            )
            (pk,) = cursor.fetchone()
        return PaymentSchedule.objects.get(pk=pk)

    return add


@pytest.fixture
def person(make_person) -> Person:
    """A citizen with no bank account yet."""
    return make_person(fin="7PAY001")
