"""CareCall set-ups: citizens rated through the services, as agents and Twilio reach them;
only Twilio's signature is computed here, with a test token."""

from __future__ import annotations

import datetime as dt
from itertools import count
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from callcentre.services import call_note_add
from dost.accounts.models import Role, User
from dost.carecall.models import RatingRequest
from dost.centres.models import Centre, Service
from dost.equeue.models import Booking, Slot
from dost.registry.models import Person
from tests.conftest import _staff

TWILIO_TOKEN = "test-auth-token"
SMS_URL = reverse("callcentre:carecall_sms")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.SMS_BACKEND = "database"
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN


@pytest.fixture
def citizen(alice) -> Person:
    """A citizen with a mobile phone (+994501112233)."""
    return alice.person


@pytest.fixture
def other_agent(db) -> User:
    user, _secret = _staff("agent-other", Role.AGENT)
    return user


@pytest.fixture
def rated_call(agent):
    """A call note for ``person`` by ``by`` (the agent by default); its rating request."""

    def note(person: Person, *, by: User | None = None) -> RatingRequest | None:
        call = call_note_add(person=person, agent=by or agent, topic="payment",
                             outcome="Explained when the payment comes.")
        return RatingRequest.objects.filter(subject=f"call:{call.pk}").first()

    return note


@pytest.fixture
def sms_post(client):
    """Post an inbound SMS as Twilio does, signed with the test token unless told otherwise."""
    sids = count(1)

    def post(*, sender: str, body: str, sid: str | None = None, signature: str | None = "sign",
             **headers: str):
        """``headers`` go with the request (``HTTP_ACCEPT_LANGUAGE``), not into the form."""
        params = {"MessageSid": sid or f"SMtest{next(sids):08d}", "From": sender, "Body": body,
                  "To": "+994125550142"}
        if signature == "sign":
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(
                f"http://testserver{SMS_URL}", params)
        if signature is not None:
            headers["HTTP_X_TWILIO_SIGNATURE"] = signature
        return client.post(SMS_URL, urlencode(params),
                           content_type="application/x-www-form-urlencoded", **headers)

    return post


@pytest.fixture
def centre(db) -> Centre:
    return Centre.objects.create(
        code="carecall-1", name_az="Bakı 1 saylı DOST mərkəzi", name_en="Baku DOST centre 1",
        name_ru="Центр DOST Баку 1", address_az="Ünvan", address_en="Address",
        address_ru="Адрес", region_id="nasimi")


@pytest.fixture
def service(db) -> Service:
    found = Service.objects.filter(bookable=True, active=True).order_by("pk").first()
    assert found is not None, "the catalogue has no bookable service"
    return found


@pytest.fixture
def served_visit(centre, service):
    """A visit of ``person`` that ended at ``finished_at``, as the desk leaves it.

    Written directly: how a desk serves a ticket is the back-office's business, and
    CareCall reads only the booking's status and end.
    """
    tickets = count(1)

    def visit(person: Person, *, finished_at: dt.datetime | None = None,
              status: str = Booking.Status.SERVED, at: Centre | None = None) -> Booking:
        finished = finished_at or timezone.now() - dt.timedelta(minutes=30)
        local = timezone.localtime(finished)
        number = next(tickets)
        slot, _created = Slot.objects.get_or_create(
            centre=at or centre, day=local.date(), starts_at=dt.time(9),
            defaults={"ends_at": dt.time(9, 30), "capacity": 50})
        return Booking.objects.create(
            person=person, centre=at or centre, service=service, slot=slot, day=local.date(),
            status=status, ticket_code=f"CC-{number:04d}", placed_at=finished,
            created_at=finished, updated_at=finished,
            finished_at=finished if status in (Booking.Status.SERVED,
                                               Booking.Status.NO_SHOW) else None)

    return visit
