"""Helpers that set up the registry facts pension rules read, as institutions report them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from dost.entitlements.models import Award, ScanRun
from dost.entitlements.selectors import award_explanation
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.tasks import scan_launch
from dost.registry.models import (
    Contribution,
    DisabilityStatus,
    EmploymentSpell,
    FamilyRelation,
    Person,
)

# Rules read the parameters in force on this day: women and men retire at 65,
# the minimum pension is 349.76 AZN.
TODAY = dt.date(2026, 11, 23)
MINIMUM_PENSION = Decimal("349.76")


def insure(person: Person, years: range, *, amount: str = "3000", months: int = 12) -> None:
    """Record a year of contributions for every year in ``years``."""
    Contribution.objects.bulk_create(
        Contribution(person=person, year=year, insured_months=months,
                     wage_total=Decimal(amount) * 4, amount=Decimal(amount), source_id="sssf")
        for year in years
    )


def employ(person: Person, started_on: dt.date, ended_on: dt.date | None) -> None:
    EmploymentSpell.objects.create(person=person, employer_name="Bakı Tekstil",
                                   employer_tin="1234567890", occupation_code="7531",
                                   started_on=started_on, ended_on=ended_on,
                                   monthly_wage=Decimal("500"), source_id="labour")


def find_disabled(person: Person, *, determined_on: dt.date, valid_until: dt.date | None = None,
                  percent: int = 70) -> DisabilityStatus:
    return DisabilityStatus.objects.create(person=person, percent=percent,
                                           determined_on=determined_on, valid_until=valid_until,
                                           source_id="msec")


def make_parent(child: Person, parent: Person, *, kind: str = "parent",
                since: dt.date | None = None) -> None:
    FamilyRelation.objects.create(person=child, relative=parent, kind=kind, since=since,
                                  source_id="justice")


def marry(first: Person, second: Person) -> None:
    # Spouses are stored in both directions, as the registry does.
    for person, relative in ((first, second), (second, first)):
        FamilyRelation.objects.create(person=person, relative=relative, kind="spouse",
                                      source_id="justice")


def record_death(person: Person, on: dt.date) -> None:
    # As the civil registry's death event does: the record shows when it changed.
    Person.objects.filter(pk=person.pk).update(death_date=on, updated_at=timezone.now())


def run_rules(*people: Person, on: dt.date = TODAY) -> int:
    """Run every rule for ``people``, as a life event does; returns the awards made."""
    return entitlements_for_people(people=[person.pk for person in people], on=on)


@pytest.fixture
def scan(django_capture_on_commit_callbacks) -> Callable[..., ScanRun]:
    """A scan, its chunk tasks run in-process once the scan is committed."""

    def run(on: dt.date = TODAY, *, chunk_size: int = 100_000, full: bool = False) -> ScanRun:
        with django_capture_on_commit_callbacks(execute=True):
            scan_run = scan_launch(on=on, chunk_size=chunk_size, full=full)
        scan_run.refresh_from_db()
        return scan_run

    return run


def awards_of(person: Person, benefit: str) -> list[Award]:
    return list(Award.objects.filter(person=person, benefit=benefit).order_by("id"))


def reasons_in_english(award: Award) -> str:
    """The award's explanation, in English whatever the catalogue's state."""
    with translation.override("en"):
        return " ".join(award_explanation(award).reasons)
