"""Institutions with tokens, a family in the registry, and event bodies as institutions send them.

Tokens are made with ``institution_token_create``, people with ``person_register``
(through ``make_person``): the data is set up as users would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dost.accounts.models import InstitutionToken, Scope
from dost.accounts.services import institution_token_create
from dost.registry.models import Household, Person

EVENTS_URL = "/api/v1/bridge/events/"
JUSTICE = "Ministry of Justice"
TAX = "State Tax Service"
CHILD_FIN = "2CHD001"
MOTHER_FIN = "2MAM001"
FATHER_FIN = "2DAD001"


def today() -> dt.date:
    return timezone.localdate()


def token_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def awards_url(fin: str, reason: str | None = "checking a benefit claim") -> str:
    url = f"/api/v1/bridge/citizens/{fin}/awards/"
    return f"{url}?reason={reason}" if reason is not None else url


def birth_event(event_id: str = "birth-1", *, child_fin: str = CHILD_FIN,
                mother_fin: str = MOTHER_FIN, father_fin: str | None = FATHER_FIN,
                **child: Any) -> dict[str, Any]:
    born = today() - dt.timedelta(days=2)
    data: dict[str, Any] = {
        "child": {"fin": child_fin, "first_name": "Aylin", "last_name": "Əliyeva", "sex": "F",
                  "birth_date": born.isoformat(), **child},
        "mother_fin": mother_fin,
    }
    if father_fin is not None:
        data["father_fin"] = father_fin
    return {"event_id": event_id, "type": "birth", "occurred_on": born.isoformat(),
            "data": data}


def event(event_id: str, type: str, data: dict[str, Any],
          occurred_on: dt.date | None = None) -> dict[str, Any]:
    return {"event_id": event_id, "type": type,
            "occurred_on": (occurred_on or today()).isoformat(), "data": data}


@pytest.fixture
def justice_token(db) -> tuple[InstitutionToken, str]:
    return institution_token_create(name=JUSTICE, scopes=[Scope.EVENTS_WRITE])


@pytest.fixture
def justice(justice_token) -> APIClient:
    """The civil registry, allowed to push events only."""
    return token_client(justice_token[1])


@pytest.fixture
def tax(db) -> APIClient:
    """Another institution, allowed to push events and to read awards."""
    _token, raw = institution_token_create(name=TAX,
                                           scopes=[Scope.EVENTS_WRITE, Scope.AWARDS_READ])
    return token_client(raw)


@pytest.fixture
def household(db) -> Household:
    return Household.objects.create(region_id="nasimi", address="Nizami küç. 5",
                                    source_id="justice")


@pytest.fixture
def mother(make_person, household) -> Person:
    """A woman with a phone and no bank account, living in a household in Nasimi."""
    return make_person(fin=MOTHER_FIN, first_name="Günay", last_name="Əliyeva",
                       phone="+994501234567", birth_date=dt.date(1995, 4, 2),
                       household_id=household.pk)


@pytest.fixture
def father(make_person) -> Person:
    return make_person(fin=FATHER_FIN, first_name="Rəşad", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1993, 9, 12), region="sabail")
