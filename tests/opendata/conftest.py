"""Awards made by the engine, for the open datasets to count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from dost.entitlements.services import entitlements_for_people
from dost.registry.models import Person
from tests.pensions.conftest import insure, make_parent


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The datasets are cached between requests; each test starts from its own data.
    cache.clear()
    yield
    cache.clear()


def pensioner(make_person, *, region: str, fin: str) -> Person:
    person = make_person(fin=fin, sex="M", birth_date=dt.date(1950, 3, 1), region=region,
                         first_name="Vüqar", last_name="Ələkbərov")
    insure(person, range(2006, 2026))
    return person


@pytest.fixture
def awards(make_person) -> list[Person]:
    """Five old-age pensioners in Baku, two in Ganja and one childbirth allowance in Baku."""
    today = timezone.localdate()
    people = [pensioner(make_person, region="nasimi", fin=f"7BK{n:03d}P") for n in range(5)]
    people += [pensioner(make_person, region="ganja", fin=f"7GN{n:03d}P") for n in range(2)]
    mother = make_person(fin="7MM001P", first_name="Nərgiz", last_name="Süleymanova",
                         region="nasimi")
    baby = make_person(fin="7BB001P", first_name="Aysel", last_name="Süleymanova",
                       birth_date=today - dt.timedelta(days=3), region="nasimi")
    make_parent(baby, mother, since=baby.birth_date)
    people += [mother, baby]
    assert entitlements_for_people(people=[person.pk for person in people], on=today) == 8
    return people
