"""Writes to the e-queue: opening slots, booking, moving and cancelling a visit, and
at the centre's desks calling the next ticket and ending the visit.

Every refusal is a ``DomainError`` whose message is fit to show the citizen (or the
official at the desk); its ``code`` is one of ``QueueRefusal``. A refused request
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.centres.models import Centre, OpeningHours, Service
from dost.equeue.models import Booking, Slot
from dost.errors import DomainError

SLOT_MINUTES = 20
# How far ahead citizens can book.
BOOKING_HORIZON_DAYS = 14


class QueueRefusal(StrEnum):
    SLOT_FULL = "slot_full"
    SLOT_PAST = "slot_past"
    SLOT_UNKNOWN = "slot_unknown"
    SAME_SLOT = "same_slot"
    CENTRE_CLOSED = "centre_closed"
    SERVICE_NOT_BOOKABLE = "service_not_bookable"
    ALREADY_BOOKED = "already_booked"
    BOOKING_UNKNOWN = "booking_unknown"
    NOT_ACTIVE = "not_active"
    SERVICE_NOT_OFFERED = "service_not_offered"
    # At the desk.
    DESK_UNKNOWN = "desk_unknown"
    DESK_BUSY = "desk_busy"
    QUEUE_EMPTY = "queue_empty"
    NOT_CALLED = "not_called"
    ALREADY_FINISHED = "already_finished"


def _refuse(code: QueueRefusal) -> DomainError:
    messages = {
        QueueRefusal.SLOT_FULL: _("This time is already fully booked. Please choose another "
                                  "time."),
        QueueRefusal.SLOT_PAST: _("This time has already passed. Please choose a later time."),
        QueueRefusal.SLOT_UNKNOWN: _("This time is not open for booking. Please choose another "
                                     "time."),
        QueueRefusal.SAME_SLOT: _("Your visit is already booked for this time."),
        QueueRefusal.CENTRE_CLOSED: _("This DOST centre is closed and takes no bookings. "
                                      "Please choose another centre."),
        QueueRefusal.SERVICE_NOT_BOOKABLE: _("This service cannot be booked in the e-queue."),
        QueueRefusal.ALREADY_BOOKED: _("You already have a booking for this service on that "
                                       "day. Move or cancel it instead of booking again."),
        QueueRefusal.BOOKING_UNKNOWN: _("This booking was not found."),
        QueueRefusal.NOT_ACTIVE: _("This booking is no longer active."),
        QueueRefusal.SERVICE_NOT_OFFERED: _("This DOST centre does not offer this service. "
                                            "Please choose another centre."),
        QueueRefusal.DESK_UNKNOWN: _("This centre has no desk with that number."),
        QueueRefusal.DESK_BUSY: _("A ticket is still at this desk. Mark it served or not come "
                                  "before calling the next one."),
        QueueRefusal.QUEUE_EMPTY: _("Nobody is waiting in today's queue."),
        QueueRefusal.NOT_CALLED: _("This ticket has not been called to a desk yet."),
        QueueRefusal.ALREADY_FINISHED: _("This visit has already ended."),
    }
    return DomainError(messages[code], code=code.value)


def slots_open(*, start: dt.date, days: int, centre: Centre | None = None,
               minutes: int = SLOT_MINUTES) -> int:
    """Open the slots of every day from ``start`` for ``days`` days; returns how many.

    On each weekday a centre has opening hours for, slots run from its opening to its
    closing time, each with as many places as the centre has desks. Only active
    centres (or just ``centre``) get slots. Slots that exist already are left as
    they are, with their bookings and capacity, so this can run every day.
    """
    if days < 1 or minutes < 1:
        raise DomainError(_("Days and slot length must be positive."), code="invalid")
    last = start + dt.timedelta(days=days - 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Slot._meta.db_table}
                (centre_id, day, starts_at, ends_at, capacity, booked, issued)
            SELECT centre.code, day::date, slot_start::time,
                   (slot_start + make_interval(mins => %(minutes)s))::time,
                   centre.desks, 0, 0
            FROM {Centre._meta.db_table} centre
            CROSS JOIN generate_series(%(start)s::date, %(last)s::date, interval '1 day') day
            JOIN {OpeningHours._meta.db_table} hours
              ON hours.centre_id = centre.code
             AND hours.weekday = extract(isodow FROM day)::int
            CROSS JOIN LATERAL generate_series(
                date '2000-01-01' + hours.opens_at,
                date '2000-01-01' + hours.closes_at - make_interval(mins => %(minutes)s),
                make_interval(mins => %(minutes)s)) slot_start
            WHERE centre.active
              AND (%(centre)s::text IS NULL OR centre.code = %(centre)s::text)
            ON CONFLICT (centre_id, day, starts_at) DO NOTHING
            """,  # noqa: S608 - table names come from the models, values are parameters
            {"start": start, "last": last, "minutes": minutes,
             "centre": centre.code if centre else None},
        )
        return cursor.rowcount


