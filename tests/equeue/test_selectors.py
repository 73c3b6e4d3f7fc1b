from __future__ import annotations

import datetime as dt

import pytest

from dost.equeue.selectors import (
    booking_days,
    booking_of_person,
    bookings_of_person,
    free_slots,
    queue_ahead,
    todays_queue,
)
from dost.equeue.services import booking_cancel, booking_create, slots_open
from tests.equeue.conftest import TUESDAY, fill, serve_next, slot_at

pytestmark = pytest.mark.usefixtures("week_of_slots")


def book(person, service, slot):
    return booking_create(person_id=person.pk, service_id=service.pk, slot_id=slot.pk)


def test_place_in_todays_queue_counts_earlier_slots_then_earlier_bookings(
        alice, make_person, centre, service, clock):
    book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    clock.advance(minutes=1)
    book(make_person(), service, slot_at(centre, TUESDAY, "09:20"))
    clock.advance(minutes=1)
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "09:20"))
    clock.advance(minutes=1)
    # Booked later, but for an earlier time: ahead of alice.
    book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    clock.advance(minutes=1)
    # Same time, booked after alice: behind her.
    book(make_person(), service, slot_at(centre, TUESDAY, "09:20"))
    assert queue_ahead(booking_id=mine.pk) == 3


def test_place_in_queue_leaves_out_cancelled_served_other_days_and_other_centres(
        alice, charlie, make_person, make_centre, centre, service):
    other_centre = make_centre("yasamal-1", region_id="yasamal")
    slots_open(start=TUESDAY, days=2, centre=other_centre)
    cancelled = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    served = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    book(make_person(), service, slot_at(other_centre, TUESDAY, "09:00"))
    book(make_person(), service, slot_at(centre, TUESDAY + dt.timedelta(days=1), "09:00"))
    waiting = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    booking_cancel(booking_id=cancelled.pk, person_id=cancelled.person_id)
    assert serve_next(centre, charlie).pk == served.pk
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "10:00"))
    assert queue_ahead(booking_id=mine.pk) == 1
    assert [booking.pk for booking in todays_queue(centre_code=centre.code)] == [
        waiting.pk, mine.pk]


def test_first_in_the_queue_has_nobody_ahead(alice, centre, service):
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "11:00"))
    assert queue_ahead(booking_id=mine.pk) == 0


def test_a_cancelled_booking_has_no_place(alice, centre, service):
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "11:00"))
    booking_cancel(booking_id=mine.pk, person_id=alice.person.pk)
    assert queue_ahead(booking_id=mine.pk) is None


def test_free_slots_leave_out_full_and_started_ones(make_person, centre, service, clock):
    fill(slot_at(centre, TUESDAY, "09:40"), make_person, service)
    clock.set(TUESDAY, "09:20")
    times = [slot.starts_at for slot in free_slots(centre_code=centre.code, day=TUESDAY)]
    assert times[:2] == [dt.time(10), dt.time(10, 20)]
    # 09:00 and 09:20 have started, 09:40 is full.
    assert len(times) == 27 - 2 - 1


def test_free_slots_are_empty_for_a_closed_centre_or_a_service_not_bookable(
        centre, make_service):
    assert not free_slots(centre_code=centre.code, day=TUESDAY,
                          service=make_service("walk-in", bookable=False)).exists()
    centre.active = False
    centre.save(update_fields=["active"])
    assert not free_slots(centre_code=centre.code, day=TUESDAY).exists()


def test_booking_days_are_the_open_working_days_from_today(centre, clock):
    clock.set(TUESDAY + dt.timedelta(days=1), "08:00")
    assert booking_days() == [TUESDAY + dt.timedelta(days=n) for n in (1, 2, 3, 6)]


def test_bookings_of_a_citizen_are_only_their_own(alice, bob, centre, service):
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    book(bob.person, service, slot_at(centre, TUESDAY, "09:00"))
    assert [booking.pk for booking in bookings_of_person(alice.person.pk)] == [mine.pk]
    assert booking_of_person(person_id=bob.person.pk, booking_id=mine.pk) is None


def test_bookings_of_a_citizen_with_places_take_one_query(
        alice, make_service, centre, service, django_assert_num_queries):
    for number, time in enumerate(["09:00", "10:00", "11:00"]):
        book(alice.person, make_service(f"service-{number}"), slot_at(centre, TUESDAY, time))
    with django_assert_num_queries(1):
        places = [(b.service.title, b.centre.name, b.slot.starts_at, b.ahead)
                  for b in bookings_of_person(alice.person.pk)]
    assert [place[3] for place in places] == [0, 1, 2]


def test_no_free_times_for_a_service_the_centre_does_not_offer(centre, service):
    assert free_slots(centre_code=centre.code, day=TUESDAY, service=service).exists()
    centre.services.remove(service)
    assert not free_slots(centre_code=centre.code, day=TUESDAY, service=service).exists()
