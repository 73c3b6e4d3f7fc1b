"""Deaths, marriages, disability findings and employment pushed through the bridge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.bridge.models import InboundEvent
from dost.registry.models import DisabilityStatus, EmploymentSpell, FamilyRelation, Person
from tests.bridge.conftest import EVENTS_URL, FATHER_FIN, MOTHER_FIN, birth_event, event, today

EMPLOYER_TIN = "1400057421"
STARTED = dt.date(2024, 3, 1)


def post(client, body):
    return client.post(EVENTS_URL, body, format="json")


def employment_start(event_id: str = "job-1", fin: str = MOTHER_FIN,
                     occurred_on: dt.date = STARTED, **overrides):
    data = {"fin": fin, "employer_name": "Azərsu ASC", "employer_tin": EMPLOYER_TIN,
            "occupation_code": "2142", "monthly_wage": "1250.50", **overrides}
    return event(event_id, "employment_start", data, occurred_on)


def employment_end(event_id: str = "job-end-1", fin: str = MOTHER_FIN,
                   occurred_on: dt.date | None = None, **overrides):
    data = {"fin": fin, "employer_tin": EMPLOYER_TIN, "reason": "resignation", **overrides}
    return event(event_id, "employment_end", data, occurred_on)


# --- death ------------------------------------------------------------------------------------


def test_death_event_sets_the_date_of_death(justice, mother):
    died = today() - dt.timedelta(days=1)

    response = post(justice, event("death-1", "death", {"fin": MOTHER_FIN}, died))

    assert response.status_code == 201
    mother.refresh_from_db()
    assert mother.death_date == died


def test_death_touches_the_deceased_and_their_relatives_both_ways(justice, mother, father):
    post(justice, birth_event())
    post(justice, event("marriage-1", "marriage", {"spouse_fins": [MOTHER_FIN, FATHER_FIN]},
                        dt.date(2020, 6, 1)))

    response = post(justice, event("death-1", "death", {"fin": FATHER_FIN}))

    assert response.json()["people"] == [FATHER_FIN, MOTHER_FIN, "2CHD001"]


def test_a_death_already_recorded_on_another_date_is_refused(justice, mother):
    post(justice, event("death-1", "death", {"fin": MOTHER_FIN}, today() - dt.timedelta(days=3)))

    response = post(justice, event("death-2", "death", {"fin": MOTHER_FIN}))

    assert response.status_code == 400
    assert response.json()["code"] == "already_dead"
    mother.refresh_from_db()
    assert mother.death_date == today() - dt.timedelta(days=3)
    assert InboundEvent.objects.count() == 1


def test_a_death_before_birth_is_refused(justice, mother):
    response = post(justice, event("death-1", "death", {"fin": MOTHER_FIN},
                                   mother.birth_date - dt.timedelta(days=1)))

    assert response.status_code == 400
    assert response.json()["code"] == "death_before_birth"
    mother.refresh_from_db()
    assert mother.death_date is None


# --- marriage ---------------------------------------------------------------------------------


def test_marriage_records_the_spouses_both_ways(justice, mother, father):
    married = dt.date(2021, 5, 15)

    response = post(justice, event("m-1", "marriage", {"spouse_fins": [MOTHER_FIN, FATHER_FIN]},
                                   married))

    assert response.status_code == 201
    assert response.json()["people"] == [MOTHER_FIN, FATHER_FIN]
    pairs = set(FamilyRelation.objects.filter(kind="spouse", since=married)
                .values_list("person_id", "relative_id"))
    assert pairs == {(mother.pk, father.pk), (father.pk, mother.pk)}


def test_a_marriage_already_recorded_is_refused(justice, mother, father):
    post(justice, event("m-1", "marriage", {"spouse_fins": [MOTHER_FIN, FATHER_FIN]}))

    response = post(justice, event("m-2", "marriage", {"spouse_fins": [FATHER_FIN, MOTHER_FIN]}))

    assert response.status_code == 400
    assert response.json()["code"] == "already_spouses"
    assert FamilyRelation.objects.count() == 2


def test_a_marriage_needs_exactly_two_spouses(justice, mother):
    response = post(justice, event("m-1", "marriage", {"spouse_fins": [MOTHER_FIN]}))

    assert response.status_code == 400
    assert "spouse_fins" in response.json()["data"]
    assert not FamilyRelation.objects.exists()


# --- disability -------------------------------------------------------------------------------


def test_disability_event_adds_a_status(justice, mother):
    found = today() - dt.timedelta(days=10)
    data = {"fin": MOTHER_FIN, "percent": 65, "valid_until": "2027-12-31",
            "cause": "ümumi xəstəlik"}

    response = post(justice, event("msec-1", "disability", data, found))

    assert response.status_code == 201
    status = DisabilityStatus.objects.get(person=mother)
    assert (status.percent, status.determined_on, status.valid_until, status.cause) == (
        65, found, dt.date(2027, 12, 31), "ümumi xəstəlik")
    assert (status.degree, status.source_id) == (2, "msec")


def test_disability_touches_the_person_and_their_relatives(justice, mother, father):
    post(justice, birth_event())

    response = post(justice, event("msec-1", "disability", {"fin": "2CHD001", "percent": 85}))

    assert set(response.json()["people"]) == {"2CHD001", MOTHER_FIN, FATHER_FIN}


@pytest.mark.parametrize("percent", [30, 62, 105])
def test_a_disability_percent_outside_31_100_or_not_a_multiple_of_5_is_refused(
    justice, mother, percent
):
    response = post(justice, event("msec-1", "disability", {"fin": MOTHER_FIN,
                                                            "percent": percent}))

    assert response.status_code == 400
    assert "percent" in response.json()["data"]
    assert not DisabilityStatus.objects.exists()


def test_a_finding_valid_only_until_before_it_was_made_is_refused(justice, mother):
    data = {"fin": MOTHER_FIN, "percent": 40, "valid_until": today().isoformat()}

    response = post(justice, event("msec-1", "disability", data))

    assert response.status_code == 400
    assert response.json()["code"] == "valid_until_before_finding"
    assert not DisabilityStatus.objects.exists()


# --- employment -------------------------------------------------------------------------------


def test_employment_start_opens_a_spell(justice, mother):
    response = post(justice, employment_start())

    assert response.status_code == 201
    spell = EmploymentSpell.objects.get(person=mother)
    assert (spell.employer_name, spell.employer_tin, spell.occupation_code) == (
        "Azərsu ASC", EMPLOYER_TIN, "2142")
    assert (spell.started_on, spell.ended_on, spell.monthly_wage) == (STARTED, None,
                                                                      Decimal("1250.50"))
    assert spell.source_id == "labour"


def test_employment_start_with_the_same_employer_twice_is_refused(justice, mother):
    post(justice, employment_start())

    response = post(justice, employment_start("job-2", occurred_on=STARTED + dt.timedelta(1)))

    assert response.status_code == 400
    assert response.json()["code"] == "already_employed"
    assert EmploymentSpell.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [("employer_tin", "12345"),
                                              ("occupation_code", "21A2"),
                                              ("monthly_wage", "0")])
def test_employment_start_with_a_malformed_field_is_refused(justice, mother, field, value):
    response = post(justice, employment_start(**{field: value}))

    assert response.status_code == 400
    assert field in response.json()["data"]
    assert not EmploymentSpell.objects.exists()


def test_employment_end_closes_the_open_spell_with_that_employer(justice, mother):
    post(justice, employment_start())
    ended = today() - dt.timedelta(days=5)

    response = post(justice, employment_end(occurred_on=ended, reason="staff_cut"))

    assert response.status_code == 201
    spell = EmploymentSpell.objects.get(person=mother)
    assert (spell.ended_on, spell.end_reason) == (ended, "staff_cut")


def test_employment_end_without_an_open_spell_is_refused(justice, mother):
    response = post(justice, employment_end())

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_open_employment"
    assert EMPLOYER_TIN in body["detail"]
    assert not InboundEvent.objects.exists()


def test_employment_end_before_it_started_is_refused(justice, mother):
    post(justice, employment_start())

    response = post(justice, employment_end(occurred_on=STARTED - dt.timedelta(days=1)))

    assert response.status_code == 400
    assert response.json()["code"] == "end_before_start"
    assert EmploymentSpell.objects.get().ended_on is None


def test_employment_end_with_an_unknown_reason_is_refused(justice, mother):
    post(justice, employment_start())

    response = post(justice, employment_end(reason="holiday"))

    assert response.status_code == 400
    assert "reason" in response.json()["data"]


def test_an_event_for_someone_already_dead_is_refused(justice, mother):
    post(justice, event("death-1", "death", {"fin": MOTHER_FIN}, today() - dt.timedelta(days=30)))

    response = post(justice, employment_start(occurred_on=today()))

    assert response.status_code == 400
    assert response.json()["code"] == "dead"
    assert not Person.objects.get(fin=MOTHER_FIN).employment_spells.exists()
