"""Shared factories of targeted-assistance tests: a case built directly, as the ORM holds it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.applications.models import Application
from dost.registry.models import Person
from vemtas.models import Case


@pytest.fixture
def make_case(db):
    """``make_case(person, **fields)``: a submitted TSSA e-application and its case.

    The person applies for themself, today, declaring no income; any field of the
    case can be given instead (``state``, ``household``, ``declared_income``...).
    """

    def make(person: Person, **fields) -> Case:
        application = Application.objects.create(
            person=fields.pop("submitted_by", None) or person,
            type_code="targeted_social_assistance", status="submitted")
        applied_on = fields.pop("applied_on", dt.date.today())
        period_start = applied_on.replace(day=1)
        values = {
            "application": application, "applicant": person,
            "household_id": person.household_id, "applied_on": applied_on,
            "period_start": period_start,
            "period_end": (period_start.replace(year=period_start.year + 1)
                           - dt.timedelta(days=1)),
            "declared_income": Decimal("0"),
        }
        values.update(fields)
        return Case.objects.create(**values)

    return make
