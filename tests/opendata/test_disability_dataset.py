"""Persons with disabilities by economic region and degree: the living, their latest
determination in force, counts under ten withheld."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone, translation

from esocial.opendata.datasets import dataset_for_code, table
from tests.disability.register_data import enter

CODE = "disability-by-region-and-degree"


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def disabled_people(make_person, *, count: int, region: str, prefix: str, percent: int = 70,
                    **options):
    people = [make_person(fin=f"{prefix}{number:03d}D", region=region) for number in range(count)]
    for person in people:
        enter(person, percent=percent, **options)
    return people


def rows() -> dict[tuple[str, str], dict]:
    with translation.override("en"):
        return {(row["economic_region"], row["degree"]): row
                for row in table(dataset_for_code(CODE)).rows}


@pytest.fixture
def baku_degree_two(make_person, today):
    """Ten people in Baku with a degree II finding in force: just enough to publish."""
    return disabled_people(make_person, count=10, region="nasimi", prefix="5B2",
                           determined_on=today - dt.timedelta(days=40),
                           next_assessment_on=today + dt.timedelta(days=300))


def test_counts_people_by_economic_region_and_degree(baku_degree_two):
    baku = rows()[("baku", "2")]

    assert (baku["economic_region_name"], baku["degree_title"], baku["people"]) == (
        "Baku", "degree II", 10)


def test_a_count_under_ten_is_withheld(baku_degree_two, make_person, today):
    disabled_people(make_person, count=9, region="ganja", prefix="5G1", percent=90,
                    determined_on=today, next_assessment_on=None)

    result = table(dataset_for_code(CODE))
    ganja = rows()[("ganja_dashkasan", "1")]

    assert ganja["people"] is None
    assert result.suppressed == 1
    assert rows()[("baku", "2")]["people"] == 10


def test_children_are_counted_apart_without_a_degree(make_person, today):
    disabled_people(make_person, count=10, region="nasimi", prefix="5CH", percent=50,
                    under_18=True, determined_on=today, next_assessment_on=None)

    child = rows()[("baku", "under_18")]

    assert (child["degree_title"], child["people"]) == ("disability under 18", 10)


def test_the_dead_are_not_counted(baku_degree_two, today):
    dead = baku_degree_two[0]
    dead.death_date = today - dt.timedelta(days=1)
    dead.save(update_fields=["death_date"])

    assert rows()[("baku", "2")]["people"] is None


def test_a_finding_no_longer_in_force_is_not_counted(baku_degree_two, make_person, today):
    disabled_people(make_person, count=10, region="nasimi", prefix="5EX",
                    determined_on=today - dt.timedelta(days=800), next_assessment_on=today)

    assert rows()[("baku", "2")]["people"] == 10


def test_only_the_latest_determination_counts(baku_degree_two, today):
    # One of them was found again: now degree I, no longer degree II.
    enter(baku_degree_two[0], determined_on=today - dt.timedelta(days=1),
          next_assessment_on=None, percent=85, kind="repeat")

    counts = rows()

    assert counts[("baku", "2")]["people"] is None
    assert counts[("baku", "1")]["people"] is None


def test_a_latest_determination_of_no_disability_is_not_counted(baku_degree_two, today):
    enter(baku_degree_two[0], determined_on=today, next_assessment_on=None, percent=25,
          kind="repeat")

    assert rows()[("baku", "2")]["people"] is None


def test_the_page_states_the_higher_threshold(client, baku_degree_two):
    body = client.get(f"/open-data/{CODE}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Persons with disabilities by economic region and degree" in body
    assert "Counts below 10" in body


def test_the_json_download_states_the_threshold_and_holds_no_fin(client, baku_degree_two,
                                                                 make_person, today):
    disabled_people(make_person, count=3, region="ganja", prefix="5G2", percent=90,
                    determined_on=today, next_assessment_on=None)

    response = client.get(f"/open-data/{CODE}.json", HTTP_ACCEPT_LANGUAGE="en")

    document = json.loads(response.content)
    assert document["suppression"]["below"] == 10
    assert document["suppression"]["rows_suppressed"] == 1
    assert all(person.fin not in response.content.decode() for person in baku_degree_two)


def test_other_datasets_keep_their_own_threshold():
    assert dataset_for_code("programme-statistics").small_count == 5
