"""Bad input gets a clear error and changes nothing; only the right token gets in."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.bridge.models import InboundEvent
from dost.entitlements.models import Award
from dost.registry.models import FamilyRelation, Person
from tests.bridge.conftest import (
    CHILD_FIN,
    EVENTS_URL,
    birth_event,
    today,
    token_client,
)

pytestmark = pytest.mark.usefixtures("mother", "father")


def nothing_written() -> bool:
    return not (InboundEvent.objects.exists() or Person.objects.filter(fin=CHILD_FIN).exists()
                or FamilyRelation.objects.exists() or Award.objects.exists())


def test_unknown_mother_fin_is_refused_naming_the_fin(justice):
    response = justice.post(EVENTS_URL, birth_event(mother_fin="9ZZZZZ9"), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_fin"
    assert "9ZZZZZ9" in response.json()["detail"]
    assert nothing_written()


def test_unknown_father_fin_is_refused_naming_the_fin(justice):
    response = justice.post(EVENTS_URL, birth_event(father_fin="9ZZZZZ8"), format="json")

    assert response.status_code == 400
    assert "9ZZZZZ8" in response.json()["detail"]
    assert nothing_written()


def test_an_event_dated_in_the_future_is_refused(justice):
    body = birth_event()
    body["occurred_on"] = (today() + dt.timedelta(days=1)).isoformat()

    response = justice.post(EVENTS_URL, body, format="json")

    assert response.status_code == 400
    assert "occurred_on" in response.json()
    assert nothing_written()


def test_a_missing_field_is_listed(justice):
    body = birth_event()
    del body["data"]["mother_fin"]
    del body["data"]["child"]["birth_date"]

    response = justice.post(EVENTS_URL, body, format="json")

    assert response.status_code == 400
    errors = response.json()["data"]
    assert "mother_fin" in errors
    assert "birth_date" in errors["child"]
    assert nothing_written()


def test_a_missing_envelope_field_is_listed(justice):
    body = birth_event()
    del body["occurred_on"]

    response = justice.post(EVENTS_URL, body, format="json")

    assert response.status_code == 400
    assert "occurred_on" in response.json()
    assert nothing_written()


@pytest.mark.parametrize("fin", ["2MAM00", "2MAMI01", "2MAM-01", ""])
def test_a_malformed_fin_is_refused(justice, fin):
    response = justice.post(EVENTS_URL, birth_event(mother_fin=fin), format="json")

    assert response.status_code == 400
    assert "mother_fin" in response.json()["data"]
    assert nothing_written()


def test_an_unknown_event_type_is_refused(justice):
    body = {**birth_event(), "type": "divorce"}

    response = justice.post(EVENTS_URL, body, format="json")

    assert response.status_code == 400
    assert "type" in response.json()
    assert nothing_written()


def test_a_refused_event_id_can_be_sent_again_once_corrected(justice):
    justice.post(EVENTS_URL, birth_event(mother_fin="9ZZZZZ9"), format="json")

    response = justice.post(EVENTS_URL, birth_event(), format="json")

    assert response.status_code == 201


def test_a_wrong_token_is_unauthorised(justice):
    response = token_client("not-the-right-key").post(EVENTS_URL, birth_event(), format="json")

    assert response.status_code == 401
    assert nothing_written()


def test_no_token_is_unauthorised(db):
    response = APIClient().post(EVENTS_URL, birth_event(), format="json")

    assert response.status_code == 401
    assert nothing_written()


def test_a_token_without_events_write_is_forbidden(db):
    _token, raw = institution_token_create(name="Bank", scopes=[Scope.AWARDS_READ,
                                                                Scope.REGISTRY_READ])

    response = token_client(raw).post(EVENTS_URL, birth_event(), format="json")

    assert response.status_code == 403
    assert nothing_written()


def test_a_signed_in_citizen_cannot_push_events(client, alice):
    client.force_login(alice)

    response = client.post(EVENTS_URL, birth_event(), content_type="application/json")

    assert response.status_code == 401  # the bridge ignores sessions: tokens only
    assert nothing_written()
