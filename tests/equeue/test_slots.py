from __future__ import annotations

import datetime as dt

import pytest

from dost.centres.models import OpeningHours, Weekday
from dost.equeue.models import Slot
from dost.equeue.services import slots_open, slots_open_ahead
from dost.equeue.tasks import open_slots_ahead
from dost.errors import DomainError
from tests.equeue.conftest import TUESDAY


def test_slots_cover_working_days_from_opening_to_closing(centre):
    created = slots_open(start=TUESDAY, days=7, centre=centre)
    # Tuesday to Monday: five working days, 27 twenty-minute slots from 09:00 to 18:00.
    assert created == 5 * 27
    days = set(Slot.objects.values_list("day", flat=True))
    assert days == {TUESDAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 6)}
    first, last = Slot.objects.filter(day=TUESDAY).order_by("starts_at")[::26]
    assert (first.starts_at, first.ends_at) == (dt.time(9), dt.time(9, 20))
    assert (last.starts_at, last.ends_at) == (dt.time(17, 40), dt.time(18))
    assert first.capacity == centre.desks


def test_opening_again_keeps_existing_slots_and_adds_only_new_days(centre):
    slots_open(start=TUESDAY, days=1, centre=centre)
    Slot.objects.filter(day=TUESDAY).update(capacity=1)
    assert slots_open(start=TUESDAY, days=2, centre=centre) == 27
    assert set(Slot.objects.filter(day=TUESDAY).values_list("capacity", flat=True)) == {1}


def test_closed_centres_get_no_slots(make_centre):
    make_centre("open-1")
    make_centre("closed-1", active=False)
    slots_open_ahead(days=14)
    mine = Slot.objects.filter(centre_id__in=["open-1", "closed-1"])
    assert set(mine.values_list("centre_id", flat=True)) == {"open-1"}
    assert not mine.filter(day__lt=TUESDAY).exists()
    assert not mine.filter(day__gte=TUESDAY + dt.timedelta(days=14)).exists()


def test_centre_hours_set_the_slots(make_centre):
    centre = make_centre(opens_at=dt.time(10), closes_at=dt.time(11))
    slots_open(start=TUESDAY, days=1, centre=centre)
    assert list(Slot.objects.values_list("starts_at", flat=True).order_by("starts_at")) == [
        dt.time(10), dt.time(10, 20), dt.time(10, 40)]


def test_slots_follow_each_weekdays_own_hours_with_a_place_per_desk(make_centre):
    # Short on Tuesday, long on Wednesday, open on Saturday, closed on Monday.
    centre = make_centre(weekdays=(), desks=6)
    OpeningHours.objects.bulk_create([
        OpeningHours(centre=centre, weekday=Weekday.TUESDAY, opens_at=dt.time(9),
                     closes_at=dt.time(10)),
        OpeningHours(centre=centre, weekday=Weekday.WEDNESDAY, opens_at=dt.time(14),
                     closes_at=dt.time(15, 10)),
        OpeningHours(centre=centre, weekday=Weekday.SATURDAY, opens_at=dt.time(10),
                     closes_at=dt.time(10, 40)),
    ])
    created = slots_open(start=TUESDAY, days=7, centre=centre)
    by_day: dict[dt.date, list[dt.time]] = {}
    for day, starts_at in Slot.objects.order_by("day", "starts_at").values_list("day",
                                                                               "starts_at"):
        by_day.setdefault(day, []).append(starts_at)
    assert by_day == {
        TUESDAY: [dt.time(9), dt.time(9, 20), dt.time(9, 40)],
        # A slot that would run past closing (15:00–15:20) is not opened.
        TUESDAY + dt.timedelta(days=1): [dt.time(14), dt.time(14, 20), dt.time(14, 40)],
        TUESDAY + dt.timedelta(days=4): [dt.time(10), dt.time(10, 20)],
    }
    assert created == 8
    assert set(Slot.objects.values_list("capacity", flat=True)) == {6}


def test_new_desks_change_new_slots_only(make_centre):
    centre = make_centre(desks=2)
    slots_open(start=TUESDAY, days=1, centre=centre)
    centre.desks = 5
    centre.save(update_fields=["desks"])
    slots_open(start=TUESDAY, days=2, centre=centre)
    assert dict(Slot.objects.values_list("day", "capacity").distinct()) == {
        TUESDAY: 2, TUESDAY + dt.timedelta(days=1): 5}


def test_a_centre_without_hours_gets_no_slots(make_centre):
    centre = make_centre(weekdays=())
    assert slots_open(start=TUESDAY, days=7, centre=centre) == 0


def test_opening_zero_days_is_refused(centre):
    with pytest.raises(DomainError):
        slots_open(start=TUESDAY, days=0, centre=centre)


def test_daily_task_keeps_two_weeks_open(centre, clock):
    open_slots_ahead.delay().get()
    assert Slot.objects.filter(centre=centre).count() == 10 * 27
    clock.advance(days=1)
    open_slots_ahead.delay().get()
    # A day later only the newly reached working day is added.
    assert Slot.objects.filter(centre=centre).count() == 11 * 27
    assert Slot.objects.filter(centre=centre).latest("day").day == TUESDAY + dt.timedelta(days=14)
