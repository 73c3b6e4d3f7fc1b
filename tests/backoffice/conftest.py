"""Two centres with staff, a waiting queue today, an administrator; on the e-queue's fixed
clock (a Tuesday, 08:00 in Baku, before the centres open)."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from dost.accounts.models import Role, User
from dost.centres.models import Centre, CentreStaff
from dost.equeue.models import Booking
from dost.equeue.services import booking_create, slots_open

# The e-queue's own way to make a test centre and service, kept in step with its models.
from tests.equeue.conftest import (  # noqa: F401
    BAKU,
    TUESDAY,
    Clock,
    centre,
    make_centre,
    make_service,
    service,
    slot_at,
)

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    clock = Clock(dt.datetime.combine(TUESDAY, dt.time(8), tzinfo=BAKU))
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


def official(username: str, role: str = Role.STAFF, **flags) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role,
                                    first_name=username.title(), **flags)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def post(charlie, centre) -> CentreStaff:  # noqa: F811 (fixtures)
    """Charlie works at the centre, usually at desk 2."""
    return CentreStaff.objects.create(user=charlie, centre=centre, desk=2)


@pytest.fixture
def other_centre(make_centre) -> Centre:  # noqa: F811 (fixtures)
    other = make_centre("yasamal-1", region_id="yasamal", name_en="Yasamal DOST centre")
    slots_open(start=TUESDAY, days=1, centre=other)
    return other


@pytest.fixture
def dilara(db, other_centre) -> User:
    """Staff of the other centre."""
    user = official("dilara")
    CentreStaff.objects.create(user=user, centre=other_centre, desk=1)
    return user


@pytest.fixture
def administrator(db) -> User:
    return official("root", Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def waiting(make_person, centre, service, clock) -> list[Booking]:  # noqa: F811 (fixtures)
    """Three citizens booked today at the centre: 09:00, 09:00 (a minute later), 09:20."""
    slots_open(start=TUESDAY, days=1, centre=centre)
    bookings = []
    for time, first_name in (("09:00", "Nərmin"), ("09:00", "Fərid"), ("09:20", "Zaur")):
        person = make_person(first_name=first_name, last_name="Kərimli")
        bookings.append(booking_create(person_id=person.pk, service_id=service.pk,
                                       slot_id=slot_at(centre, TUESDAY, time).pk))
        clock.advance(minutes=1)
    return bookings
