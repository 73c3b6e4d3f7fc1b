"""Registry facts as the institutions report them, and an application filed through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dost.accounts.models import User
from dost.applications.models import Application
from dost.applications.services import application_submit
from dost.registry.models import Contribution, EmploymentSpell, Person
from tests.documents import pdf_bytes

VALID_IBAN = "AZ21NABZ00000000137010001944"
PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def lay_off(person: Person, *, reason: str = "staff_cut", months_ago: int = 1,
            insured_years: int = 3) -> EmploymentSpell:
    """A job that ended recently, and the contributions of the years before it."""
    ended_on = timezone.localdate() - dt.timedelta(days=30 * months_ago)
    spell = EmploymentSpell.objects.create(
        person=person, employer_name="Bakı Tekstil", employer_tin="1234567890",
        occupation_code="7531", started_on=ended_on - dt.timedelta(days=365 * insured_years),
        ended_on=ended_on, end_reason=reason, monthly_wage=Decimal("800"), source_id="labour")
    Contribution.objects.bulk_create(
        Contribution(person=person, year=year, insured_months=12, wage_total=Decimal("9600"),
                     amount=Decimal("2400"), source_id="sssf")
        for year in range(ended_on.year - insured_years, ended_on.year + 1)
    )
    return spell


def pdf(name: str = "labour-book.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def apply_for_unemployment(user: User, **data: object) -> Application:
    answers = {"bank_account": VALID_IBAN, "looking_for_work": "on"}
    answers.update(data)
    return application_submit(person=user.person, type_code="unemployment_insurance",
                              data=answers, submitted_by=user)


def apply_for_recalculation(user: User, *, files: dict | None = None,
                            **data: object) -> Application:
    answers = {"reason": "wages_wrong", "details": "My wages in 2019 were higher."}
    answers.update(data)
    return application_submit(person=user.person, type_code="pension_recalculation",
                              data=answers, files=files or {}, submitted_by=user)
