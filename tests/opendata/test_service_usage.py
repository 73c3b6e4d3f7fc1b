"""Service usage: e-applications per service and e-queue bookings per centre, small counts
withheld."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from dost.accounts.services import citizen_account_create
from dost.applications.form_base import ApplicationForm
from dost.applications.registry import (
    ApplicationType,
    register_application_type,
    unregister_application_type,
)
from dost.applications.services import application_submit
from dost.equeue.models import Slot
from dost.equeue.services import booking_cancel, booking_create, slots_open
from esocial.opendata.datasets import dataset_for_code, table
from tests.equeue.conftest import make_centre, make_service  # noqa: F401 (fixtures)


@pytest.fixture
def bookings(make_centre, make_service, make_person):  # noqa: F811 (fixtures)
    """Six bookings at the Nasimi centre (one later cancelled), two at the Ganja centre."""
    nasimi = make_centre("nasimi-1")
    ganja = make_centre("ganja-1", name_az="Gəncə DOST mərkəzi", name_en="Ganja DOST Centre",
                        name_ru="Гянджинский центр DOST", region_id="ganja")
    service = make_service()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    slots_open(start=tomorrow, days=7)
    people = []
    for centre, count in ((nasimi, 6), (ganja, 2)):
        slots = Slot.objects.filter(centre=centre).order_by("day", "starts_at")[:count]
        for slot in slots:
            person = make_person(first_name="Rəşad", last_name="Nəbiyev")
            booking = booking_create(person_id=person.pk, service_id=service.pk,
                                     slot_id=slot.pk)
            people.append((person, booking))
    booking_cancel(booking_id=people[0][1].pk, person_id=people[0][0].pk)
    return [person for person, _booking in people]


class _NothingToAsk(ApplicationForm):
    pass


@pytest.fixture
def applications(make_person):
    """Five applications for one service, two for another (each by its own citizen)."""
    codes = ("opendata_housing_aid", "opendata_travel_aid")
    for code in codes:
        register_application_type(ApplicationType(
            code=code, title=f"Title of {code}", form_class=_NothingToAsk,
            prefill=lambda person: {}))
    people = []
    for code, count in zip(codes, (5, 2), strict=True):
        for _number in range(count):
            person = make_person(first_name="Samirə", last_name="Əhmədli")
            user = citizen_account_create(person=person, password="correct-horse-battery-9")
            application_submit(person=person, type_code=code, data={}, submitted_by=user)
            people.append(person)
    yield people
    for code in codes:
        unregister_application_type(code)


def usage() -> dict[str, dict]:
    with translation.override("en"):
        return {row["code"]: row for row in table(dataset_for_code("service-usage")).rows}


def test_bookings_are_counted_per_centre_cancelled_ones_too(bookings):
    nasimi = usage()["nasimi-1"]

    assert (nasimi["channel"], nasimi["name"], nasimi["count"]) == \
        ("equeue_booking", "Baku DOST Centre No. 1", 6)


def test_a_centre_with_fewer_than_five_bookings_is_withheld(bookings):
    assert usage()["ganja-1"]["count"] is None


def test_service_usage_names_no_one(client, bookings):
    for fmt in ("csv", "json"):
        body = client.get(f"/open-data/service-usage.{fmt}").content.decode()
        for person in bookings:
            assert person.fin not in body
            assert person.last_name not in body


def test_submitted_applications_are_counted_per_service(applications):
    housing = usage()["opendata_housing_aid"]

    assert (housing["channel"], housing["name"], housing["count"]) == \
        ("e_application", "Title of opendata_housing_aid", 5)


def test_a_service_with_fewer_than_five_applications_is_withheld(applications):
    assert usage()["opendata_travel_aid"]["count"] is None


def test_applications_and_bookings_have_a_chart_each(client, applications, bookings):
    body = client.get("/open-data/service-usage/").content.decode()

    assert body.count('role="img"') == 2
    for person in applications + bookings:
        assert person.fin not in body
