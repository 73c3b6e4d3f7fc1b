"""Each institution pushes only its own kinds of life events; the rest are refused with 403."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.accounts.models import EVENT_TYPES_OF_KIND, KNOWN_EVENT_TYPES, Scope
from dost.accounts.services import institution_token_create
from dost.bridge.models import EventType, InboundEvent
from dost.registry.models import DisabilityStatus, EmploymentSpell, Person
from tests.bridge.conftest import (
    CHILD_FIN,
    CIVIL_REGISTRY,
    EVENTS_URL,
    MOTHER_FIN,
    birth_event,
    event,
    today,
    token_client,
)


def post(raw: str, body):
    return token_client(raw).post(EVENTS_URL, body, format="json")


def disability_finding(event_id: str = "msec-1", **data):
    return event(event_id, "disability", {"fin": MOTHER_FIN, "percent": 65, **data},
                 today() - dt.timedelta(days=3))


def employment_start(event_id: str = "job-1"):
    return event(event_id, "employment_start", {
        "fin": MOTHER_FIN, "employer_name": "Azərsu ASC", "employer_tin": "1400057421",
        "occupation_code": "2142", "monthly_wage": "1250.50",
    }, dt.date(2024, 3, 1))


def test_the_kinds_of_institutions_together_send_every_bridge_event_type():
    assert set(KNOWN_EVENT_TYPES) == set(EventType.values)


def test_each_event_type_belongs_to_exactly_one_kind_of_institution():
    kinds = [kind for kinds in EVENT_TYPES_OF_KIND.values() for kind in kinds]

    assert len(kinds) == len(set(kinds))


# --- the civil registry ----------------------------------------------------------------------


def test_a_civil_registry_sending_a_disability_finding_is_refused_and_nothing_is_stored(
    civil_registry_token, mother
):
    response = post(civil_registry_token[1], disability_finding())

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "event_type_not_allowed"
    assert CIVIL_REGISTRY in body["detail"]
    assert "disability" in body["detail"]
    assert "birth" in body["detail"]  # it is told what it may send
    assert not InboundEvent.objects.exists()
    assert not DisabilityStatus.objects.exists()


def test_a_civil_registry_sending_a_birth_is_accepted(civil_registry_token, mother, father):
    response = post(civil_registry_token[1], birth_event())

    assert response.status_code == 201
    assert Person.objects.filter(fin=CHILD_FIN).exists()


def test_a_civil_registry_annulling_a_death_it_recorded_is_accepted(civil_registry_token,
                                                                    mother):
    died = today() - dt.timedelta(days=2)
    post(civil_registry_token[1], event("death-1", "death", {"fin": MOTHER_FIN}, died))

    response = post(civil_registry_token[1],
                    event("death-1-annulled", "death_annulled", {"fin": MOTHER_FIN}, died))

    assert response.status_code == 201
    mother.refresh_from_db()
    assert mother.death_date is None


def test_the_refusal_comes_before_the_body_is_checked(civil_registry_token, mother):
    # A malformed finding from the wrong institution: 403, not a list of field errors.
    response = post(civil_registry_token[1], disability_finding(percent=7))

    assert response.status_code == 403
    assert response.json()["code"] == "event_type_not_allowed"


def test_an_unknown_event_type_is_still_a_bad_request(civil_registry_token):
    response = post(civil_registry_token[1], event("x-1", "divorce", {"fin": MOTHER_FIN}))

    assert response.status_code == 400
    assert "type" in response.json()


# --- the expert commission (MSEC) ------------------------------------------------------------


def test_the_expert_commission_sending_a_disability_finding_is_accepted(msec_token, mother):
    response = post(msec_token[1], disability_finding())

    assert response.status_code == 201
    assert DisabilityStatus.objects.get(person=mother).percent == 65


def test_the_expert_commission_sending_a_birth_is_refused_and_no_child_is_registered(
    msec_token, mother
):
    response = post(msec_token[1], birth_event())

    assert response.status_code == 403
    assert response.json()["code"] == "event_type_not_allowed"
    assert not Person.objects.filter(fin=CHILD_FIN).exists()
    assert not InboundEvent.objects.exists()


# --- the labour inspectorate -----------------------------------------------------------------


def test_the_labour_inspectorate_sending_a_start_of_employment_is_accepted(
    labour_inspectorate_token, mother
):
    response = post(labour_inspectorate_token[1], employment_start())

    assert response.status_code == 201
    assert EmploymentSpell.objects.filter(person=mother).exists()


def test_the_labour_inspectorate_sending_a_death_is_refused(labour_inspectorate_token, mother):
    response = post(labour_inspectorate_token[1],
                    event("death-1", "death", {"fin": MOTHER_FIN}))

    assert response.status_code == 403
    mother.refresh_from_db()
    assert mother.death_date is None
    assert not InboundEvent.objects.exists()


# --- an institution given no event types -----------------------------------------------------


def test_an_institution_without_event_types_may_push_nothing(mother):
    _token, raw = institution_token_create(name="State Tax Service",
                                           scopes=[Scope.EVENTS_WRITE])

    response = post(raw, birth_event())

    assert response.status_code == 403
    assert response.json()["code"] == "event_type_not_allowed"
    assert not InboundEvent.objects.exists()


def test_the_event_types_belong_to_the_institution_not_to_one_token(civil_registry_token,
                                                                    mother, father):
    _second, raw = institution_token_create(name=CIVIL_REGISTRY, scopes=[Scope.EVENTS_WRITE])

    assert post(raw, birth_event()).status_code == 201
    assert post(raw, disability_finding()).status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/bridge/events/",
                                  "/api/v1/bridge/citizens/{fin}/awards/",
                                  "/api/v1/registry/persons/{fin}/"])
def test_the_schema_documents_refused_tokens_and_throttling(client, path):
    document = client.get("/api/v1/schema/", {"format": "json"}).json()

    operation = next(iter(document["paths"][path].values()))
    assert {"401", "429"} <= operation["responses"].keys()
    assert "expired" in operation["responses"]["401"]["description"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]
