"""Reads of the e-queue: what can be booked, free times, a citizen's bookings and places."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dost.centres.models import Centre, Service
from dost.equeue.models import Booking, Slot
from dost.equeue.services import BOOKING_HORIZON_DAYS


def bookable_services() -> QuerySet[Service]:
    return Service.objects.filter(active=True, bookable=True)


def open_centres() -> QuerySet[Centre]:
    return Centre.objects.filter(active=True).select_related("region")


def centre_offers(*, centre_code: str, service_id: int) -> bool:
    """Whether the centre offers the service (its administrators say which it does)."""
    return Centre.services.through.objects.filter(centre_id=centre_code,
                                                  service_id=service_id).exists()


def booking_days(*, days: int = BOOKING_HORIZON_DAYS) -> list[dt.date]:
    """Days from today on which some active centre has a slot open."""
    today = timezone.localdate()
    return list(
        Slot.objects.filter(day__gte=today, day__lt=today + dt.timedelta(days=days),
                            centre__active=True)
        .order_by("day").values_list("day", flat=True).distinct()
    )


def free_slots(*, centre_code: str, day: dt.date, service: Service | None = None
               ) -> QuerySet[Slot]:
    """Slots of a centre on a day that still have a place and have not started yet.

    Empty when the centre is closed, or ``service`` cannot be booked or is not one the
    centre offers.
    """
    now = timezone.localtime()
    if service is not None and not (service.active and service.bookable
                                    and centre_offers(centre_code=centre_code,
                                                      service_id=service.pk)):
        return Slot.objects.none()
    slots = Slot.objects.filter(centre_id=centre_code, centre__active=True, day=day,
                                day__gte=now.date(), booked__lt=F("capacity"))
    if day == now.date():
        slots = slots.filter(starts_at__gt=now.time())
    return slots.order_by("starts_at")


def _with_places_ahead(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Annotate ``ahead``: active bookings before this one in its day's queue at its centre.

    The queue runs by slot time, then by when the place was taken. ``ahead``
    is None for a booking that is no longer active.
    """
    same_slot = Q(slot__starts_at=OuterRef("slot__starts_at"))
    before = (
        Booking.objects.filter(centre_id=OuterRef("centre_id"), day=OuterRef("day"),
                               status=Booking.Status.BOOKED)
        .filter(Q(slot__starts_at__lt=OuterRef("slot__starts_at"))
                | same_slot & Q(placed_at__lt=OuterRef("placed_at"))
                | same_slot & Q(placed_at=OuterRef("placed_at"), id__lt=OuterRef("id")))
        .order_by().values("centre_id").annotate(count=Count("id")).values("count")
    )
    return bookings.annotate(ahead=Case(
        When(status=Booking.Status.BOOKED, then=Coalesce(Subquery(before), 0)),
        default=None, output_field=IntegerField(),
    ))


def bookings_of_person(person_id: int) -> QuerySet[Booking]:
    """A citizen's bookings, soonest first, each with its place in the queue."""
    return _with_places_ahead(
        Booking.objects.filter(person_id=person_id)
        .select_related("centre", "service", "slot")
        .order_by("day", "slot__starts_at", "id")
    )


def booking_of_person(*, person_id: int, booking_id: int) -> Booking | None:
    """One of the citizen's own bookings, or None (also for another citizen's booking)."""
    return bookings_of_person(person_id).filter(pk=booking_id).first()


def queue_ahead(*, booking_id: int) -> int | None:
    """How many active bookings are ahead of this one in its day's queue at its centre."""
    booking = _with_places_ahead(Booking.objects.filter(pk=booking_id)).first()
    return booking.ahead if booking else None


def todays_queue(*, centre_code: str) -> QuerySet[Booking]:
    """Today's active bookings at a centre in the order they will be called."""
    return (Booking.objects.filter(centre_id=centre_code, day=timezone.localdate(),
                                   status=Booking.Status.BOOKED)
            .select_related("service", "slot").order_by("slot__starts_at", "placed_at", "id"))


def tickets_at_desks(*, centre_code: str) -> QuerySet[Booking]:
    """Today's tickets called to a desk of the centre and not yet finished, by desk.

    The citizen comes with it (the desk checks the identity card against the name):
    whoever shows the name logs the look.
    """
    return (Booking.objects.filter(centre_id=centre_code, day=timezone.localdate(),
                                   status=Booking.Status.CALLED)
            .select_related("service", "slot", "person").order_by("desk"))


def booking_at_centre(*, booking_id: int, centre_code: str) -> Booking | None:
    """One booking of the centre, or None (also for another centre's booking)."""
    return Booking.objects.filter(pk=booking_id, centre_id=centre_code).first()


def booking_by_id(booking_id: int) -> Booking | None:
    """Any centre's booking: for administrators, who act at every centre."""
    return Booking.objects.filter(pk=booking_id).first()


@dataclass(frozen=True)
class DayCounts:
    """A centre's queue on one day: tickets in each state and the average wait so far."""

    waiting: int
    called: int
    served: int
    no_show: int
    # Seconds from the later of the slot's start and the booking to the call, on average
    # over the tickets called so far; None before the first call.
    average_wait_seconds: int | None


def day_counts(*, centre_code: str, day: dt.date) -> DayCounts:
    """How the centre's queue stands on ``day``, in one query."""
    status = Booking.Status
    totals = Booking.objects.filter(centre_id=centre_code, day=day).aggregate(
        waiting=Count("id", filter=Q(status=status.BOOKED)),
        called=Count("id", filter=Q(status=status.CALLED)),
        served=Count("id", filter=Q(status=status.SERVED)),
        no_show=Count("id", filter=Q(status=status.NO_SHOW)),
        average_wait=Avg("wait_seconds"),
    )
    average = totals["average_wait"]
    return DayCounts(waiting=totals["waiting"], called=totals["called"],
                     served=totals["served"], no_show=totals["no_show"],
                     average_wait_seconds=None if average is None else round(average))


@dataclass(frozen=True)
class CentreBookings:
    """E-queue bookings ever made at one centre, whatever became of them."""

    centre: str
    # The centre's name by language code: totals are cached and shared by every language.
    names: dict[str, str]
    bookings: int


def booking_totals_by_centre() -> list[CentreBookings]:
    """How many bookings each centre has received, in one query."""
    rows = (Booking.objects.values("centre_id", "centre__name_az", "centre__name_en",
                                   "centre__name_ru")
            .annotate(bookings=Count("id")).order_by("centre_id"))
    return [CentreBookings(row["centre_id"],
                           {language: row[f"centre__name_{language}"] or row["centre__name_az"]
                            for language in ("az", "en", "ru")},
                           row["bookings"])
            for row in rows]
