"""Messages are queued as the engine queues them (raw SQL supplying six columns)
or through ``sms_enqueue``; only Twilio is mocked."""

from __future__ import annotations

import json
from itertools import count
from unittest.mock import MagicMock, patch

import pytest
from django.db import connection

from dost.notifications import templates
from dost.notifications.models import SmsMessage
from dost.registry.models import Person

TWILIO_TOKEN = "test-auth-token"
PUBLIC_BASE_URL = "https://dost.example.az"
AWARD_CONTEXT = {"benefit": "unemployment", "amount": "250"}


@pytest.fixture(autouse=True)
def _database_sender(settings):
    settings.SMS_BACKEND = "database"


@pytest.fixture
def citizen(alice) -> Person:
    """A person with a mobile phone."""
    return alice.person


@pytest.fixture
def queue_sms(db):
    """Insert an outbox row the way the proactive engine does."""
    numbers = count(1)

    def queue(
        person: Person,
        *,
        phone: str | None = None,
        template: str = "award_granted",
        context: dict | None = None,
        dedupe_key: str | None = None,
    ) -> SmsMessage:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO notifications_smsmessage "
                "(person_id, phone, language, template, context, dedupe_key) "
                "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                [
                    person.pk,
                    person.phone if phone is None else phone,
                    person.language,
                    template,
                    json.dumps(AWARD_CONTEXT if context is None else context),
                    dedupe_key or f"award:{next(numbers)}",
                ],
            )
            (pk,) = cursor.fetchone()
        return SmsMessage.objects.get(pk=pk)

    return queue


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    return settings


@pytest.fixture
def twilio_client(twilio_settings) -> MagicMock:
    """The mocked ``twilio.rest.Client`` class; each send is accepted with a new SID."""
    sids = (f"SM{number:032d}" for number in count(1))
    with patch("twilio.rest.Client") as client_class:
        client_class.return_value.messages.create.side_effect = lambda **kwargs: MagicMock(
            sid=next(sids)
        )
        yield client_class


@pytest.fixture
def template_registry(monkeypatch):
    """Templates and benefit titles registered by a test are forgotten after it."""
    monkeypatch.setattr(templates, "_templates", dict(templates._templates))
    monkeypatch.setattr(templates, "_benefit_titles", dict(templates._benefit_titles))
