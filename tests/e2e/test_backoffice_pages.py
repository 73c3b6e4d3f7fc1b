"""The centres' back-office as a browser shows it: accessible, fitting a phone, and the desk's
"call next → served" path."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dost.centres.models import CentreStaff, MobileUnit
from dost.centres.services import StopPlace, mobile_stop_add
from dost.equeue.models import Booking, Slot
from dost.equeue.services import booking_create, slots_open
from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E

EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)


@pytest.fixture
def desk_world(make_centre, make_service, make_person, charlie) -> dict[str, object]:
    """A centre open round the clock with two tickets today, Charlie at its desk 1, and a
    mobile unit with a stop tomorrow: the same pages whatever the hour the tests run at."""
    centre = make_centre("e2e-1", weekdays=EVERY_DAY, opens_at=dt.time(0),
                         closes_at=dt.time(23, 59))
    service = make_service("e2e-visit")
    today = timezone.localdate()
    slots_open(start=today, days=2, centre=centre)
    slot = Slot.objects.filter(centre=centre, day=today).order_by("starts_at")[1]
    # Booked just after midnight, when the slot was still ahead.
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time(0)))
    with patch("django.utils.timezone.now", return_value=midnight):
        bookings = [booking_create(person_id=make_person(first_name=name).pk,
                                   service_id=service.pk, slot_id=slot.pk)
                    for name in ("Aytən", "Rövşən")]
    CentreStaff.objects.create(user=charlie, centre=centre, desk=1)
    unit = MobileUnit.objects.create(code="e2e-unit", centre=centre, name_az="Mobil DOST",
                                     name_en="Mobile DOST", name_ru="Мобильный DOST")
    mobile_stop_add(unit=unit, region_id="absheron", day=today + dt.timedelta(days=1),
                    starts_at=dt.time(10), ends_at=dt.time(12),
                    place=StopPlace(az="Meydan", en="The square"), actor_id=charlie.pk)
    return {"staff": charlie, "bookings": bookings}


PAGES = [reverse("backoffice:home"), reverse("backoffice:queue"),
         reverse("backoffice:mobile"), reverse("centres:mobile_stops")]


def test_back_office_pages_are_accessible_and_fit(any_page, sign_in, desk_world):
    sign_in(any_page, desk_world["staff"])
    for url in PAGES:
        any_page.goto(url)
        expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
        assert_page_ok(any_page)


def test_the_desk_calls_the_next_ticket_and_marks_it_served(page, sign_in, desk_world):
    first, second = desk_world["bookings"]
    sign_in(page, desk_world["staff"])
    page.goto(reverse("backoffice:queue"))
    # From the keyboard: the button is reached and pressed without a mouse.
    page.get_by_role("button", name="Call next").focus()
    page.keyboard.press("Enter")
    main = page.locator("main")
    expect(main).to_contain_text(f"Ticket {first.ticket_code} is called to desk 1.")
    expect(main).to_contain_text("Aytən")
    assert_page_ok(page)
    page.get_by_role("button", name=f"Served {first.ticket_code}").click()
    expect(main).to_contain_text(f"Ticket {first.ticket_code} is served.")
    expect(main).to_contain_text("No ticket is at this desk.")
    assert_page_ok(page)
    assert Booking.objects.get(pk=first.pk).status == "served"
    assert Booking.objects.get(pk=second.pk).status == "booked"
