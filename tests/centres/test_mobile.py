"""Mobile units ("Mobil DOST"): planning and cancelling stops, and the public schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from dost.centres.models import MobileStop, MobileUnit
from dost.centres.selectors import coming_mobile_stops
from dost.centres.services import StopPlace, mobile_stop_add, mobile_stop_cancel
from dost.errors import DomainError
from tests.equeue.conftest import BAKU, TUESDAY, Clock

WEDNESDAY = TUESDAY + dt.timedelta(days=1)
PLACE = StopPlace(az="Mədəniyyət mərkəzinin qarşısı", en="Outside the culture centre",
                  ru="У дома культуры")


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    clock = Clock(dt.datetime.combine(TUESDAY, dt.time(8), tzinfo=BAKU))
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def unit(db) -> MobileUnit:
    return MobileUnit.objects.create(code="mobil-1", centre_id="baku-1", name_az="Mobil DOST 1",
                                     name_en="Mobile DOST 1", name_ru="Мобильный DOST 1")


def add(unit, official, *, day=WEDNESDAY, starts="10:00", ends="12:00", region="absheron",
        place=PLACE) -> MobileStop:
    return mobile_stop_add(unit=unit, region_id=region, day=day,
                           starts_at=dt.time.fromisoformat(starts),
                           ends_at=dt.time.fromisoformat(ends), place=place,
                           actor_id=official.pk)


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_a_planned_stop_is_on_the_public_schedule(unit, charlie, clock):
    stop = add(unit, charlie)
    assert (stop.created_by, stop.created_at, stop.cancelled) == (charlie, clock.now(), False)
    assert list(coming_mobile_stops(now=clock.now())) == [stop]
    assert list(coming_mobile_stops(now=clock.now(), region="absheron")) == [stop]
    assert list(coming_mobile_stops(now=clock.now(), region="nasimi")) == []


def test_the_place_in_other_languages_falls_back_to_azerbaijani(unit, charlie):
    stop = add(unit, charlie, place=StopPlace(az="  Bələdiyyənin   yanı "))
    assert (stop.place_az, stop.place_en) == ("Bələdiyyənin yanı", "")
    with translation.override("en"):
        assert stop.place == "Bələdiyyənin yanı"


@pytest.mark.parametrize(("starts", "ends"), [("12:00", "10:00"), ("10:00", "10:00")])
def test_a_stop_ending_before_it_starts_is_refused(unit, charlie, starts, ends):
    with translation.override("en"):
        refusal = refused(lambda: add(unit, charlie, starts=starts, ends=ends))
    assert refusal.code == "ends_before_start"
    with translation.override("en"):
        assert str(refusal.message) == "A stop must end after it starts."
    assert not MobileStop.objects.exists()


@pytest.mark.parametrize(("day", "starts"), [(TUESDAY - dt.timedelta(days=1), "10:00"),
                                             (TUESDAY, "07:30"), (TUESDAY, "08:00")])
def test_a_stop_in_the_past_is_refused(unit, charlie, day, starts):
    with translation.override("en"):
        refusal = refused(lambda: add(unit, charlie, day=day, starts=starts, ends="15:00"))
    assert refusal.code == "in_the_past"
    with translation.override("en"):
        assert str(refusal.message) == ("A stop cannot be planned in the past: choose a later "
                                        "day or time.")
    assert not MobileStop.objects.exists()


def test_a_stop_later_today_is_fine(unit, charlie):
    assert add(unit, charlie, day=TUESDAY, starts="08:30", ends="09:30").day == TUESDAY


@pytest.mark.parametrize(("starts", "ends"), [
    ("11:00", "13:00"),  # runs into the end of the first
    ("09:00", "10:30"),  # runs into its start
    ("10:30", "11:30"),  # inside it
    ("09:00", "13:00"),  # around it
    ("10:00", "12:00"),  # the same time
])
def test_overlapping_stops_of_one_unit_are_refused(unit, charlie, starts, ends):
    add(unit, charlie, starts="10:00", ends="12:00")
    refusal = refused(lambda: add(unit, charlie, starts=starts, ends=ends, region="pirallahi"))
    assert refusal.code == "overlaps"
    assert MobileStop.objects.count() == 1


def test_back_to_back_stops_and_other_units_at_the_same_time_are_fine(unit, charlie):
    other = MobileUnit.objects.create(code="mobil-2", centre_id="baku-1", name_az="Mobil DOST 2",
                                      name_en="Mobile DOST 2", name_ru="Мобильный DOST 2")
    add(unit, charlie, starts="10:00", ends="12:00")
    add(unit, charlie, starts="12:00", ends="14:00", region="pirallahi")
    add(other, charlie, starts="10:00", ends="12:00")
    add(unit, charlie, day=WEDNESDAY + dt.timedelta(days=1), starts="10:00", ends="12:00")
    assert MobileStop.objects.count() == 4


def test_a_cancelled_stop_frees_its_time(unit, charlie):
    first = add(unit, charlie)
    mobile_stop_cancel(stop_id=first.pk, actor_id=charlie.pk)
    assert add(unit, charlie, region="pirallahi").region_id == "pirallahi"


def test_the_database_refuses_overlapping_stops_written_around_the_service(unit, charlie,
                                                                         clock):
    add(unit, charlie)
    with pytest.raises(IntegrityError), transaction.atomic():
        MobileStop.objects.create(unit=unit, region_id="nasimi", day=WEDNESDAY,
                                  starts_at=dt.time(11), ends_at=dt.time(13), place_az="X",
                                  created_by=charlie, created_at=clock.now())


@pytest.mark.parametrize(("field", "value", "code"), [
    ("region", "mars", "region_unknown"),
    ("place", StopPlace(az="   ", en="Somewhere"), "place_missing"),
])
def test_an_unknown_region_or_a_missing_place_is_refused(unit, charlie, field, value, code):
    assert refused(lambda: add(unit, charlie, **{field: value})).code == code
    assert not MobileStop.objects.exists()


def test_a_unit_out_of_service_takes_no_stops(unit, charlie):
    MobileUnit.objects.filter(pk=unit.pk).update(active=False)
    assert refused(lambda: add(unit, charlie)).code == "unit_inactive"


def test_a_cancelled_stop_leaves_the_schedule_and_stays_on_record(unit, charlie, clock):
    stop = add(unit, charlie)
    clock.advance(minutes=5)
    mobile_stop_cancel(stop_id=stop.pk, actor_id=charlie.pk)
    stop.refresh_from_db()
    assert (stop.cancelled_by, stop.cancelled_at) == (charlie, clock.now())
    assert list(coming_mobile_stops(now=clock.now())) == []


def test_cancelling_twice_or_a_stop_that_has_begun_is_refused(unit, charlie, clock):
    stop = add(unit, charlie)
    begun = add(unit, charlie, day=TUESDAY, starts="09:00", ends="11:00")
    mobile_stop_cancel(stop_id=stop.pk, actor_id=charlie.pk)
    assert refused(lambda: mobile_stop_cancel(stop_id=stop.pk,
                                              actor_id=charlie.pk)).code == "already_cancelled"
    clock.set(TUESDAY, "09:30")
    assert refused(lambda: mobile_stop_cancel(stop_id=begun.pk,
                                              actor_id=charlie.pk)).code == "already_begun"
    assert MobileStop.objects.get(pk=begun.pk).cancelled_at is None


def test_a_stop_leaves_the_schedule_when_it_is_over(unit, charlie, clock):
    stop = add(unit, charlie, day=TUESDAY, starts="09:00", ends="11:00")
    clock.set(TUESDAY, "10:59")
    assert list(coming_mobile_stops(now=clock.now())) == [stop]
    clock.set(TUESDAY, "11:00")
    assert list(coming_mobile_stops(now=clock.now())) == []


# --- the public page -------------------------------------------------------------------------


SCHEDULE = reverse("centres:mobile_stops")


def test_anyone_sees_the_coming_stops_by_day(client, unit, charlie):
    add(unit, charlie)
    add(unit, charlie, starts="13:00", ends="15:00", region="pirallahi",
        place=StopPlace(az="Qəsəbə", en="The settlement"))
    cancelled = add(unit, charlie, day=WEDNESDAY + dt.timedelta(days=1),
                    place=StopPlace(az="Ləğv", en="Called off"))
    mobile_stop_cancel(stop_id=cancelled.pk, actor_id=charlie.pk)
    body = client.get(SCHEDULE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Outside the culture centre" in body and "The settlement" in body
    assert "Called off" not in body
    assert "10:00–12:00" in body and "Mobile DOST 1" in body


def test_the_region_filter_shows_one_regions_stops(client, unit, charlie):
    add(unit, charlie)
    add(unit, charlie, starts="13:00", ends="15:00", region="pirallahi",
        place=StopPlace(az="Qəsəbə", en="The settlement"))
    body = client.get(SCHEDULE, {"region": "pirallahi"},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The settlement" in body and "Outside the culture centre" not in body
    body = client.get(SCHEDULE, {"region": "nasimi"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No mobile unit is due in Nasimi yet." in body


def test_an_unknown_region_is_refused_beside_the_filter_and_everything_shown(client, unit,
                                                                            charlie):
    add(unit, charlie)
    response = client.get(SCHEDULE, {"region": "mars"}, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_region_error"' in body
    assert "Outside the culture centre" in body


def test_the_schedule_needs_a_fixed_number_of_queries(client, unit, charlie,
                                                      django_assert_max_num_queries):
    for hour in range(9, 17, 2):
        add(unit, charlie, starts=f"{hour:02d}:00", ends=f"{hour + 1:02d}:00")
    with django_assert_max_num_queries(4):
        client.get(SCHEDULE)
