"""The registry's look-up by FIN answers as documented, whatever stands in the FIN's place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.registry.models import Person


@pytest.fixture
def registry_reader(db) -> APIClient:
    _token, raw = institution_token_create(name="State Pension Fund",
                                           scopes=[Scope.REGISTRY_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_a_look_up_by_a_lower_case_fin_finds_the_record(registry_reader, alice):
    response = registry_reader.get("/api/v1/registry/persons/5alc7e1/", {"reason": "a claim"})

    assert response.status_code == 200
    assert response.json()["fin"] == "5ALC7E1"


def test_a_citizen_reads_their_own_record_by_a_lower_case_fin(client, alice):
    client.force_login(alice)

    response = client.get("/api/v1/registry/persons/5alc7e1/")

    assert response.status_code == 200
    assert response.json()["fin"] == "5ALC7E1"


def test_a_blank_reason_is_refused_like_a_missing_one(registry_reader, alice):
    response = registry_reader.get("/api/v1/registry/persons/5ALC7E1/", {"reason": "   "})

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


@pytest.mark.parametrize("not_a_fin", ["5ALC7E", "5ALC7E1X", "5ALC-E1", "ÖALC7E1"])
def test_a_path_that_is_no_fin_answers_404_without_asking_the_registry(registry_reader, alice,
                                                                       not_a_fin):
    with CaptureQueriesContext(connection) as queries:
        response = registry_reader.get(f"/api/v1/registry/persons/{not_a_fin}/",
                                       {"reason": "a claim"})

    assert response.status_code == 404
    assert response.json().keys() == {"detail"}
    assert not any(Person._meta.db_table in query["sql"] for query in queries)
