"""Citizens racing for the same places on the real database: a place is never given twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from dost.equeue import services
from dost.equeue.models import Booking, Slot
from dost.errors import DomainError
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock
from tests.equeue.conftest import TUESDAY, fill, slot_at

WAIT_SECONDS = 10
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def booking_for(person_id: int, service_id: int, slot_id: int) -> Callable[[], Booking]:
    return lambda: services.booking_create(person_id=person_id, service_id=service_id,
                                           slot_id=slot_id)


@race
def test_two_citizens_racing_for_the_last_place_only_one_gets_it(
        alice, bob, make_person, centre, service, week_of_slots, monkeypatch):
    slot = slot_at(centre, TUESDAY, "09:00")
    fill(slot, make_person, service, leave=1)
    # Hold whoever takes the place first inside its transaction, so the other
    # request really arrives while the place is taken but not yet committed.
    took_place, release = threading.Event(), threading.Event()
    take_place = services._take_place

    def held_take_place(slot_id: int) -> int | None:
        number = take_place(slot_id)
        if not took_place.is_set():
            took_place.set()
            release.wait(WAIT_SECONDS)
        return number

    monkeypatch.setattr(services, "_take_place", held_take_place)
    alice_results: list[Any] = []
    bob_results: list[Any] = []
    first = in_thread(booking_for(alice.person_id, service.pk, slot.pk), alice_results)
    try:
        assert took_place.wait(WAIT_SECONDS)
        second = in_thread(booking_for(bob.person_id, service.pk, slot.pk), bob_results)
        assert someone_comes_to_wait_on_a_lock(), "the second booking should wait for the first"
    finally:
        release.set()
        first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    [alice_booking] = alice_results
    [bob_refusal] = bob_results
    assert isinstance(alice_booking, Booking)
    assert isinstance(bob_refusal, DomainError)
    assert bob_refusal.code == "slot_full"
    # A request thread speaks the default language, Azerbaijani.
    with translation.override("az"):
        assert bob_refusal.message == gettext(
            "This time is already fully booked. Please choose another time.")
    assert list(Booking.objects.filter(person__in=[alice.person, bob.person])
                .values_list("person_id", flat=True)) == [alice.person_id]
    assert Slot.objects.get(pk=slot.pk).booked == slot.capacity
    assert Booking.objects.filter(slot=slot, status="booked").count() == slot.capacity


@race
def test_many_citizens_at_once_fill_a_slot_exactly(make_person, centre, service, week_of_slots):
    slot = slot_at(centre, TUESDAY, "09:00")
    people = [make_person() for _ in range(slot.capacity + 4)]
    start = threading.Barrier(len(people))
    results: list[Any] = []
    threads = [in_thread(booking_for(person.pk, service.pk, slot.pk), results, start)
               for person in people]
    for thread in threads:
        thread.join(WAIT_SECONDS)

    booked = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if isinstance(result, DomainError)]
    assert len(booked) == slot.capacity
    assert [refusal.code for refusal in refused] == ["slot_full"] * 4
    assert Slot.objects.get(pk=slot.pk).booked == slot.capacity
    assert Booking.objects.filter(slot=slot).count() == slot.capacity
    assert len({booking.ticket_code for booking in booked}) == slot.capacity


@race
def test_one_citizen_booking_twice_at_once_gets_one_booking(alice, centre, service,
                                                            week_of_slots):
    morning = slot_at(centre, TUESDAY, "09:00")
    afternoon = slot_at(centre, TUESDAY, "15:00")
    start = threading.Barrier(2)
    results: list[Any] = []
    threads = [in_thread(booking_for(alice.person_id, service.pk, slot.pk), results, start)
               for slot in (morning, afternoon)]
    for thread in threads:
        thread.join(WAIT_SECONDS)

    assert sorted(type(result).__name__ for result in results) == ["Booking", "DomainError"]
    assert [r.code for r in results if isinstance(r, DomainError)] == ["already_booked"]
    assert Booking.objects.filter(person=alice.person).count() == 1
    # The refused request gave its place back.
    assert sum(Slot.objects.filter(pk__in=[morning.pk, afternoon.pk])
               .values_list("booked", flat=True)) == 1


@race
def test_a_move_and_a_booking_racing_for_the_last_place_leave_the_loser_unchanged(
        alice, bob, make_person, centre, service, week_of_slots):
    old = slot_at(centre, TUESDAY, "09:00")
    target = slot_at(centre, TUESDAY, "11:00")
    alice_booking = services.booking_create(person_id=alice.person_id, service_id=service.pk,
                                            slot_id=old.pk)
    fill(target, make_person, service, leave=1)
    start = threading.Barrier(2)
    move_results: list[Any] = []
    book_results: list[Any] = []
    threads = [
        in_thread(lambda: services.booking_move(booking_id=alice_booking.pk,
                                                person_id=alice.person_id, slot_id=target.pk),
                  move_results, start),
        in_thread(booking_for(bob.person_id, service.pk, target.pk), book_results, start),
    ]
    for thread in threads:
        thread.join(WAIT_SECONDS)

    [moved] = move_results
    [bobs] = book_results
    assert isinstance(moved, Booking) != isinstance(bobs, Booking)
    assert Slot.objects.get(pk=target.pk).booked == target.capacity
    alice_now = Booking.objects.get(pk=alice_booking.pk)
    if isinstance(moved, DomainError):
        assert moved.code == "slot_full"
        assert (alice_now.slot_id, alice_now.ticket_code) == (old.pk, alice_booking.ticket_code)
        assert Slot.objects.get(pk=old.pk).booked == 1
    else:
        assert bobs.code == "slot_full"
        assert alice_now.slot_id == target.pk
        assert Slot.objects.get(pk=old.pk).booked == 0
