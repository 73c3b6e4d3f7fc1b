"""The back-office record of a citizen shows their awards, and the look at them is logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dost.audit.models import AccessRecord, Subject
from dost.entitlements.models import Award
from dost.entitlements.services import entitlements_for_people
from dost.registry.models import Contribution, Person

TODAY = dt.date(2026, 11, 23)


def record_url(fin: str) -> str:
    return f"/backoffice/citizens/{fin}/"


def _retire(person: Person) -> Award:
    Person.objects.filter(pk=person.pk).update(birth_date=dt.date(1961, 3, 10), sex="M")
    Contribution.objects.bulk_create(
        Contribution(person=person, year=year, insured_months=12, wage_total=12000,
                     amount=3000, source_id="sssf") for year in range(2006, 2026))
    entitlements_for_people(people=[person.pk], on=TODAY)
    return Award.objects.get(person=person, benefit="old_age_pension")


def _manual_awards(person: Person, count: int) -> None:
    Award.objects.bulk_create(
        Award(person=person, benefit=f"local_allowance_{number}", rule="manual",
              amount=Decimal("25.50") + number, frequency="once",
              period_start=dt.date(2025, 1, 1 + number), parameters={}, facts={})
        for number in range(count))


def test_staff_record_shows_the_awards_with_their_explanation(client, charlie, alice):
    award = _retire(alice.person)
    client.force_login(charlie)

    response = client.post(record_url(alice.person.fin), {"reason": "Pension question"},
                           HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="awards"' in body
    assert "Old-age labour pension" in body
    assert "a month from" in body
    assert award.get_status_display() in body
    assert "Rules and amounts applied" in body
    assert "Contest this decision" not in body


def test_opening_the_record_logs_the_awards_seen(client, charlie, alice):
    _retire(alice.person)
    client.force_login(charlie)

    client.post(record_url(alice.person.fin), {"reason": "Pension question"})

    records = AccessRecord.objects.filter(person=alice.person)
    assert sorted(records.values_list("what", flat=True)) == sorted(
        [Subject.AWARDS, Subject.REGISTRY_RECORD])
    awards_record = records.get(what=Subject.AWARDS)
    assert awards_record.actor == charlie
    assert awards_record.reason == "Pension question"


def test_a_person_without_awards_is_told_so_and_no_awards_look_is_logged(client, charlie,
                                                                         alice):
    client.force_login(charlie)

    response = client.post(record_url(alice.person.fin), {"reason": "Call back"},
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "No benefit or pension has been awarded to this person." in response.content.decode()
    assert not AccessRecord.objects.filter(what=Subject.AWARDS).exists()


def test_the_reason_form_shows_no_award_and_logs_nothing(client, charlie, alice):
    _retire(alice.person)
    client.force_login(charlie)

    response = client.get(record_url(alice.person.fin), HTTP_ACCEPT_LANGUAGE="en")

    assert 'id="awards"' not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_record_queries_do_not_grow_with_the_awards(client, charlie, alice, bob):
    _manual_awards(alice.person, 1)
    _manual_awards(bob.person, 6)
    client.force_login(charlie)

    with CaptureQueriesContext(connection) as one_award:
        client.post(record_url(alice.person.fin), {"reason": "Check"})
    with CaptureQueriesContext(connection) as six_awards:
        response = client.post(record_url(bob.person.fin), {"reason": "Check"})

    assert response.content.decode().count('class="card award"') == 6
    assert len(six_awards.captured_queries) == len(one_award.captured_queries)
