"""The back-office page of the centre's mobile units: plan and cancel stops; bad input is
told beside its field and changes nothing; another centre's units are not reachable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dost.centres.models import MobileStop, MobileUnit
from dost.centres.services import StopPlace, mobile_stop_add
from tests.equeue.conftest import TUESDAY

MOBILE = reverse("backoffice:mobile")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
WEDNESDAY = TUESDAY + dt.timedelta(days=1)


@pytest.fixture
def unit(centre) -> MobileUnit:
    return MobileUnit.objects.create(code="mobil-1", centre=centre, name_az="Mobil DOST 1",
                                     name_en="Mobile DOST 1", name_ru="Мобильный DOST 1")


@pytest.fixture
def other_unit(other_centre) -> MobileUnit:
    return MobileUnit.objects.create(code="mobil-9", centre=other_centre,
                                     name_az="Mobil DOST 9", name_en="Mobile DOST 9",
                                     name_ru="Мобильный DOST 9")


def stop_of(unit, official, *, starts="10:00", ends="12:00", place="Meydan") -> MobileStop:
    return mobile_stop_add(unit=unit, region_id="absheron", day=WEDNESDAY,
                           starts_at=dt.time.fromisoformat(starts),
                           ends_at=dt.time.fromisoformat(ends), place=StopPlace(az=place),
                           actor_id=official.pk)


def planned(of_unit, **changes) -> dict[str, str]:
    form = {"centre": of_unit.centre_id, "unit": of_unit.code, "region": "absheron",
            "day": WEDNESDAY.isoformat(), "starts_at": "10:00", "ends_at": "12:00",
            "place_az": "Mədəniyyət evinin qarşısı", "place_en": "Outside the culture house",
            "place_ru": ""}
    form.update(changes)
    return form


def test_staff_plan_a_stop_of_their_centres_unit(client, charlie, post, unit):
    client.force_login(charlie)
    response = client.post(MOBILE, planned(unit), **EN)
    assert response.status_code == 302
    stop = MobileStop.objects.get()
    assert (stop.unit, stop.region_id, stop.day, stop.created_by) == (
        unit, "absheron", WEDNESDAY, charlie)
    body = client.get(response["Location"], **EN).content.decode()
    assert "The stop of Mobile DOST 1 on" in body
    assert "Outside the culture house" in body


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"ends_at": "09:00"}, "ends_at", "A stop must end after it starts."),
    ({"day": (TUESDAY - dt.timedelta(days=1)).isoformat()}, "day",
     "A stop cannot be planned in the past"),
    ({"place_az": "  "}, "place_az", "This field is required."),
    ({"day": "31.02.2026"}, "day", "Enter a valid date."),
    ({"starts_at": "25:00"}, "starts_at", "Enter a valid time."),
    ({"region": "mars"}, "region", "Select a valid choice."),
])
def test_bad_input_is_told_beside_its_field_and_nothing_is_planned(client, charlie, post, unit,
                                                                   changes, field, message):
    client.force_login(charlie)
    response = client.post(MOBILE, planned(unit, **changes), **EN)
    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert not MobileStop.objects.exists()


def test_an_overlapping_stop_is_refused_beside_its_start(client, charlie, post, unit):
    stop_of(unit, charlie, starts="11:00", ends="13:00")
    client.force_login(charlie)
    response = client.post(MOBILE, planned(unit), **EN)
    assert response.status_code == 400
    assert 'id="id_starts_at_error"' in response.content.decode()
    assert "The unit has another stop at that time." in response.content.decode()
    assert MobileStop.objects.count() == 1


def test_staff_cannot_plan_for_another_centres_unit(client, charlie, post, unit, other_unit):
    client.force_login(charlie)
    response = client.post(MOBILE, planned(unit, unit=other_unit.code), **EN)
    assert response.status_code == 400
    assert 'id="id_unit_error"' in response.content.decode()
    assert client.post(MOBILE, planned(other_unit)).status_code == 404
    assert client.get(MOBILE, {"centre": other_unit.centre_id}).status_code == 404
    assert not MobileStop.objects.exists()


def test_staff_see_their_centres_stops_only(client, charlie, dilara, post, unit, other_unit):
    mine = stop_of(unit, charlie, place="Bizim meydan")
    theirs = stop_of(other_unit, dilara, place="Onların meydanı")
    client.force_login(charlie)
    body = client.get(MOBILE, **EN).content.decode()
    assert mine.place_az in body and theirs.place_az not in body
    assert reverse("backoffice:stop_cancel", args=[mine.pk]) in body


def test_staff_cancel_their_centres_stop_and_another_centres_is_404(
        client, charlie, dilara, post, unit, other_unit):
    mine, theirs = stop_of(unit, charlie), stop_of(other_unit, dilara)
    client.force_login(charlie)
    response = client.post(reverse("backoffice:stop_cancel", args=[mine.pk]), follow=True,
                           **EN)
    assert "The stop is cancelled" in response.content.decode()
    assert MobileStop.objects.get(pk=mine.pk).cancelled_by == charlie
    body = client.post(reverse("backoffice:stop_cancel", args=[mine.pk]), follow=True,
                       **EN).content.decode()
    assert "This stop is already cancelled." in body
    assert client.post(reverse("backoffice:stop_cancel", args=[theirs.pk])).status_code == 404
    assert MobileStop.objects.get(pk=theirs.pk).cancelled_at is None


def test_a_centre_without_units_says_so(client, charlie, post):
    client.force_login(charlie)
    body = client.get(MOBILE, **EN).content.decode()
    assert "The centre has no mobile unit in service." in body


def test_an_administrator_chooses_the_centre_and_plans_for_any(client, administrator, unit,
                                                               other_unit):
    client.force_login(administrator)
    assert "Choose a centre" in client.get(MOBILE, **EN).content.decode()
    assert client.post(MOBILE, planned(other_unit)).status_code == 302
    assert MobileStop.objects.get().unit == other_unit
    stop = MobileStop.objects.get()
    assert client.post(reverse("backoffice:stop_cancel", args=[stop.pk])).status_code == 302
    assert MobileStop.objects.get().cancelled_at is not None


@pytest.mark.parametrize("pk", [987654, 99999999999999999999])
def test_an_unknown_stop_is_404(client, charlie, administrator, post, pk):
    for user in (charlie, administrator):
        client.force_login(user)
        assert client.post(reverse("backoffice:stop_cancel", args=[pk])).status_code == 404
