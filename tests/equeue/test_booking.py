from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from dost.equeue.models import Booking, Slot
from dost.equeue.services import booking_cancel, booking_create, booking_move, slots_open
from dost.errors import DomainError
from tests.equeue.conftest import TUESDAY, fill, serve_next, slot_at

pytestmark = pytest.mark.usefixtures("week_of_slots")

WEDNESDAY = TUESDAY + dt.timedelta(days=1)


def book(person, service, slot) -> Booking:
    return booking_create(person_id=person.pk, service_id=service.pk, slot_id=slot.pk)


def refusal(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def test_booking_takes_a_place_and_issues_a_ticket(alice, centre, service):
    slot = slot_at(centre, TUESDAY, "09:20")
    booking = book(alice.person, service, slot)
    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.status == Booking.Status.BOOKED
    assert (booking.centre_id, booking.day) == (centre.code, TUESDAY)
    assert booking.ticket_code == "DOST-Q-NASIMI-1-20261124-092001"


def test_tickets_of_one_slot_are_numbered_in_turn(make_person, centre, service):
    slot = slot_at(centre, TUESDAY, "10:00")
    codes = [book(make_person(), service, slot).ticket_code for _ in range(3)]
    assert [re.sub(r".*-", "", code) for code in codes] == ["100001", "100002", "100003"]


def test_full_slot_is_refused_and_nothing_saved(alice, make_person, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    fill(slot, make_person, service)
    assert refusal(lambda: book(alice.person, service, slot)) == "slot_full"
    slot.refresh_from_db()
    assert slot.booked == slot.capacity
    assert not Booking.objects.filter(person=alice.person).exists()


def test_past_slot_is_refused(alice, centre, service, clock):
    clock.set(TUESDAY, "09:30")
    slot = slot_at(centre, TUESDAY, "09:20")
    assert refusal(lambda: book(alice.person, service, slot)) == "slot_past"
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_slot_that_started_a_minute_ago_is_past(alice, centre, service, clock):
    clock.set(TUESDAY, "09:21")
    assert refusal(lambda: book(alice.person, service, slot_at(centre, TUESDAY, "09:20"))) \
        == "slot_past"


def test_booking_the_same_service_twice_on_a_day_is_refused(alice, centre, service):
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    second = slot_at(centre, TUESDAY, "15:00")
    assert refusal(lambda: book(alice.person, service, second)) == "already_booked"
    assert Slot.objects.get(pk=second.pk).booked == 0


def test_same_service_on_another_day_and_another_service_the_same_day_are_allowed(
        alice, centre, service, make_service):
    book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    book(alice.person, service, slot_at(centre, WEDNESDAY, "09:00"))
    book(alice.person, make_service("disability-aids"), slot_at(centre, TUESDAY, "11:00"))
    assert Booking.objects.filter(person=alice.person, status="booked").count() == 3


def test_after_cancelling_the_service_can_be_booked_again_that_day(alice, centre, service):
    first = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    booking_cancel(booking_id=first.pk, person_id=alice.person.pk)
    assert book(alice.person, service, slot_at(centre, TUESDAY, "12:00")).active


def test_service_not_bookable_is_refused(alice, centre, make_service):
    walk_in = make_service("walk-in-only", bookable=False)
    slot = slot_at(centre, TUESDAY, "09:00")
    assert refusal(lambda: book(alice.person, walk_in, slot)) == "service_not_bookable"


def test_closed_centre_is_refused(alice, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    centre.active = False
    centre.save(update_fields=["active"])
    assert refusal(lambda: book(alice.person, service, slot)) == "centre_closed"


def test_refusals_speak_the_citizens_language(alice, make_person, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    fill(slot, make_person, service)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        book(alice.person, service, slot)
    assert caught.value.message.startswith("This time is already fully booked")


def test_move_takes_the_new_place_and_frees_the_old(alice, centre, service):
    old = slot_at(centre, TUESDAY, "09:00")
    new = slot_at(centre, WEDNESDAY, "14:20")
    booking = book(alice.person, service, old)
    moved = booking_move(booking_id=booking.pk, person_id=alice.person.pk, slot_id=new.pk)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.booked, new.booked) == (0, 1)
    assert (moved.slot_id, moved.day) == (new.pk, WEDNESDAY)
    assert moved.ticket_code == "DOST-Q-NASIMI-1-20261125-142001"
    assert Booking.objects.get(pk=booking.pk).slot_id == new.pk


def test_move_to_a_full_slot_leaves_the_booking_untouched(alice, make_person, centre, service):
    old = slot_at(centre, TUESDAY, "09:00")
    full = slot_at(centre, TUESDAY, "10:00")
    booking = book(alice.person, service, old)
    fill(full, make_person, service)
    code = refusal(lambda: booking_move(booking_id=booking.pk, person_id=alice.person.pk,
                                        slot_id=full.pk))
    assert code == "slot_full"
    unchanged = Booking.objects.get(pk=booking.pk)
    assert (unchanged.slot_id, unchanged.ticket_code, unchanged.status) == (
        old.pk, booking.ticket_code, "booked")
    assert Slot.objects.get(pk=old.pk).booked == 1
    assert Slot.objects.get(pk=full.pk).booked == full.capacity


def test_move_onto_a_day_already_booked_for_the_service_is_refused(alice, centre, service):
    tuesday = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    book(alice.person, service, slot_at(centre, WEDNESDAY, "09:00"))
    target = slot_at(centre, WEDNESDAY, "12:00")
    assert refusal(lambda: booking_move(booking_id=tuesday.pk, person_id=alice.person.pk,
                                        slot_id=target.pk)) == "already_booked"
    assert Slot.objects.get(pk=target.pk).booked == 0


def test_move_within_the_same_day_is_allowed(alice, centre, service):
    booking = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    later = slot_at(centre, TUESDAY, "16:00")
    assert booking_move(booking_id=booking.pk, person_id=alice.person.pk,
                        slot_id=later.pk).slot_id == later.pk


def test_move_to_the_same_slot_is_refused(alice, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    booking = book(alice.person, service, slot)
    assert refusal(lambda: booking_move(booking_id=booking.pk, person_id=alice.person.pk,
                                        slot_id=slot.pk)) == "same_slot"
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_move_to_a_past_slot_is_refused(alice, centre, service, clock):
    booking = book(alice.person, service, slot_at(centre, TUESDAY, "12:00"))
    clock.set(TUESDAY, "10:00")
    earlier = slot_at(centre, TUESDAY, "09:40")
    assert refusal(lambda: booking_move(booking_id=booking.pk, person_id=alice.person.pk,
                                        slot_id=earlier.pk)) == "slot_past"


def test_cancel_frees_the_place(alice, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    booking = book(alice.person, service, slot)
    cancelled = booking_cancel(booking_id=booking.pk, person_id=alice.person.pk)
    assert cancelled.status == Booking.Status.CANCELLED
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_cancelling_twice_is_refused_and_frees_nothing_more(alice, bob, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    booking = book(alice.person, service, slot)
    book(bob.person, service, slot)
    booking_cancel(booking_id=booking.pk, person_id=alice.person.pk)
    assert refusal(lambda: booking_cancel(booking_id=booking.pk,
                                          person_id=alice.person.pk)) == "not_active"
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_a_freed_place_gets_a_new_ticket_number(alice, bob, make_person, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    fill(slot, make_person, service, leave=1)
    first = book(alice.person, service, slot)
    booking_cancel(booking_id=first.pk, person_id=alice.person.pk)
    again = book(bob.person, service, slot)
    assert again.ticket_code != first.ticket_code


def test_another_citizens_booking_cannot_be_moved_or_cancelled(alice, bob, centre, service):
    slot = slot_at(centre, TUESDAY, "09:00")
    booking = book(alice.person, service, slot)
    other = slot_at(centre, TUESDAY, "11:00")
    assert refusal(lambda: booking_cancel(booking_id=booking.pk,
                                          person_id=bob.person.pk)) == "booking_unknown"
    assert refusal(lambda: booking_move(booking_id=booking.pk, person_id=bob.person.pk,
                                        slot_id=other.pk)) == "booking_unknown"
    assert Booking.objects.get(pk=booking.pk).slot_id == slot.pk


def test_a_served_booking_can_no_longer_be_cancelled(alice, charlie, centre, service):
    booking = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    assert serve_next(centre, charlie).pk == booking.pk
    assert refusal(lambda: booking_cancel(booking_id=booking.pk,
                                          person_id=alice.person.pk)) == "not_active"


def test_booking_a_service_the_centre_does_not_offer_is_refused(alice, centre, service):
    centre.services.remove(service)
    slot = slot_at(centre, TUESDAY, "09:00")
    with translation.override("en"), pytest.raises(DomainError) as caught:
        book(alice.person, service, slot)
    assert caught.value.code == "service_not_offered"
    with translation.override("en"):
        assert str(caught.value.message) == ("This DOST centre does not offer this service. "
                                             "Please choose another centre.")
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert not Booking.objects.filter(person=alice.person).exists()


def test_moving_to_a_centre_that_does_not_offer_the_service_is_refused(alice, make_centre,
                                                                       centre, service):
    other = make_centre("yasamal-1", region_id="yasamal")
    other.services.remove(service)
    slots_open(start=TUESDAY, days=1, centre=other)
    booking = book(alice.person, service, slot_at(centre, TUESDAY, "09:00"))
    assert refusal(lambda: booking_move(booking_id=booking.pk, person_id=alice.person.pk,
                                        slot_id=slot_at(other, TUESDAY, "10:00").pk)) == \
        "service_not_offered"
    assert Booking.objects.get(pk=booking.pk).slot_id == slot_at(centre, TUESDAY, "09:00").pk
