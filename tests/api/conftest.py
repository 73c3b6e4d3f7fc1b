"""A citizen with the schema's example FIN, her award and event, and a token per scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from disability.models import HealthFacility
from dost.accounts.models import KNOWN_EVENT_TYPES, Scope
from dost.accounts.services import citizen_account_create, institution_token_create
from dost.bridge.services import event_receive
from dost.registry.api import EXAMPLE_FIN
from tests.api.openapi import EXAMPLE_EVENT_ID, Callers
from tests.conftest import PASSWORD


@pytest.fixture
def _wsgi_calls_keep_the_test_transaction() -> Iterator[None]:
    """Calls through WSGI must not close the connection that holds the test's transaction.

    Django's own test client does the same around each request.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def callers(make_person, _wsgi_calls_keep_the_test_transaction) -> Callers:
    """Real rows behind the API: found records are checked as well as refusals.

    The citizen with ``EXAMPLE_FIN`` is signed in and has a childbirth allowance,
    awarded for a birth that the events:write token's institution pushed as
    ``EXAMPLE_EVENT_ID``. Each token has one scope, so the others are refused.
    """
    citizen = make_person(fin=EXAMPLE_FIN, first_name="Nərmin", last_name="Babayeva",
                          birth_date=dt.date(1994, 3, 8), phone="+994501234567")
    tokens = {}
    for scope in Scope.values:
        token, tokens[scope] = institution_token_create(
            name=f"Institution with {scope}", scopes=[scope], event_types=list(KNOWN_EVENT_TYPES)
        )
        if scope == Scope.EVENTS_WRITE:
            civil_registry = token.institution
        if scope == Scope.REFERRALS_WRITE:
            # Referrals come only from a health facility's system: the fuzz gets past that.
            HealthFacility.objects.create(
                code="api-clinic", name_az="Klinika", name_en="Clinic", name_ru="Клиника",
                region_id="nasimi", institution=token.institution)
    born = timezone.localdate() - dt.timedelta(days=3)
    event_receive(institution=civil_registry, event_id=EXAMPLE_EVENT_ID, type="birth",
                  occurred_on=born, data={
                      "child": {"fin": "2CHD9X1", "first_name": "Aylin",
                                "last_name": "Babayeva", "sex": "F", "birth_date": born},
                      "mother_fin": EXAMPLE_FIN, "father_fin": None,
                  })
    browser = Client()
    browser.force_login(citizen_account_create(person=citizen, password=PASSWORD))
    return Callers(tokens=tokens, citizen_session=browser.cookies["sessionid"].value)
