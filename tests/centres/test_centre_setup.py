"""Centres as data: the services each offers, weekday hours, desks and staff."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from dost.accounts.models import Role, User
from dost.centres.models import Centre, CentreStaff, OpeningHours, Service, Weekday
from dost.centres.selectors import centre_post, centres_offering
from dost.centres.services import CatalogueError

from .conftest import service_yaml

NEW_CENTRE = """
centres:
- code: lankaran-1
  region: lankaran
  opens_at: "08:30"
  closes_at: "17:30"
  desks: 6
  name: {az: Lənkəran DOST mərkəzi, en: Lankaran DOST centre, ru: Ленкоранский центр DOST}
  address: {az: Lənkəran, en: Lankaran, ru: Ленкорань}
"""


def hours_of(code: str) -> list[tuple[int, dt.time, dt.time]]:
    return list(OpeningHours.objects.filter(centre_id=code).order_by("weekday")
                .values_list("weekday", "opens_at", "closes_at"))


def offered(code: str) -> set[str]:
    return set(Service.objects.filter(centres=code).values_list("code", flat=True))


def bookable() -> set[str]:
    return set(Service.objects.filter(bookable=True).values_list("code", flat=True))


@pytest.mark.django_db
def test_every_centre_offers_every_bookable_service_after_the_migration():
    for code in Centre.objects.values_list("code", flat=True):
        assert offered(code) == bookable(), code


@pytest.mark.django_db
def test_every_centre_keeps_its_hours_monday_to_friday_and_four_desks_after_the_migration():
    for centre in Centre.objects.all():
        assert hours_of(centre.code) == [(weekday, dt.time(9), dt.time(18))
                                         for weekday in (1, 2, 3, 4, 5)]
        assert centre.desks == 4


def test_a_centre_new_in_the_catalogue_gets_its_hours_desks_and_every_bookable_service(
        load_catalogue):
    load_catalogue(NEW_CENTRE)
    assert hours_of("lankaran-1") == [(weekday, dt.time(8, 30), dt.time(17, 30))
                                      for weekday in (1, 2, 3, 4, 5)]
    assert Centre.objects.get(code="lankaran-1").desks == 6
    assert offered("lankaran-1") == bookable()


def test_a_reload_keeps_what_administrators_changed(load_catalogue):
    load_catalogue(NEW_CENTRE)
    centre = Centre.objects.get(code="lankaran-1")
    OpeningHours.objects.filter(centre=centre, weekday=Weekday.FRIDAY).delete()
    OpeningHours.objects.create(centre=centre, weekday=Weekday.SATURDAY, opens_at=dt.time(10),
                                closes_at=dt.time(14))
    Centre.objects.filter(pk=centre.pk).update(desks=2)
    dropped = Service.objects.filter(bookable=True).order_by("code").first()
    centre.services.remove(dropped)
    load_catalogue(NEW_CENTRE.replace("desks: 6", "desks: 8").replace("08:30", "07:00"))
    assert [weekday for weekday, _opens, _closes in hours_of("lankaran-1")] == [1, 2, 3, 4, 6]
    assert hours_of("lankaran-1")[0][1] == dt.time(8, 30)
    assert Centre.objects.get(code="lankaran-1").desks == 2
    assert dropped.code not in offered("lankaran-1")


def test_a_bookable_service_new_in_the_catalogue_is_offered_at_every_centre(load_catalogue):
    entry = service_yaml("new-visit", title_az="Yeni", title_en="New", title_ru="Новая")
    load_catalogue("services:\n" + entry.replace("channels: [portal]",
                                                 "channels: [centre]\n      bookable: true"))
    assert set(Centre.objects.filter(services__code="new-visit")
               .values_list("code", flat=True)) == set(Centre.objects.values_list("code",
                                                                                   flat=True))


def test_a_service_that_cannot_be_booked_is_offered_nowhere(load_catalogue):
    load_catalogue("services:\n" + service_yaml("online-only", title_az="Onlayn",
                                                title_en="Online", title_ru="Онлайн"))
    assert not Centre.objects.filter(services__code="online-only").exists()


@pytest.mark.parametrize("desks", ["0", "-2", "two", "1.5", "true"])
def test_a_centre_without_a_whole_positive_number_of_desks_is_refused(load_catalogue, desks):
    with translation.override("en"), pytest.raises(CatalogueError, match="desks"):
        load_catalogue(NEW_CENTRE.replace("desks: 6", f"desks: {desks}"))
    assert not Centre.objects.filter(code="lankaran-1").exists()


@pytest.mark.django_db
def test_the_database_refuses_a_centre_without_a_desk_and_hours_closing_before_opening():
    centre = Centre.objects.get(code="baku-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.filter(pk=centre.pk).update(desks=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(centre=centre, weekday=Weekday.SUNDAY,
                                    opens_at=dt.time(12), closes_at=dt.time(9))
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(centre=centre, weekday=Weekday.MONDAY,
                                    opens_at=dt.time(8), closes_at=dt.time(9))


@pytest.mark.django_db
def test_hours_closing_before_opening_are_refused_with_a_clear_message():
    hours = OpeningHours(centre_id="baku-1", weekday=Weekday.SUNDAY, opens_at=dt.time(12),
                         closes_at=dt.time(9))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        hours.full_clean()
    assert caught.value.message_dict["closes_at"] == ["A centre must open before it closes."]


@pytest.mark.django_db
def test_a_staff_members_usual_desk_must_be_one_the_centre_has(charlie):
    post = CentreStaff(user=charlie, centre=Centre.objects.get(code="baku-1"), desk=5)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        post.full_clean()
    assert caught.value.message_dict["desk"] == ["The centre has only 4 desks."]
    post.desk = 4
    post.full_clean()


@pytest.mark.django_db
def test_an_official_works_at_one_centre(charlie):
    CentreStaff.objects.create(user=charlie, centre_id="baku-1", desk=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        CentreStaff.objects.create(user=charlie, centre_id="baku-2")
    post = centre_post(charlie.pk)
    assert (post.centre.code, post.desk) == ("baku-1", 2)


@pytest.mark.django_db
def test_only_centres_offering_a_service_list_it_with_their_week(django_assert_num_queries):
    service = Service.objects.filter(bookable=True).order_by("code").first()
    Centre.objects.get(code="baku-2").services.remove(service)
    OpeningHours.objects.create(centre_id="baku-1", weekday=Weekday.SATURDAY,
                                opens_at=dt.time(10), closes_at=dt.time(14))
    with django_assert_num_queries(2):
        centres = {centre.code: centre for centre in centres_offering(service.pk)}
        times = centres["baku-1"].opening_times
    assert "baku-2" not in centres
    with translation.override("en"):
        assert [(t.days, t.opens_at, t.closes_at) for t in times] == [
            ("Monday–Friday", dt.time(9), dt.time(18)),
            ("Saturday", dt.time(10), dt.time(14))]


@pytest.mark.django_db
def test_the_service_page_lists_the_centres_offering_it_with_their_hours(client):
    service = Service.objects.filter(bookable=True).order_by("code").first()
    Centre.objects.get(code="baku-2").services.remove(service)
    body = client.get(reverse("esocial:service_detail", args=[service.code]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert Centre.objects.get(code="baku-1").name_en in body
    assert Centre.objects.get(code="baku-2").name_en not in body
    assert "Monday–Friday: 09:00–18:00" in body


@pytest.mark.django_db
def test_administrators_edit_centres_with_their_hours_services_and_staff(client):
    administrator = User.objects.create_user(username="root", password="x", role=Role.ADMIN,
                                             is_staff=True, is_superuser=True)
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)
    response = client.get(reverse("admin:centres_centre_change", args=["baku-1"]))
    assert response.status_code == 200
    body = response.content.decode()
    for inline in ("hours-TOTAL_FORMS", "staff-TOTAL_FORMS", "mobile_units-TOTAL_FORMS"):
        assert inline in body
    assert 'name="services"' in body
    assert client.get(reverse("admin:centres_mobileunit_add")).status_code == 200


def _new_centre_form(**hours: str) -> dict[str, object]:
    form: dict[str, object] = {
        "code": "guba-1", "name_az": "Quba DOST mərkəzi", "name_en": "Guba DOST centre",
        "name_ru": "Губинский центр DOST", "address_az": "Quba", "address_en": "Guba",
        "address_ru": "Губа", "region": "guba", "desks": "3", "active": "on",
        "services": list(Service.objects.filter(bookable=True).values_list("pk", flat=True)),
    }
    for prefix in ("hours", "staff", "mobile_units"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    if hours:
        form |= {"hours-TOTAL_FORMS": "1", "hours-0-weekday": "1",
                 **{f"hours-0-{name}": value for name, value in hours.items()}}
    return form


@pytest.mark.django_db
def test_an_administrator_adding_hours_that_close_before_opening_is_told_and_nothing_saved(
        client):
    administrator = User.objects.create_user(username="root", password="x", role=Role.ADMIN,
                                             is_staff=True, is_superuser=True)
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)
    add = reverse("admin:centres_centre_add")
    response = client.post(add, _new_centre_form(opens_at="12:00", closes_at="09:00"),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "A centre must open before it closes." in response.content.decode()
    assert not Centre.objects.filter(code="guba-1").exists()
    response = client.post(add, _new_centre_form(opens_at="09:00", closes_at="13:00"))
    assert response.status_code == 302
    assert hours_of("guba-1") == [(1, dt.time(9), dt.time(13))]
    assert offered("guba-1") == bookable()
