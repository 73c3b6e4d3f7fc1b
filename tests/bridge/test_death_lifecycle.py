"""A death reported by the civil registry: in one transaction the deceased's pension stops,
the family's survivor's shares and the funeral grant are awarded; an annulment of the death
undoes it."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.audit.models import DecisionEntry
from dost.entitlements.models import Award
from dost.entitlements.services import entitlements_for_people
from dost.registry.models import Contribution, FamilyRelation, Person
from tests.bridge.conftest import EVENTS_URL, event, today


@pytest.fixture
def pensioner_family(make_person):
    """A retired, insured husband; his wife below retirement age; their 10-year-old son."""
    husband = make_person(fin="3HSB001", first_name="Elçin", sex="M",
                          birth_date=dt.date(1955, 2, 1))
    wife = make_person(fin="3WFE001", first_name="Səbinə", birth_date=dt.date(1975, 2, 1),
                       phone="+994501112299")
    son = make_person(fin="3SNN001", first_name="Tural", sex="M",
                      birth_date=today() - dt.timedelta(days=365 * 10))
    for person, relative, kind in ((wife, husband, "spouse"), (husband, wife, "spouse"),
                                   (son, husband, "parent"), (son, wife, "parent")):
        FamilyRelation.objects.create(person=person, relative=relative, kind=kind,
                                      source_id="justice")
    Contribution.objects.bulk_create(
        Contribution(person=husband, year=year, insured_months=12, wage_total=12000,
                     amount=3000, source_id="sssf") for year in range(2006, 2021))
    entitlements_for_people(people=[husband.pk], on=today())
    return husband, wife, son


def test_a_death_stops_the_pension_and_awards_what_it_gives_rise_to(justice, pensioner_family):
    husband, wife, son = pensioner_family
    pension = Award.objects.get(person=husband, benefit="old_age_pension")
    died = today() - dt.timedelta(days=1)

    response = justice.post(EVENTS_URL, event("death-1", "death", {"fin": husband.fin}, died),
                            format="json")

    assert response.status_code == 201, response.content
    pension.refresh_from_db()
    assert (pension.status, pension.end_reason) == ("stopped", "death")
    assert Award.objects.filter(person=son, benefit="survivor_pension",
                                basis_person=husband).exists()
    funeral = Award.objects.get(benefit="funeral_grant", basis_person=husband)
    # To the closest recorded relative: his wife.
    assert funeral.person == wife
    assert DecisionEntry.objects.filter(kind="stop", award_id=pension.pk).exists()


def test_an_annulled_death_restores_the_pension_and_annuls_what_it_created(
    justice, pensioner_family,
):
    husband, wife, son = pensioner_family
    died = today() - dt.timedelta(days=1)
    justice.post(EVENTS_URL, event("death-1", "death", {"fin": husband.fin}, died),
                 format="json")

    response = justice.post(EVENTS_URL, event("death-1-annulled", "death_annulled",
                                              {"fin": husband.fin}), format="json")

    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=husband.pk).death_date is None
    pension = Award.objects.get(person=husband, benefit="old_age_pension")
    assert (pension.status, pension.end_reason) == ("awarded", "")
    created = Award.objects.filter(basis_person=husband,
                                   benefit__in=["survivor_pension", "funeral_grant"])
    assert created.exists()
    assert set(created.values_list("status", flat=True)) == {"annulled"}


def test_annulling_a_death_never_recorded_is_refused_and_changes_nothing(justice,
                                                                         pensioner_family):
    husband, _wife, _son = pensioner_family

    response = justice.post(EVENTS_URL, event("annul-1", "death_annulled",
                                              {"fin": husband.fin}), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "not_dead"
    assert Award.objects.get(person=husband).status == "awarded"
