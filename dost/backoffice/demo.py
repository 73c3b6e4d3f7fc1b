"""Demo data of the back-office (``seed_demo``, local use only): the demo ``staff`` user's
post at a centre, a few tickets in that centre's queue today, and a mobile unit's stops."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.models import Role, User
from dost.centres.models import Centre, CentreStaff, MobileStop, MobileUnit
from dost.centres.services import StopPlace, mobile_stop_add
from dost.equeue.models import Booking, Slot
from dost.equeue.services import SLOT_MINUTES, booking_create, slots_open
from dost.errors import DomainError
from dost.registry.models import Person

DEMO_STAFF = "staff"
DEMO_DESK = 1
DEMO_TICKETS = 5
DEMO_UNIT = "mobil-dost-1"
# Two stops near Baku, each on one of the next working days.
DEMO_STOPS = [
    ("absheron", dt.time(10), dt.time(13), StopPlace(
        az="Xırdalan şəhəri, Heydər Əliyev prospekti, mədəniyyət mərkəzinin qarşısı",
        en="Khirdalan, Heydar Aliyev avenue, outside the culture centre",
        ru="Хырдалан, проспект Гейдара Алиева, у дома культуры")),
    ("pirallahi", dt.time(10), dt.time(14), StopPlace(
        az="Pirallahı qəsəbəsi, icra nümayəndəliyinin yanı",
        en="Pirallahi settlement, next to the municipal office",
        ru="Посёлок Пираллахы, у представительства исполнительной власти")),
]


def demo_backoffice(today: dt.date) -> list[str]:
    """Give the demo staff user a post, today's queue some tickets, a unit some stops.

    Runs on every ``seed_demo``: what exists already is kept.
    """
    staff = User.objects.filter(username=DEMO_STAFF, role=Role.STAFF).first()
    centre = Centre.objects.filter(active=True).order_by("code").first()
    if staff is None or centre is None:
        return []
    post, _created = CentreStaff.objects.get_or_create(
        user=staff, defaults={"centre": centre, "desk": DEMO_DESK})
    centre = post.centre
    tickets = _todays_tickets(centre, today=today)
    stops = _mobile_stops(centre, staff=staff, today=today)
    return [_("Back-office: %(user)s works at %(centre)s, desk %(desk)s; %(tickets)s tickets "
              "wait in today's queue; %(stops)s mobile unit stops are coming.")
            % {"user": staff.username, "centre": centre.name, "desk": post.desk or DEMO_DESK,
               "tickets": tickets, "stops": stops}]


def _todays_tickets(centre: Centre, *, today: dt.date) -> int:
    """Book demo citizens into the centre's slots still ahead today; how many wait."""
    waiting = Booking.objects.filter(centre=centre, day=today, status=Booking.Status.BOOKED)
    if waiting.exists():
        return waiting.count()
    service = centre.services.filter(active=True, bookable=True).order_by("pk").first()
    if service is None:
        return 0
    slots_open(start=today, days=1, centre=centre)
    slots = list(_slots_ahead(centre, today=today))
    people = (Person.objects.filter(death_date__isnull=True, birth_date__year__lte=2000,
                                    user__isnull=True)
              .exclude(queue_bookings__day=today).order_by("pk")[:DEMO_TICKETS])
    booked = 0
    for person in people:
        for slot in slots:
            try:
                booking_create(person_id=person.pk, service_id=service.pk, slot_id=slot.pk)
            except DomainError:
                continue
            booked += 1
            break
    return booked


def _slots_ahead(centre: Centre, *, today: dt.date) -> list[Slot]:
    """Today's slots at the centre that have not started. Out of hours (a weekend, an
    evening) the demo opens one more slot in the next minutes, so the desk has a queue."""
    now = timezone.localtime()
    ahead = list(Slot.objects.filter(centre=centre, day=today, starts_at__gt=now.time())
                 .order_by("starts_at")[:3])
    if ahead:
        return ahead
    minutes = (now.hour * 60 + now.minute) // SLOT_MINUTES * SLOT_MINUTES + SLOT_MINUTES
    if minutes + SLOT_MINUTES >= 24 * 60:
        return []
    starts = dt.time(minutes // 60, minutes % 60)
    ends_minutes = minutes + SLOT_MINUTES
    slot, _created = Slot.objects.get_or_create(
        centre=centre, day=today, starts_at=starts,
        defaults={"ends_at": dt.time(ends_minutes // 60, ends_minutes % 60),
                  "capacity": max(centre.desks, DEMO_TICKETS)})
    return [slot]


def _mobile_stops(centre: Centre, *, staff: User, today: dt.date) -> int:
    """A unit of the centre with a stop on each of the next working days; how many are due."""
    unit, _created = MobileUnit.objects.get_or_create(
        code=DEMO_UNIT, defaults={"centre": centre, "name_az": "Mobil DOST 1",
                                  "name_en": "Mobile DOST 1", "name_ru": "Мобильный DOST 1"})
    coming = MobileStop.objects.filter(unit=unit, day__gt=today, cancelled_at__isnull=True)
    if not coming.exists():
        day = today
        for region, starts_at, ends_at, place in DEMO_STOPS:
            day = _next_working_day(day)
            try:
                mobile_stop_add(unit=unit, region_id=region, day=day, starts_at=starts_at,
                                ends_at=ends_at, place=place, actor_id=staff.pk)
            except DomainError:
                continue
    return coming.count()


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return day
