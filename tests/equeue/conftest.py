"""Centres, services and slots for e-queue tests, on a fixed clock.

The clock starts on a Tuesday at 08:00 in Baku, before the centres open, so
"today" always has every slot ahead and tests never depend on when they run.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dost.centres.models import Centre, Service, ServiceCategory
from dost.equeue.models import Slot
from dost.equeue.services import booking_create, slots_open

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
    def make(code: str = "nasimi-1", **overrides) -> Centre:
        fields = {
            "name_az": "Bakı 1 nömrəli DOST mərkəzi", "name_en": "Baku DOST Centre No. 1",
            "name_ru": "Бакинский центр DOST № 1",
            "address_az": "Nəsimi r., Ə. Naxçıvani küç. 7",
            "address_en": "7 A. Nakhchivani St, Nasimi district",
            "address_ru": "Насиминский р-н, ул. А. Нахчывани, 7",
            "region_id": "nasimi", "opens_at": dt.time(9), "closes_at": dt.time(18),
        }
        fields.update(overrides)
        return Centre.objects.create(code=code, **fields)

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
        return Service.objects.create(code=code, **fields)

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