def slots_open_ahead(*, days: int = BOOKING_HORIZON_DAYS) -> int:
    """Open the next ``days`` days of slots at every active centre (demo data, nightly top-up)."""
    return slots_open(start=timezone.localdate(), days=days)


def _take_place(slot_id: int) -> int | None:
    """Take one place in the slot if one is free; returns the slot's new ticket count.

    The conditional update locks the slot row: a concurrent request for the
    same slot waits for this transaction, then sees the new count.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Slot._meta.db_table} SET booked = booked + 1, issued = issued + 1 "  # noqa: S608
            "WHERE id = %s AND booked < capacity RETURNING issued",
            [slot_id],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _free_place(slot_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Slot._meta.db_table} SET booked = booked - 1 "  # noqa: S608
            "WHERE id = %s AND booked > 0",
            [slot_id],
        )


def _ticket_code(slot: Slot, number: int) -> str:
    return (f"DOST-Q-{slot.centre_id.upper()}-{slot.day:%Y%m%d}-"
            f"{slot.starts_at:%H%M}{number:02d}")


def _bookable_slot(slot_id: int, *, now: dt.datetime) -> Slot:
    slot = Slot.objects.select_related("centre").filter(pk=slot_id).first()
    if slot is None:
        raise _refuse(QueueRefusal.SLOT_UNKNOWN)
    if not slot.centre.active:
        raise _refuse(QueueRefusal.CENTRE_CLOSED)
    if slot.starts <= now:
        raise _refuse(QueueRefusal.SLOT_PAST)
    return slot


def _offered(*, centre_id: str, service_id: int) -> bool:
    return Centre.services.through.objects.filter(centre_id=centre_id,
                                                  service_id=service_id).exists()


def _has_active_booking(*, person_id: int, service_id: int, day: dt.date,
                        other_than: int | None = None) -> bool:
    bookings = Booking.objects.filter(person_id=person_id, service_id=service_id, day=day,
                                      status=Booking.Status.BOOKED)
    if other_than is not None:
        bookings = bookings.exclude(pk=other_than)
    return bookings.exists()


def _locked_active_booking(*, booking_id: int, person_id: int, now: dt.datetime) -> Booking:
    booking = (Booking.objects.select_for_update().select_related("slot")
               .filter(pk=booking_id, person_id=person_id).first())
    if booking is None:
        raise _refuse(QueueRefusal.BOOKING_UNKNOWN)
    if booking.status != Booking.Status.BOOKED:
        raise _refuse(QueueRefusal.NOT_ACTIVE)
    if booking.slot.starts <= now:
        raise _refuse(QueueRefusal.SLOT_PAST)
    return booking


@transaction.atomic
def booking_create(*, person_id: int, service_id: int, slot_id: int) -> Booking:
    """Book a place in a slot for a service and issue the ticket.

    Takes one place in the slot in the same transaction. Refuses a full or
    past slot, a closed centre, a service that cannot be booked or that the
    slot's centre does not offer, and a second active booking of the same
    service on the same day.
    """
    now = timezone.now()
    service = Service.objects.filter(pk=service_id).first()
    if service is None or not (service.active and service.bookable):
        raise _refuse(QueueRefusal.SERVICE_NOT_BOOKABLE)
    slot = _bookable_slot(slot_id, now=now)
    if not _offered(centre_id=slot.centre_id, service_id=service_id):
        raise _refuse(QueueRefusal.SERVICE_NOT_OFFERED)
    if _has_active_booking(person_id=person_id, service_id=service_id, day=slot.day):
        raise _refuse(QueueRefusal.ALREADY_BOOKED)
    number = _take_place(slot.pk)
    if number is None:
        raise _refuse(QueueRefusal.SLOT_FULL)
    try:
        # A savepoint, so the unique constraint (two requests of the same
        # citizen at once) turns into the refusal and the outer rollback.
        with transaction.atomic():
            return Booking.objects.create(
                person_id=person_id, centre_id=slot.centre_id, service_id=service_id, slot=slot,
                day=slot.day, ticket_code=_ticket_code(slot, number), placed_at=now,
                created_at=now, updated_at=now,
            )
    except IntegrityError as exc:
        raise _refuse(QueueRefusal.ALREADY_BOOKED) from exc


@transaction.atomic
def booking_move(*, booking_id: int, person_id: int, slot_id: int) -> Booking:
    """Move a citizen's active booking to another slot, with a new ticket code.

    The new place is taken before the old one is freed, in one transaction:
    if the new slot is full (or past, or at a closed centre) the booking
    keeps its old place and nothing changes.
    """
    now = timezone.now()
    booking = _locked_active_booking(booking_id=booking_id, person_id=person_id, now=now)
    if booking.slot_id == slot_id:
        raise _refuse(QueueRefusal.SAME_SLOT)
    slot = _bookable_slot(slot_id, now=now)
    if not _offered(centre_id=slot.centre_id, service_id=booking.service_id):
        raise _refuse(QueueRefusal.SERVICE_NOT_OFFERED)
    if _has_active_booking(person_id=person_id, service_id=booking.service_id, day=slot.day,
                           other_than=booking.pk):
        raise _refuse(QueueRefusal.ALREADY_BOOKED)
    # Both slot rows locked in id order, so two moves between the same two
    # slots in opposite directions cannot deadlock.
    list(Slot.objects.select_for_update().filter(pk__in=[booking.slot_id, slot.pk])
         .order_by("pk").values_list("pk", flat=True))
    number = _take_place(slot.pk)
    if number is None:
        raise _refuse(QueueRefusal.SLOT_FULL)
    _free_place(booking.slot_id)
    booking.slot = slot
    booking.centre_id = slot.centre_id
    booking.day = slot.day
    booking.ticket_code = _ticket_code(slot, number)
    booking.placed_at = now
    booking.updated_at = now
    try:
        with transaction.atomic():
            booking.save(update_fields=["slot", "centre", "day", "ticket_code", "placed_at",
                                        "updated_at"])
    except IntegrityError as exc:
        raise _refuse(QueueRefusal.ALREADY_BOOKED) from exc
    return booking


@transaction.atomic
def booking_cancel(*, booking_id: int, person_id: int) -> Booking:
    """Cancel a citizen's active booking and free its place for someone else."""
    now = timezone.now()
    booking = _locked_active_booking(booking_id=booking_id, person_id=person_id, now=now)
    _free_place(booking.slot_id)
    booking.status = Booking.Status.CANCELLED
    booking.updated_at = now
    booking.save(update_fields=["status", "updated_at"])
    return booking


