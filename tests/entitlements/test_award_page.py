"""The citizen's award page: the receipt of each decision, arrears, and the decisions a
death in the family led to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dost.audit.models import DecisionEntry
from dost.entitlements.models import Award
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.stops import stop_on_death
from dost.registry.models import Contribution, FamilyRelation, Person

TODAY = dt.date(2026, 11, 23)


def _retire(person: Person) -> Award:
    Contribution.objects.bulk_create(
        Contribution(person=person, year=year, insured_months=12, wage_total=12000,
                     amount=3000, source_id="sssf") for year in range(2006, 2026))
    entitlements_for_people(people=[person.pk], on=TODAY)
    return Award.objects.get(person=person, benefit="old_age_pension")


def test_citizen_sees_the_decision_log_receipt_of_their_award(client, alice):
    Person.objects.filter(pk=alice.person_id).update(birth_date=dt.date(1961, 3, 10), sex="M")
    award = _retire(alice.person)
    entry = DecisionEntry.objects.get(award_id=award.pk, kind="award")

    client.force_login(alice)
    body = client.get(reverse("esocial:my_awards"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"D-{entry.pk}" in body
    assert entry.entry_hash in body
    assert "arrears" in body


@pytest.fixture
def alices_father_died(alice, make_person) -> Person:
    """Alice's father, a pensioner, died this month: his pension was stopped."""
    father = make_person(fin="1FTH001", first_name="Vaqif", sex="M",
                         birth_date=dt.date(1950, 1, 1))
    FamilyRelation.objects.create(person=alice.person, relative=father, kind="parent",
                                  source_id="justice")
    _retire(father)
    Person.objects.filter(pk=father.pk).update(death_date=dt.date(2026, 11, 10))
    stop_on_death(on=TODAY, people=[father.pk])
    return father


def test_family_sees_the_award_a_death_stopped(client, alice, alices_father_died):
    client.force_login(alice)
    body = client.get(reverse("esocial:my_awards"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Decisions after a death in your family" in body
    assert "Vaqif" in body
    assert "old-age labour pension" in body


def test_an_outsider_does_not_see_another_familys_stops(client, bob, alices_father_died):
    client.force_login(bob)
    body = client.get(reverse("esocial:my_awards"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Vaqif" not in body
