"""Households for targeted-assistance tests, and a way to apply as a given day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from django.db import transaction

from dost.applications.models import Application
from dost.bridge.registers import JobSeeker
from dost.registry.models import Household, Person
from dost.registry.services import person_register
from vemtas.models import Case
from vemtas.services import case_open

_numbers = count(1)


def person(household: Household | None, *, birth: dt.date, sex: str = "F",
           phone: str = "", first_name: str = "Aysel", **extra) -> Person:
    number = next(_numbers)
    return person_register(
        fin=f"V{number:05d}T", first_name=first_name, last_name="Quliyeva", sex=sex,
        birth_date=birth, source="justice", region="nasimi", phone=phone,
        household_id=household.pk if household else None, **extra)


def household(*births: dt.date, phone: str = "+994501234567",
              idle: tuple[int, ...] = ()) -> tuple[Household, list[Person]]:
    """A household in Nasimi: the first person (the applicant) has the phone. Adults of
    working age are registered job seekers, except those whose positions ``idle`` names."""
    home = Household.objects.create(region_id="nasimi", address="Nizami 1",
                                    source_id="justice")
    people = [person(home, birth=birth, phone=phone if index == 0 else "")
              for index, birth in enumerate(births)]
    for index, member in enumerate(people):
        if index not in idle and dt.date(1962, 1, 1) < member.birth_date < dt.date(2008, 1, 1):
            JobSeeker.objects.create(person=member, registered_on=dt.date(2020, 1, 1),
                                     source_id="employment_service")
    return home, people


def apply(applicant: Person, *, on: dt.date, income: str = "0", business: bool = False,
          confirmed: list[Person] | None = None, submitted_by: Person | None = None) -> Case:
    """Open a case as if applied on ``on`` (every member confirmed unless told); a refusal
    saves nothing, as in the portal's submitting transaction."""
    with transaction.atomic():
        return _apply(applicant, on=on, income=income, business=business, confirmed=confirmed,
                      submitted_by=submitted_by)


def _apply(applicant: Person, *, on: dt.date, income: str, business: bool,
           confirmed: list[Person] | None, submitted_by: Person | None) -> Case:
    submitter = submitted_by or applicant
    application = Application.objects.create(
        person=submitter, type_code="targeted_social_assistance", status="submitted",
        data={"monthly_income": income})
    application.reference = f"T-{application.pk}"
    application.save(update_fields=["reference"])
    members = confirmed if confirmed is not None else list(
        Person.objects.filter(household_id=applicant.household_id))
    return case_open(application=application, applicant=applicant, submitted_by=submitter,
                     declared_income=Decimal(income), declared_business=business,
                     confirmed=[member.pk for member in members], on=on)
