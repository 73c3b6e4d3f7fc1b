"""Reminders before a reassessment: 60 and 30 days ahead, once each, to the living, for the
latest determination only; the referring facility is asked to refer again at 60 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disability.models import ReferralInvitation, RegisterEntry
from disability.services.register import assessment_reminders_send
from disability.tasks import send_assessment_reminders
from dost.audit.models import AccessRecord, Subject
from dost.notifications.models import SmsMessage
from dost.notifications.templates import render_message
from tests.disability.register_data import enter

TODAY = dt.date(2026, 3, 2)
DETERMINED = dt.date(2024, 6, 1)


def due_in(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


@pytest.fixture
def citizen(make_person):
    return make_person(fin="5RMD0A1", phone="+994501234567", first_name="Rəna")


def entry_due_in(person, days: int, **options) -> RegisterEntry:
    return enter(person, determined_on=DETERMINED, next_assessment_on=due_in(days), **options)


def messages_to(person) -> list[SmsMessage]:
    return list(SmsMessage.objects.filter(person=person).order_by("pk"))


def test_nobody_is_reminded_61_days_before(citizen):
    entry = entry_due_in(citizen, 61)

    counts = assessment_reminders_send(on=TODAY)

    entry.refresh_from_db()
    assert counts["reminded_60"] == 0
    assert entry.reminded_60_on is None
    assert messages_to(citizen) == []


def test_first_reminder_60_days_before(citizen):
    entry = entry_due_in(citizen, 60)

    counts = assessment_reminders_send(on=TODAY)

    entry.refresh_from_db()
    assert counts["reminded_60"] == 1
    assert (entry.reminded_60_on, entry.reminded_30_on) == (TODAY, None)
    [sms] = messages_to(citizen)
    assert (sms.template, sms.dedupe_key, sms.phone) == (
        "disability_review_due", f"disability-review-60-{entry.pk}", "+994501234567")
    assert sms.context["date"] == due_in(60).isoformat()


def test_first_reminder_asks_the_referring_facility_to_refer_again(citizen, facility):
    entry = entry_due_in(citizen, 60, facility=facility)

    counts = assessment_reminders_send(on=TODAY)

    invitation = ReferralInvitation.objects.get(entry=entry)
    assert (invitation.facility, invitation.due_on, invitation.fulfilled_at) == (
        facility, due_in(60), None)
    assert counts["invitations"] == 1


def test_no_invitation_without_a_referring_facility(citizen):
    entry_due_in(citizen, 60)

    assessment_reminders_send(on=TODAY)

    assert not ReferralInvitation.objects.exists()


def test_no_second_reminder_31_days_before(citizen):
    entry = entry_due_in(citizen, 60)
    assessment_reminders_send(on=TODAY)

    counts = assessment_reminders_send(on=TODAY + dt.timedelta(days=29))

    entry.refresh_from_db()
    assert counts["reminded_30"] == 0
    assert entry.reminded_30_on is None
    assert len(messages_to(citizen)) == 1


def test_second_reminder_30_days_before_without_a_new_invitation(citizen, facility):
    entry = entry_due_in(citizen, 60, facility=facility)
    assessment_reminders_send(on=TODAY)
    thirty_before = TODAY + dt.timedelta(days=30)

    counts = assessment_reminders_send(on=thirty_before)

    entry.refresh_from_db()
    assert counts == {"reminded_60": 0, "reminded_30": 1, "sms": 1, "invitations": 0}
    assert entry.reminded_30_on == thirty_before
    assert [sms.dedupe_key for sms in messages_to(citizen)] == [
        f"disability-review-60-{entry.pk}", f"disability-review-30-{entry.pk}"]
    assert ReferralInvitation.objects.filter(entry=entry).count() == 1


def test_a_second_run_the_same_day_reminds_no_one_again(citizen, facility):
    entry_due_in(citizen, 45, facility=facility)
    assessment_reminders_send(on=TODAY)

    counts = assessment_reminders_send(on=TODAY)

    assert counts == {"reminded_60": 0, "reminded_30": 0, "sms": 0, "invitations": 0}
    assert len(messages_to(citizen)) == 1
    assert ReferralInvitation.objects.count() == 1


def test_an_entry_first_found_within_30_days_gets_one_sms_and_its_invitation(citizen,
                                                                             facility):
    entry = entry_due_in(citizen, 20, facility=facility)

    assessment_reminders_send(on=TODAY)

    entry.refresh_from_db()
    assert (entry.reminded_60_on, entry.reminded_30_on) == (TODAY, TODAY)
    assert len(messages_to(citizen)) == 1
    assert ReferralInvitation.objects.filter(entry=entry).exists()


def test_a_date_already_past_is_not_reminded(citizen):
    entry_due_in(citizen, -1)

    assert assessment_reminders_send(on=TODAY)["reminded_60"] == 0
    assert messages_to(citizen) == []


def test_an_indefinite_finding_is_never_reminded(citizen):
    enter(citizen, determined_on=DETERMINED, next_assessment_on=None)

    assert assessment_reminders_send(on=TODAY)["reminded_60"] == 0


def test_an_entry_superseded_by_a_later_determination_is_not_reminded(citizen):
    old = entry_due_in(citizen, 50)
    newer = enter(citizen, determined_on=DETERMINED + dt.timedelta(days=200),
                  next_assessment_on=due_in(400), kind="repeat")

    assessment_reminders_send(on=TODAY)

    old.refresh_from_db()
    newer.refresh_from_db()
    assert old.reminded_60_on is None
    assert newer.reminded_60_on is None
    assert messages_to(citizen) == []


def test_a_dead_person_is_not_reminded(citizen, facility):
    entry = entry_due_in(citizen, 60, facility=facility)
    citizen.death_date = TODAY - dt.timedelta(days=3)
    citizen.save(update_fields=["death_date"])

    assessment_reminders_send(on=TODAY)

    entry.refresh_from_db()
    assert entry.reminded_60_on is None
    assert messages_to(citizen) == []
    assert not ReferralInvitation.objects.exists()


def test_a_person_without_a_phone_still_gets_the_facility_asked(make_person, facility):
    person = make_person(fin="5RMD0B2")
    entry = entry_due_in(person, 60, facility=facility)

    counts = assessment_reminders_send(on=TODAY)

    entry.refresh_from_db()
    assert entry.reminded_60_on == TODAY
    assert counts["sms"] == 0
    assert messages_to(person) == []
    assert ReferralInvitation.objects.filter(entry=entry).exists()


def test_the_reminder_names_the_date_and_the_facility_in_the_persons_language(make_person,
                                                                              facility):
    person = make_person(fin="5RMD0C3", phone="+994501234568", language="en")
    entry_due_in(person, 60, facility=facility)

    assessment_reminders_send(on=TODAY)

    [sms] = messages_to(person)
    text = render_message(sms.template, sms.context, sms.language)
    assert "May 1, 2026" in text
    assert "Baku Polyclinic No. 1 will refer you" in text
    in_azerbaijani = render_message(sms.template, sms.context, "az")
    assert "Bakı 1 saylı poliklinika" in in_azerbaijani


def test_the_reminder_without_a_facility_says_the_health_facility_will_refer(make_person):
    person = make_person(fin="5RMD0D4", phone="+994501234569", language="en")
    entry_due_in(person, 60)

    assessment_reminders_send(on=TODAY)

    [sms] = messages_to(person)
    assert "Your health facility will refer you" in render_message(
        sms.template, sms.context, "en")


def _run_counting_queries(on: dt.date) -> int:
    with CaptureQueriesContext(connection) as queries:
        assessment_reminders_send(on=on)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_people_due(make_person, facility):
    for number in range(2):
        entry_due_in(make_person(fin=f"5RMA{number:02d}1", phone=f"+99450123450{number}"), 60,
                     facility=facility)
    few = _run_counting_queries(TODAY)
    for number in range(8):
        entry_due_in(make_person(fin=f"5RMB{number:02d}1", phone=f"+99450123460{number}"), 59,
                     facility=facility)

    many = _run_counting_queries(TODAY)

    assert many == few
    assert SmsMessage.objects.filter(template="disability_review_due").count() == 10


def test_the_daily_task_reminds_those_due(citizen, monkeypatch):
    entry = entry_due_in(citizen, 60)
    monkeypatch.setattr("disability.tasks.timezone.localdate", lambda: TODAY)

    send_assessment_reminders.apply()

    entry.refresh_from_db()
    assert entry.reminded_60_on == TODAY


def test_the_task_runs_every_day_by_beat():
    schedule = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
                if entry["task"] == "disability.tasks.send_assessment_reminders"]

    assert len(schedule) == 1


# --- the back-office register ---------------------------------------------------------------

REGISTER = "/backoffice/disability/"


def listed(client, user, **filters) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(REGISTER, filters, HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, response.content.decode()


@pytest.fixture
def register_people(make_person):
    """Baku: degree I and degree II (due soon); Ganja: a child; Baku: no disability."""
    today = timezone.localdate()
    people = {
        "baku_one": make_person(fin="5RGB001", region="nasimi"),
        "baku_two": make_person(fin="5RGB002", region="nasimi"),
        "ganja_child": make_person(fin="5RGG003", region="ganja"),
        "baku_none": make_person(fin="5RGB004", region="nasimi"),
    }
    enter(people["baku_one"], determined_on=today, next_assessment_on=None, percent=90)
    enter(people["baku_two"], determined_on=today - dt.timedelta(days=700),
          next_assessment_on=today + dt.timedelta(days=20), percent=65)
    enter(people["ganja_child"], determined_on=today,
          next_assessment_on=today + dt.timedelta(days=200), percent=50, under_18=True)
    enter(people["baku_none"], determined_on=today, next_assessment_on=None, percent=20)
    return people


def test_register_lists_each_persons_latest_entry(client, charlie, register_people):
    superseded = enter(register_people["baku_one"], determined_on=dt.date(2020, 1, 1),
                       next_assessment_on=dt.date(2022, 1, 1), percent=45)

    status, page = listed(client, charlie)

    assert status == 200
    assert all(person.fin in page for person in register_people.values())
    assert page.count(register_people["baku_one"].fin) == 1
    assert superseded.determined_on.strftime("%B %-d, %Y") not in page


def test_register_filters_by_economic_region(client, charlie, register_people):
    _status, page = listed(client, charlie, economic_region="ganja_dashkasan")

    assert register_people["ganja_child"].fin in page
    assert register_people["baku_one"].fin not in page


@pytest.mark.parametrize(("degree", "shown"), [
    ("1", "baku_one"), ("2", "baku_two"), ("under_18", "ganja_child"), ("none", "baku_none"),
])
def test_register_filters_by_degree(client, charlie, register_people, degree, shown):
    _status, page = listed(client, charlie, degree=degree)

    assert [key for key, person in register_people.items() if person.fin in page] == [shown]


def test_register_filters_by_next_assessment_within_days(client, charlie, register_people):
    _status, page = listed(client, charlie, due_within_days=30)

    assert [key for key, person in register_people.items() if person.fin in page] == [
        "baku_two"]


def test_register_refuses_a_bad_filter_and_lists_no_one(client, charlie, register_people):
    status, page = listed(client, charlie, due_within_days="soon", degree="7")

    assert status == 400
    assert "Enter a whole number." in page
    assert register_people["baku_one"].fin not in page
    assert not AccessRecord.objects.exists()


def test_register_logs_each_person_on_the_page_in_one_statement(client, charlie,
                                                                register_people):
    client.force_login(charlie)

    with CaptureQueriesContext(connection) as queries:
        client.get(REGISTER)

    inserts = [query for query in queries.captured_queries
               if query["sql"].startswith(f"INSERT INTO {AccessRecord._meta.db_table}")]
    assert len(inserts) == 1
    for person in register_people.values():
        record = AccessRecord.objects.get(person=person)
        assert (record.actor, record.what) == (charlie, Subject.REGISTRY_RECORD)


def test_register_is_paginated_and_logs_only_the_page_shown(client, charlie, make_person,
                                                            monkeypatch):
    monkeypatch.setattr("disability.views.backoffice.PAGE_SIZE", 2)
    people = [make_person(fin=f"5RGP{number:02d}1") for number in range(3)]
    for number, person in enumerate(people):
        enter(person, determined_on=DETERMINED,
              next_assessment_on=TODAY + dt.timedelta(days=number + 1))

    _status, first = listed(client, charlie)

    assert AccessRecord.objects.count() == 2
    assert people[2].fin not in first
    _status, second = listed(client, charlie, page=2)
    assert people[2].fin in second


def test_register_pager_keeps_the_filters(client, charlie, make_person, monkeypatch):
    monkeypatch.setattr("disability.views.backoffice.PAGE_SIZE", 1)
    for number in range(2):
        enter(make_person(fin=f"5RGQ{number:02d}1"), determined_on=DETERMINED,
              next_assessment_on=None, percent=90)

    _status, page = listed(client, charlie, degree="1")

    assert "?degree=1&amp;page=2" in page


def test_register_is_refused_to_citizens_and_agents(client, alice, agent):
    for user in (alice, agent):
        client.force_login(user)
        assert client.get(REGISTER).status_code == 403


def _queries_of_get(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_register_page_costs_the_same_queries_for_more_people(client, charlie, make_person,
                                                              facility):
    client.force_login(charlie)
    enter(make_person(fin="5RGN001"), determined_on=DETERMINED, next_assessment_on=None,
          facility=facility)
    few = _queries_of_get(client, REGISTER)
    for number in range(5):
        enter(make_person(fin=f"5RGM{number:02d}1", region="ganja"), determined_on=DETERMINED,
              next_assessment_on=TODAY, facility=facility)

    assert _queries_of_get(client, REGISTER) == few
