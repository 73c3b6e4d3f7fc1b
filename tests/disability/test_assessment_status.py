"""A person's disability finding as the 142 voice menu reads it: degree and next review."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from disability.selectors import register_assessment_status
from dost.registry.models import DisabilityStatus
from tests.disability.register_data import enter

TODAY = dt.date(2026, 5, 14)


def test_no_finding_in_force_is_none(make_person):
    person = make_person()
    enter(person, determined_on=dt.date(2020, 1, 10), next_assessment_on=dt.date(2022, 1, 10))

    assert register_assessment_status(person.pk, TODAY) is None


def test_the_finding_with_its_degree_and_the_next_review(make_person):
    person = make_person()
    enter(person, determined_on=dt.date(2025, 6, 1), next_assessment_on=dt.date(2027, 6, 1),
          percent=65)

    with translation.override("en"):
        status = register_assessment_status(person.pk, TODAY)

    assert status is not None
    assert (status.percent, status.degree, status.since, status.next_review_on) == (
        65, "degree II", dt.date(2025, 6, 1), dt.date(2027, 6, 1))


def test_a_disability_under_18_has_no_degree(make_person):
    person = make_person(birth_date=dt.date(2015, 3, 3))
    enter(person, determined_on=dt.date(2025, 6, 1), next_assessment_on=dt.date(2027, 6, 1),
          under_18=True)

    with translation.override("en"):
        status = register_assessment_status(person.pk, TODAY)

    assert status is not None and status.degree == "disability under 18"


def test_a_finding_from_an_institution_without_an_entry_takes_its_degree_from_the_percent(
        make_person):
    person = make_person()
    DisabilityStatus.objects.create(person=person, percent=85, determined_on=dt.date(2025, 1, 1),
                                    valid_until=dt.date(2027, 1, 1), source_id="msec")

    with translation.override("en"):
        status = register_assessment_status(person.pk, TODAY)

    assert status is not None
    assert (status.degree, status.next_review_on, status.valid_until) == (
        "degree I", None, dt.date(2027, 1, 1))
