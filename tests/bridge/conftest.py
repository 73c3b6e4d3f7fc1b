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

from dost.accounts.models import (
    EVENT_TYPES_OF_KIND,
    KNOWN_EVENT_TYPES,
    InstitutionKind,
    InstitutionToken,
    Scope,
)
from dost.accounts.services import institution_token_create
from dost.registry.models import Household, Person

EVENTS_URL = "/api/v1/bridge/events/"
JUSTICE = "Ministry of Justice"
TAX = "State Tax Service"
CIVIL_REGISTRY = "Civil Registry Service"
MSEC = "Medical-Social Expert Commission"
LABOUR_INSPECTORATE = "State Labour Inspectorate"
CHILD_FIN = "2CHD001"
MOTHER_FIN = "2MAM001"
FATHER_FIN = "2DAD001"


def today() -> dt.date:
    return timezone.localdate()


def token_client(raw: str) -> APIClient:
    # Answers in English, which the assertions read; the site's default is Azerbaijani.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_ACCEPT_LANGUAGE="en")
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


# ``justice`` and ``tax`` may push every type of event, so that the tests of what an event
# does need not care who sends it. Real institutions send only their own kinds: those tests
# use the ``civil_registry``, ``msec`` and ``labour_inspectorate`` tokens, made with the presets.


@pytest.fixture
def justice_token(db) -> tuple[InstitutionToken, str]:
    return institution_token_create(name=JUSTICE, scopes=[Scope.EVENTS_WRITE],
                                    event_types=list(KNOWN_EVENT_TYPES))


@pytest.fixture
def justice(justice_token) -> APIClient:
    """An institution allowed to push events (of every type) only."""
    return token_client(justice_token[1])


@pytest.fixture
def tax(db) -> APIClient:
    """Another institution, allowed to push events (of every type) and to read awards."""
    _token, raw = institution_token_create(name=TAX,
                                           scopes=[Scope.EVENTS_WRITE, Scope.AWARDS_READ],
                                           event_types=list(KNOWN_EVENT_TYPES))
    return token_client(raw)


@pytest.fixture
def civil_registry_token(db) -> tuple[InstitutionToken, str]:
    """Births, deaths (and their annulment) and marriages, as the civil registry reports."""
    return institution_token_create(
        name=CIVIL_REGISTRY, scopes=[Scope.EVENTS_WRITE],
        event_types=list(EVENT_TYPES_OF_KIND[InstitutionKind.CIVIL_REGISTRY]))


@pytest.fixture
def msec_token(db) -> tuple[InstitutionToken, str]:
    """Disability findings only, as the expert commission makes them."""
    return institution_token_create(
        name=MSEC, scopes=[Scope.EVENTS_WRITE],
        event_types=list(EVENT_TYPES_OF_KIND[InstitutionKind.EXPERT_COMMISSION]))


@pytest.fixture
def labour_inspectorate_token(db) -> tuple[InstitutionToken, str]:
    """Starts and ends of employment only."""
    return institution_token_create(
        name=LABOUR_INSPECTORATE, scopes=[Scope.EVENTS_WRITE],
        event_types=list(EVENT_TYPES_OF_KIND[InstitutionKind.LABOUR_INSPECTORATE]))


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