# --- at the centre's desks -----------------------------------------------------------------

# The next ticket of the day, in the order todays_queue shows (slot time, when the place
# was taken), locked for this desk. A ticket another desk is calling at this moment is
# locked by it and skipped, not waited for: two desks pressing "call next" at once get
# two different tickets. The wait runs from the later of the slot's start (in the
# centres' time zone) and the booking to the call, never below zero (a citizen called
# before their time has not waited).
_CALL_NEXT_SQL = f"""
WITH next AS (
    SELECT booking.id
    FROM {Booking._meta.db_table} booking
    JOIN {Slot._meta.db_table} slot ON slot.id = booking.slot_id
    WHERE booking.centre_id = %(centre)s AND booking.day = %(day)s
      AND booking.status = %(booked)s
    ORDER BY slot.starts_at, booking.placed_at, booking.id
    LIMIT 1
    FOR UPDATE OF booking SKIP LOCKED
)
UPDATE {Booking._meta.db_table} booking
SET status = %(called)s, desk = %(desk)s, called_by_id = %(actor)s, called_at = %(now)s,
    updated_at = %(now)s,
    wait_seconds = greatest(0, floor(extract(epoch FROM %(now)s::timestamptz - greatest(
        timezone(%(zone)s, slot.day + slot.starts_at), booking.placed_at))))::int
FROM next, {Slot._meta.db_table} slot
WHERE booking.id = next.id AND slot.id = booking.slot_id
RETURNING booking.id
"""  # noqa: S608 - table names come from the models, values are parameters


