"""Desks pressing "call next" at the same moment, on the real database: a ticket is never
handed to two desks, and a desk never holds two tickets."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import transaction

from dost.equeue import services
from dost.equeue.models import Booking
from dost.errors import DomainError
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock
from tests.equeue.conftest import TUESDAY, slot_at

WAIT_SECONDS = 10
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def queue_of(make_person, centre, service, count: int) -> list[Booking]:
    slot = slot_at(centre, TUESDAY, "09:00")
    return [services.booking_create(person_id=make_person().pk, service_id=service.pk,
                                    slot_id=slot.pk) for _number in range(count)]


def call_and_hold(centre, desk: int, official, called: threading.Event,
                  release: threading.Event):
    """Call next at ``desk`` and keep the transaction open until ``release``."""
    def run() -> Booking:
        with transaction.atomic():
            booking = services.desk_call_next(centre=centre, desk=desk, actor_id=official.pk)
            called.set()
            release.wait(WAIT_SECONDS)
            return booking

    return run


@race
def test_two_desks_calling_at_once_get_two_different_tickets(make_person, charlie, centre,
                                                             service, week_of_slots):
    first, second = queue_of(make_person, centre, service, 2)
    # Desk 1 has taken the first ticket and not committed yet when desk 2 calls: desk 2
    # does not wait for it, and does not get it, but takes the next one.
    called, release = threading.Event(), threading.Event()
    desk_one: list[Any] = []
    desk_two: list[Any] = []
    holder = in_thread(call_and_hold(centre, 1, charlie, called, release), desk_one)
    try:
        assert called.wait(WAIT_SECONDS)
        other = in_thread(lambda: services.desk_call_next(centre=centre, desk=2,
                                                          actor_id=charlie.pk), desk_two)
        other.join(WAIT_SECONDS)
        assert desk_two, "desk 2 should not wait for desk 1's ticket"
    finally:
        release.set()
        holder.join(WAIT_SECONDS)

    [one], [two] = desk_one, desk_two
    assert (one.pk, two.pk) == (first.pk, second.pk)
    assert dict(Booking.objects.filter(pk__in=[first.pk, second.pk])
                .values_list("pk", "desk")) == {first.pk: 1, second.pk: 2}
    assert set(Booking.objects.filter(pk__in=[first.pk, second.pk])
               .values_list("status", flat=True)) == {"called"}


@race
def test_many_desks_calling_at_once_each_get_their_own_ticket(make_person, charlie, centre,
                                                              service, week_of_slots):
    queue = queue_of(make_person, centre, service, 3)
    desks = range(1, centre.desks + 1)
    start = threading.Barrier(len(desks))
    results: list[Any] = []
    threads = [in_thread(lambda desk=desk: services.desk_call_next(
        centre=centre, desk=desk, actor_id=charlie.pk), results, start) for desk in desks]
    for thread in threads:
        thread.join(WAIT_SECONDS)

    called = [result for result in results if isinstance(result, Booking)]
    refused = [result for result in results if isinstance(result, DomainError)]
    # Four desks, three tickets: each ticket at one desk, the fourth desk told the queue is empty.
    assert sorted(booking.pk for booking in called) == sorted(booking.pk for booking in queue)
    assert len({booking.desk for booking in called}) == 3
    assert [refusal.code for refusal in refused] == ["queue_empty"]
    assert Booking.objects.filter(pk__in=[b.pk for b in queue], status="called").count() == 3


@race
def test_one_desk_calling_twice_at_once_holds_one_ticket(make_person, charlie, centre, service,
                                                         week_of_slots):
    first, second = queue_of(make_person, centre, service, 2)
    called, release = threading.Event(), threading.Event()
    held: list[Any] = []
    again: list[Any] = []
    holder = in_thread(call_and_hold(centre, 1, charlie, called, release), held)
    try:
        assert called.wait(WAIT_SECONDS)
        # The same desk from another tab: it sees no committed ticket at the desk yet, takes
        # the next ticket, and meets desk 1's uncommitted one in the unique index.
        other = in_thread(lambda: services.desk_call_next(centre=centre, desk=1,
                                                          actor_id=charlie.pk), again)
        assert someone_comes_to_wait_on_a_lock(), "the second call should wait for the first"
    finally:
        release.set()
        holder.join(WAIT_SECONDS)
    other.join(WAIT_SECONDS)

    [booking], [refusal] = held, again
    assert booking.pk == first.pk
    assert isinstance(refusal, DomainError) and refusal.code == "desk_busy"
    assert Booking.objects.get(pk=second.pk).status == "booked"
    assert Booking.objects.filter(desk=1, status="called").count() == 1
