"""A fixed example for the DOST Index: visits, ratings, complaints, awards and applications
with known times, in March 2026 and either side of it. The hand-computed figures are in
``test_compute.py`` beside the tests that check them.

Rows are written straight into the tables: the Index reads what the desks, CareCall,
complaints and the engine record, and the example needs exact times and seconds that
their services take from the clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from dost.accounts.models import Role, User
from dost.accounts.services import citizen_account_create
from dost.applications.models import Application, ApplicationEvent
from dost.carecall.models import RatingRequest
from dost.centres.models import Centre, Service
from dost.complaints.models import Category, Complaint
from dost.entitlements.models import Award
from dost.equeue.models import Booking, Slot
from tests.conftest import PASSWORD

BAKU = ZoneInfo("Asia/Baku")
MARCH = dt.date(2026, 3, 1)
_numbers = itertools.count(1)


def at(day: str, time: str = "12:00") -> dt.datetime:
    """A moment in Baku time."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time),
                               tzinfo=BAKU)


class Example:
    """Makes the rows of the example; each method is one thing that happened."""

    def __init__(self, make_person) -> None:
        self.make_person = make_person
        self.service = Service.objects.order_by("code").first()

    def person(self, region: str, *, account: bool = False):
        person = self.make_person(fin=f"XK{next(_numbers):04d}A", region=region)
        if account:
            citizen_account_create(person=person, password=PASSWORD)
        return person

    def visit(self, centre: str, day: str, status: str, *, wait: int | None = None,
              service: int | None = None, person=None) -> Booking:
        number = next(_numbers)
        slot, _created = Slot.objects.get_or_create(
            centre_id=centre, day=dt.date.fromisoformat(day), starts_at=dt.time(9),
            defaults={"ends_at": dt.time(10), "capacity": 50, "booked": 10, "issued": 10})
        moment = at(day, "09:00")
        ended = status in {Booking.Status.SERVED, Booking.Status.NO_SHOW}
        return Booking.objects.create(
            person=person or self.person("nasimi"), centre_id=centre, service=self.service,
            slot=slot, day=slot.day, status=status, ticket_code=f"IX-{number}",
            placed_at=moment, created_at=moment, updated_at=moment,
            finished_at=moment + dt.timedelta(hours=1) if ended else None,
            wait_seconds=wait, service_seconds=service)

    def rating(self, *, sent: dt.datetime, score: int | None, centre: str | None) -> None:
        number = next(_numbers)
        channel = RatingRequest.Channel.VISIT if centre else RatingRequest.Channel.CALL
        RatingRequest.objects.create(
            person=self.person("nasimi"), phone="+994501234567", channel=channel,
            centre_id=centre, service=self.service if centre else None,
            subject=f"{channel}:{number}", sent_at=sent, score=score,
            answered_at=None if score is None else sent + dt.timedelta(minutes=10))

    def complaint(self, person, *, received: dt.datetime, due: str,
                  answered: dt.datetime | None = None, appeal: bool = False) -> Complaint:
        category = Category.objects.get(code="decision_appeal" if appeal else "service_quality")
        return Complaint.objects.create(
            reference=f"IX-{next(_numbers)}", person=person, category=category,
            unit=category.unit, channel="portal", text="Slow service.",
            status="answered" if answered else "received", received_at=received,
            due_on=dt.date.fromisoformat(due), manager_due_on=dt.date.fromisoformat(due),
            answered_at=answered, answer="Answered." if answered else "")

    def award(self, person, *, decided: dt.datetime, status: str = "awarded") -> Award:
        return Award.objects.create(
            person=person, benefit=f"benefit_{next(_numbers)}", rule="test", amount=100,
            frequency="once", period_start=decided.date(), status=status, parameters={},
            facts={}, decided_at=decided)

    def application(self, person, *, submitted: dt.datetime, status: str = "submitted",
                    by: User | None = None, changed: dt.datetime | None = None) -> Application:
        application = Application.objects.create(
            person=person, type_code="pension_recalculation", status=status,
            created_at=submitted, submitted_at=submitted,
            status_changed_at=changed or submitted, reference=f"IX-{next(_numbers)}")
        actor = by or User.objects.get(person=person)
        ApplicationEvent.objects.create(application=application, status_to="submitted",
                                        actor=actor, at=submitted)
        return application


@pytest.fixture
def example(make_person) -> Example:
    return Example(make_person)


@pytest.fixture
def march(example, charlie) -> Example:
    """The fixed example of March 2026 (see ``test_compute``), with rows just outside it."""
    e = example
    # Visits at Baku No. 1 (district Yasamal) and Sumgait.
    e.visit("baku-1", "2026-03-03", "served", wait=600, service=900)
    e.visit("baku-1", "2026-03-10", "served", wait=1200, service=300)
    e.visit("baku-1", "2026-03-31", "served", wait=300, service=600)
    e.visit("baku-1", "2026-03-12", "no_show")
    e.visit("baku-1", "2026-03-12", "cancelled")
    e.visit("baku-1", "2026-03-13", "booked")
    e.visit("sumgait", "2026-03-04", "served", wait=120, service=1800)
    e.visit("sumgait", "2026-03-05", "no_show")
    e.visit("sumgait", "2026-03-06", "no_show")
    # Either side of March: not counted in it.
    e.visit("baku-1", "2026-02-28", "served", wait=5000, service=5000)
    e.visit("baku-1", "2026-04-01", "served", wait=5000, service=5000)
    # CareCall: after visits to each centre, and after a 142 call (the country only).
    for score in (5, 4, 2, None):
        e.rating(sent=at("2026-03-15"), score=score, centre="baku-1")
    e.rating(sent=at("2026-03-16"), score=3, centre="sumgait")
    e.rating(sent=at("2026-03-17"), score=5, centre=None)
    e.rating(sent=at("2026-04-01", "00:30"), score=1, centre="baku-1")
    # People: of Yasamal (Baku No. 1), of Sumgait, and of Nasimi, which has no centre.
    yasamal, sumgait = e.person("yasamal", account=True), e.person("sumgait", account=True)
    nasimi = e.person("nasimi", account=True)
    e.complaint(yasamal, received=at("2026-03-02", "10:00"), due="2026-03-10",
                answered=at("2026-03-09", "10:00"))
    e.complaint(yasamal, received=at("2026-03-05"), due="2026-03-12",
                answered=at("2026-03-13"))
    # 23:30 in Baku on 31 March is 19:30 UTC: March. 00:30 on 1 April is still 31 March in
    # UTC: April.
    e.complaint(yasamal, received=at("2026-03-31", "23:30"), due="2026-04-21", appeal=True)
    e.complaint(sumgait, received=at("2026-04-01", "00:30"), due="2026-04-10")
    e.complaint(nasimi, received=at("2026-03-10"), due="2026-03-20")
    e.award(yasamal, decided=at("2026-03-20"))
    e.award(yasamal, decided=at("2026-03-21"), status="annulled")
    e.award(sumgait, decided=at("2026-03-22"))
    e.award(nasimi, decided=at("2026-03-23"))
    e.award(nasimi, decided=at("2026-02-28", "23:59"))
    e.application(yasamal, submitted=at("2026-03-01", "02:00"), status="approved",
                  changed=at("2026-03-08"))
    e.application(sumgait, submitted=at("2026-03-09"))
    # Filed by an official for the citizen: not online.
    e.application(nasimi, submitted=at("2026-03-11"), by=charlie)
    return e


@pytest.fixture
def administrator(db) -> User:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def centre(code: str) -> Centre:
    return Centre.objects.get(code=code)