def _checked_desk(centre: Centre, desk: int) -> None:
    if not 1 <= desk <= centre.desks:
        raise _refuse(QueueRefusal.DESK_UNKNOWN)


@transaction.atomic
def desk_call_next(*, centre: Centre, desk: int, actor_id: int) -> Booking:
    """Call the next waiting ticket of today at ``centre`` to ``desk``, for official ``actor_id``.

    One statement picks and marks it (status ``called``, the desk, who called and
    when, the seconds waited). Refuses a desk the centre does not have, a desk whose
    last ticket is still there, and an empty queue.
    """
    _checked_desk(centre, desk)
    now = timezone.now()
    today = timezone.localdate(now)
    at_desk = Booking.objects.filter(centre_id=centre.pk, day=today, desk=desk,
                                     status=Booking.Status.CALLED)
    if at_desk.exists():
        raise _refuse(QueueRefusal.DESK_BUSY)
    try:
        # A savepoint: the same desk calling twice at once (two tabs) meets the unique
        # constraint of one called ticket per desk, and only that call is undone.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_CALL_NEXT_SQL, {
                "centre": centre.pk, "day": today, "desk": desk, "actor": actor_id,
                "now": now, "zone": settings.TIME_ZONE,
                "booked": Booking.Status.BOOKED, "called": Booking.Status.CALLED,
            })
            row = cursor.fetchone()
    except IntegrityError as exc:
        raise _refuse(QueueRefusal.DESK_BUSY) from exc
    if row is None:
        raise _refuse(QueueRefusal.QUEUE_EMPTY)
    return Booking.objects.select_related("service", "slot", "person").get(pk=row[0])


def _locked_at_desk(*, booking_id: int, centre_code: str) -> Booking:
    """A ticket of ``centre_code`` that is at a desk now, locked; refuses any other."""
    booking = (Booking.objects.select_for_update()
               .filter(pk=booking_id, centre_id=centre_code).first())
    if booking is None:
        raise _refuse(QueueRefusal.BOOKING_UNKNOWN)
    if booking.status in (Booking.Status.SERVED, Booking.Status.NO_SHOW):
        raise _refuse(QueueRefusal.ALREADY_FINISHED)
    if booking.status == Booking.Status.BOOKED:
        raise _refuse(QueueRefusal.NOT_CALLED)
    if booking.status != Booking.Status.CALLED:
        raise _refuse(QueueRefusal.NOT_ACTIVE)
    return booking


@transaction.atomic
def booking_served(*, booking_id: int, centre_code: str) -> Booking:
    """End the visit of a ticket at a desk of ``centre_code`` as served: records when, and
    the seconds from the call to now. Refuses a ticket not at a desk (waiting, ended)."""
    booking = _locked_at_desk(booking_id=booking_id, centre_code=centre_code)
    now = timezone.now()
    # A called ticket always has its call time (a check constraint); "or now" is for mypy.
    called_at = booking.called_at or now
    booking.status = Booking.Status.SERVED
    booking.finished_at = now
    booking.service_seconds = max(0, int((now - called_at).total_seconds()))
    booking.updated_at = now
    booking.save(update_fields=["status", "finished_at", "service_seconds", "updated_at"])
    return booking


@transaction.atomic
def booking_no_show(*, booking_id: int, centre_code: str) -> Booking:
    """End the visit of a ticket at a desk of ``centre_code``: the citizen did not come when
    called. Records when; no service time. Refuses a ticket not at a desk."""
    booking = _locked_at_desk(booking_id=booking_id, centre_code=centre_code)
    now = timezone.now()
    booking.status = Booking.Status.NO_SHOW
    booking.finished_at = now
    booking.updated_at = now
    booking.save(update_fields=["status", "finished_at", "updated_at"])
    return booking
