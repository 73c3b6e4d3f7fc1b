"""At the centre's desks: call the next ticket, mark it served or not come, on a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext

from dost.equeue.models import Booking
from dost.equeue.selectors import day_counts, queue_ahead, todays_queue
from dost.equeue.services import (
    booking_cancel,
    booking_create,
    booking_move,
    booking_no_show,
    booking_served,
    desk_call_next,
    slots_open,
)
from dost.errors import DomainError
from tests.equeue.conftest import TUESDAY, slot_at

pytestmark = pytest.mark.usefixtures("week_of_slots")


def book(person, service, slot) -> Booking:
    return booking_create(person_id=person.pk, service_id=service.pk, slot_id=slot.pk)


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def call(centre, official, desk: int = 1) -> Booking:
    return desk_call_next(centre=centre, desk=desk, actor_id=official.pk)


def test_call_next_takes_the_first_ticket_in_queue_order(make_person, charlie, centre, service,
                                                         clock):
    later_slot = book(make_person(), service, slot_at(centre, TUESDAY, "09:20"))
    clock.advance(minutes=1)
    first = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    clock.advance(minutes=1)
    same_slot_later = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    clock.set(TUESDAY, "09:05")
    assert [call(centre, charlie, desk).pk for desk in (1, 2, 3)] == [
        first.pk, same_slot_later.pk, later_slot.pk]
    assert list(todays_queue(centre_code=centre.code)) == []


def test_calling_records_the_desk_the_official_the_time_and_the_wait(alice, charlie, centre,
                                                                     service, clock):
    booked = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    clock.set(TUESDAY, "09:12:30")
    called = call(centre, charlie, desk=3)
    assert called.pk == booked.pk
    stored = Booking.objects.get(pk=booked.pk)
    assert (stored.status, stored.desk, stored.called_by_id) == ("called", 3, charlie.pk)
    assert stored.called_at == clock.now()
    # From the slot's start (09:00, later than the booking at 08:00) to the call.
    assert stored.wait_seconds == 12 * 60 + 30
    assert stored.at_desk and not stored.active and not stored.finished


def test_a_citizen_called_before_their_time_has_waited_nothing(alice, charlie, centre,
                                                               service, clock):
    book(alice.person, service, slot_at(centre, TUESDAY, "10:00"))
    clock.set(TUESDAY, "09:40")
    assert call(centre, charlie).wait_seconds == 0


def test_served_records_the_end_and_the_service_time(alice, charlie, centre, service, clock):
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    clock.set(TUESDAY, "09:03")
    called = call(centre, charlie)
    clock.advance(minutes=7, seconds=15)
    served = booking_served(booking_id=called.pk, centre_code=centre.code)
    stored = Booking.objects.get(pk=called.pk)
    assert (stored.status, stored.finished_at, stored.service_seconds) == (
        "served", clock.now(), 7 * 60 + 15)
    assert served.finished and stored.wait_seconds == 3 * 60


def test_no_show_records_the_end_without_a_service_time(alice, charlie, centre, service,
                                                        clock):
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    clock.set(TUESDAY, "09:10")
    called = call(centre, charlie)
    clock.advance(minutes=5)
    booking_no_show(booking_id=called.pk, centre_code=centre.code)
    stored = Booking.objects.get(pk=called.pk)
    assert (stored.status, stored.finished_at, stored.service_seconds) == (
        "no_show", clock.now(), None)
    assert stored.wait_seconds == 10 * 60


def test_call_next_with_nobody_waiting_is_refused_with_a_clear_message(charlie, centre):
    with translation.override("en"):
        refused = refusal(lambda: call(centre, charlie))
    assert refused.code == "queue_empty"
    assert str(refused.message) == "Nobody is waiting in today's queue."


def test_call_next_ignores_other_days_and_other_centres(make_person, make_centre, charlie,
                                                        centre, service):
    other = make_centre("yasamal-1", region_id="yasamal")
    slots_open(start=TUESDAY, days=2, centre=other)
    book(make_person(), service, slot_at(other, TUESDAY, "09:00"))
    book(make_person(), service, slot_at(centre, TUESDAY + dt.timedelta(days=1), "09:00"))
    assert refusal(lambda: call(centre, charlie)).code == "queue_empty"


def test_a_desk_with_a_ticket_still_called_must_finish_it_first(make_person, charlie, centre,
                                                                service, clock):
    first = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    waiting = book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    clock.set(TUESDAY, "09:01")
    call(centre, charlie, desk=1)
    with translation.override("az"):
        refused = refusal(lambda: call(centre, charlie, desk=1))
        assert refused.code == "desk_busy"
        assert refused.message == gettext("A ticket is still at this desk. Mark it served or "
                                          "not come before calling the next one.")
    assert Booking.objects.get(pk=waiting.pk).status == "booked"
    booking_served(booking_id=first.pk, centre_code=centre.code)
    assert call(centre, charlie, desk=1).pk == waiting.pk


@pytest.mark.parametrize("desk", [0, 5, -1])
def test_a_desk_the_centre_does_not_have_is_refused(alice, charlie, centre, service, desk):
    booked = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    assert centre.desks == 4
    assert refusal(lambda: call(centre, charlie, desk=desk)).code == "desk_unknown"
    assert Booking.objects.get(pk=booked.pk).status == "booked"


def test_served_twice_is_refused_and_changes_nothing(alice, charlie, centre, service, clock):
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    called = call(centre, charlie)
    clock.advance(minutes=4)
    booking_served(booking_id=called.pk, centre_code=centre.code)
    before = Booking.objects.get(pk=called.pk)
    clock.advance(minutes=4)
    assert refusal(lambda: booking_served(booking_id=called.pk,
                                          centre_code=centre.code)).code == "already_finished"
    assert refusal(lambda: booking_no_show(booking_id=called.pk,
                                           centre_code=centre.code)).code == "already_finished"
    after = Booking.objects.get(pk=called.pk)
    assert (after.status, after.finished_at, after.service_seconds) == (
        before.status, before.finished_at, before.service_seconds)


def test_no_show_twice_is_refused(alice, charlie, centre, service):
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    called = call(centre, charlie)
    booking_no_show(booking_id=called.pk, centre_code=centre.code)
    with translation.override("en"):
        refused = refusal(lambda: booking_no_show(booking_id=called.pk,
                                                  centre_code=centre.code))
    assert refused.code == "already_finished"
    assert str(refused.message) == "This visit has already ended."
    assert refusal(lambda: booking_served(booking_id=called.pk,
                                          centre_code=centre.code)).code == "already_finished"
    assert Booking.objects.get(pk=called.pk).service_seconds is None


def test_a_ticket_not_yet_called_cannot_be_served_or_marked_absent(alice, centre, service):
    booked = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    for end in (booking_served, booking_no_show):
        assert refusal(lambda end=end: end(booking_id=booked.pk,
                                           centre_code=centre.code)).code == "not_called"
    assert Booking.objects.get(pk=booked.pk).status == "booked"


def test_a_cancelled_booking_cannot_be_served(alice, centre, service):
    booked = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    booking_cancel(booking_id=booked.pk, person_id=alice.person.pk)
    assert refusal(lambda: booking_served(booking_id=booked.pk,
                                          centre_code=centre.code)).code == "not_active"


def test_another_centres_ticket_is_unknown_at_this_centre(alice, charlie, make_centre, centre,
                                                         service):
    other = make_centre("yasamal-1", region_id="yasamal")
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    called = call(centre, charlie)
    for end in (booking_served, booking_no_show):
        assert refusal(lambda end=end: end(booking_id=called.pk,
                                           centre_code=other.code)).code == "booking_unknown"
    assert Booking.objects.get(pk=called.pk).status == "called"


def test_a_called_ticket_can_no_longer_be_moved_or_cancelled(alice, charlie, centre, service):
    booked = book(alice.person, service, slot_at(centre, TUESDAY, "11:00"))
    call(centre, charlie)
    assert refusal(lambda: booking_cancel(booking_id=booked.pk,
                                          person_id=alice.person.pk)).code == "not_active"
    assert refusal(lambda: booking_move(
        booking_id=booked.pk, person_id=alice.person.pk,
        slot_id=slot_at(centre, TUESDAY, "15:00").pk)).code == "not_active"


def test_calling_moves_everyone_behind_up_the_queue(alice, make_person, charlie, centre,
                                                   service):
    book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "09:20"))
    assert queue_ahead(booking_id=mine.pk) == 1
    call(centre, charlie)
    assert queue_ahead(booking_id=mine.pk) == 0


def test_day_counts_tell_each_state_and_the_average_wait(make_person, charlie, centre, service,
                                                         clock, django_assert_num_queries):
    for _number in range(4):
        book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    book(make_person(), service, slot_at(centre, TUESDAY, "10:00"))
    clock.set(TUESDAY, "09:02")
    served = call(centre, charlie, desk=1)
    clock.set(TUESDAY, "09:06")
    absent = call(centre, charlie, desk=2)
    clock.set(TUESDAY, "09:10")
    call(centre, charlie, desk=3)
    booking_served(booking_id=served.pk, centre_code=centre.code)
    booking_no_show(booking_id=absent.pk, centre_code=centre.code)
    with django_assert_num_queries(1):
        counts = day_counts(centre_code=centre.code, day=TUESDAY)
    # Waits of 2, 6 and 10 minutes.
    assert (counts.waiting, counts.called, counts.served, counts.no_show) == (2, 1, 1, 1)
    assert counts.average_wait_seconds == 6 * 60


def test_day_counts_before_any_call_have_no_average_wait(centre):
    counts = day_counts(centre_code=centre.code, day=TUESDAY)
    assert (counts.waiting, counts.average_wait_seconds) == (0, None)
