"""The back-office's demo data: what `make run` shows the demo staff user."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.accounts.models import Role
from dost.backoffice.demo import DEMO_TICKETS, demo_backoffice
from dost.centres.models import CentreStaff, MobileStop
from dost.equeue.models import Booking
from tests.backoffice.conftest import official
from tests.equeue.conftest import TUESDAY


@pytest.fixture
def demo_staff(db):
    return official("staff", Role.STAFF)


@pytest.fixture
def people(make_person):
    return [make_person() for _number in range(DEMO_TICKETS + 2)]


def test_the_demo_gives_the_staff_user_a_post_a_queue_today_and_coming_stops(demo_staff,
                                                                             people):
    [line] = demo_backoffice(TUESDAY)
    post = CentreStaff.objects.get(user=demo_staff)
    assert (post.centre_id, post.desk) == ("baku-1", 1)
    waiting = Booking.objects.filter(centre_id="baku-1", day=TUESDAY, status="booked")
    assert waiting.count() == DEMO_TICKETS
    stops = MobileStop.objects.filter(unit__centre_id="baku-1", cancelled_at__isnull=True)
    assert sorted(stops.values_list("day", flat=True)) == [TUESDAY + dt.timedelta(days=1),
                                                           TUESDAY + dt.timedelta(days=2)]
    assert "baku-1" not in line and str(DEMO_TICKETS) in line


def test_running_the_demo_again_adds_nothing(demo_staff, people):
    demo_backoffice(TUESDAY)
    demo_backoffice(TUESDAY)
    assert Booking.objects.filter(day=TUESDAY).count() == DEMO_TICKETS
    assert MobileStop.objects.count() == 2
    assert CentreStaff.objects.count() == 1


@pytest.mark.parametrize("moment", [(TUESDAY, "19:05"), (TUESDAY + dt.timedelta(days=4),
                                                         "11:00")])
def test_out_of_hours_the_demo_still_fills_todays_queue(demo_staff, people, clock, moment):
    # An evening, and a Saturday, when the centre has no slot left today.
    clock.set(*moment)
    demo_backoffice(clock.today)
    assert Booking.objects.filter(centre_id="baku-1", day=clock.today,
                                  status="booked").count() == DEMO_TICKETS


def test_without_the_demo_staff_user_the_demo_does_nothing(people):
    assert demo_backoffice(TUESDAY) == []
    assert not Booking.objects.exists()
