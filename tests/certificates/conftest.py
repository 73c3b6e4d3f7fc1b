"""Citizens with something to certify: an award, jobs, social-insurance contributions."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from decimal import Decimal

import pytest
from django.core.cache import cache

from dost.accounts.models import User
from dost.certificates.models import Certificate
from dost.certificates.services import certificate_issue
from dost.entitlements.models import Award
from dost.entitlements.services import entitlements_for_people
from dost.registry.models import Contribution, EmploymentSpell, FamilyRelation, Person


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The verification counter lives in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def give_birth(mother: Person, make_person, *, fin: str = "1BBY777") -> Award:
    """A child is registered; the childbirth allowance is awarded to the mother."""
    baby = make_person(fin=fin, first_name="Nərgiz",
                       birth_date=dt.date.today() - dt.timedelta(days=2))
    FamilyRelation.objects.create(person=baby, relative=mother, kind="parent",
                                  source_id="justice")
    entitlements_for_people(people=[mother.pk], on=dt.date.today())
    return Award.objects.get(person=mother, basis_person=baby)


def employ(person: Person, employer: str, started_on: dt.date,
           ended_on: dt.date | None = None) -> EmploymentSpell:
    return EmploymentSpell.objects.create(
        person=person, employer_name=employer, employer_tin="1234567890",
        occupation_code="2411", started_on=started_on, ended_on=ended_on,
        monthly_wage=Decimal("900"), source_id="labour")


def insure(person: Person, years: range, *, amount: str = "2400.00") -> None:
    Contribution.objects.bulk_create(
        Contribution(person=person, year=year, insured_months=12, wage_total=Decimal(amount) * 4,
                     amount=Decimal(amount), source_id="sssf")
        for year in years
    )


@pytest.fixture
def alice_award(alice: User, make_person) -> Award:
    return give_birth(alice.person, make_person)


@pytest.fixture
def alice_certificate(alice: User, alice_award: Award) -> Certificate:
    """Alice's award statement, issued in English, sharing nothing beyond the defaults."""
    return certificate_issue(person=alice.person, kind="award_statement",
                             options={"award": alice_award.pk}, language="en")


def pdf_font_names(pdf: bytes) -> set[str]:
    """Names of the fonts a PDF embeds (WeasyPrint compresses its object streams)."""
    names: set[str] = set()
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            content = zlib.decompressobj().decompress(pdf[match.end():])
        except zlib.error:
            continue
        names.update(name.decode() for name in re.findall(rb"/BaseFont\s*/([\w+\-]+)", content))
    return names
