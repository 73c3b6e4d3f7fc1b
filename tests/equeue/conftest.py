"""Centres, services and slots for e-queue tests, on a fixed clock.

The clock starts on a Tuesday at 08:00 in Baku, before the centres open, so
"today" always has every slot ahead and tests never depend on when they run.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dost.centres.models import WORKING_WEEK, Centre, OpeningHours, Service, ServiceCategory
from dost.equeue.models import Booking, Slot
from dost.equeue.services import booking_create, booking_served, desk_call_next, slots_open

BAKU = ZoneInfo("Asia/Baku")
TUESDAY = dt.date(2026, 11, 24)


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.moment += dt.timedelta(**delta)

    def set(self, day: dt.date, time: str) -> None:
        self.moment = dt.datetime.combine(day, dt.time.fromisoformat(time), tzinfo=BAKU)

    @property
    def today(self) -> dt.date:
        return self.moment.astimezone(BAKU).date()


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    clock = Clock(dt.datetime.combine(TUESDAY, dt.time(8), tzinfo=BAKU))
    # Django reads the time through this one function (localdate, localtime too).
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def make_centre(db):
    """A centre open ``opens_at`` to ``closes_at`` on ``weekdays`` (Monday to Friday, 09:00
    to 18:00 unless given), offering every bookable service there is, as a centre new in
    the catalogue file gets; bookable services made later are offered there too
    (``make_service``)."""

    def make(code: str = "nasimi-1", *, opens_at: dt.time = dt.time(9),
             closes_at: dt.time = dt.time(18), weekdays: tuple[int, ...] = WORKING_WEEK,
             **overrides) -> Centre:
        fields = {
            "name_az": "Bakı 1 nömrəli DOST mərkəzi", "name_en": "Baku DOST Centre No. 1",
            "name_ru": "Бакинский центр DOST № 1",
            "address_az": "Nəsimi r., Ə. Naxçıvani küç. 7",
            "address_en": "7 A. Nakhchivani St, Nasimi district",
            "address_ru": "Насиминский р-н, ул. А. Нахчывани, 7",
            "region_id": "nasimi",
        }
        fields.update(overrides)
        centre = Centre.objects.create(code=code, **fields)
        OpeningHours.objects.bulk_create(
            OpeningHours(centre=centre, weekday=weekday, opens_at=opens_at, closes_at=closes_at)
            for weekday in weekdays)
        centre.services.set(Service.objects.filter(bookable=True))
        return centre

    return make


@pytest.fixture
def make_service(db):
    def make(code: str = "pension-documents", **overrides) -> Service:
        category, _created = ServiceCategory.objects.get_or_create(
            code="social-security",
            defaults={"name_az": "Sosial təminat", "name_en": "Social security",
                      "name_ru": "Социальное обеспечение"},
        )
        provider_field = Service._meta.get_field("provider")
        if provider_field.is_relation:
            provider, _created = provider_field.related_model.objects.get_or_create(
                code="sssf", defaults={"name_az": "DSMF", "name_en": "SSPF", "name_ru": "ГФСЗ"},
            )
        else:
            provider = "SSPF"
        fields = {
            "category": category, "provider": provider,
            "title_az": "Pensiya sənədlərinin qəbulu", "title_en": "Pension documents intake",
            "title_ru": "Приём документов на пенсию",
            "summary_az": "Xülasə", "summary_en": "Summary", "summary_ru": "Описание",
            "eligibility_az": "Hamı", "eligibility_en": "Everyone", "eligibility_ru": "Все",
            "legal_basis_az": "Qanun", "legal_basis_en": "Law", "legal_basis_ru": "Закон",
            "bookable": True,
        }
        fields.update(overrides)
        service = Service.objects.create(code=code, **fields)
        if service.bookable:
            service.centres.set(Centre.objects.all())
        return service

    return make


@pytest.fixture
def centre(make_centre) -> Centre:
    return make_centre()


@pytest.fixture
def service(make_service) -> Service:
    return make_service()


@pytest.fixture
def week_of_slots(centre, clock) -> int:
    """Slots at ``centre`` for the seven days from today (five working days)."""
    return slots_open(start=clock.today, days=7, centre=centre)


def slot_at(centre: Centre, day: dt.date, time: str) -> Slot:
    return Slot.objects.get(centre=centre, day=day, starts_at=dt.time.fromisoformat(time))


def fill(slot: Slot, make_person, service: Service, *, leave: int = 0) -> None:
    """Book the slot until only ``leave`` places are free, by other citizens."""
    for _number in range(slot.capacity - slot.booked - leave):
        booking_create(person_id=make_person().pk, service_id=service.pk, slot_id=slot.pk)


def serve_next(centre: Centre, official, *, desk: int = 1) -> Booking:
    """Call today's next ticket at the centre to ``desk`` and serve it, as the desk does."""
    called = desk_call_next(centre=centre, desk=desk, actor_id=official.pk)
    return booking_served(booking_id=called.pk, centre_code=centre.code)
