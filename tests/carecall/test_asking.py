"""Asking for a rating: after a 142 call (in the note's transaction) and after a centre visit
(a periodic, set-based task); never twice for one thing, never twice a day for one citizen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from callcentre.services import call_note_add
from dost.carecall.models import RatingRequest
from dost.carecall.notifications import RATING_TEMPLATE
from dost.carecall.services import rating_request_for_call, rating_requests_for_visits
from dost.carecall.tasks import ask_ratings_after_visits
from dost.equeue.models import Booking
from dost.notifications.models import SmsMessage
from dost.notifications.templates import render_message
from dost.registry.models import Person


def _sms(person: Person) -> list[SmsMessage]:
    return list(SmsMessage.objects.filter(person=person, template=RATING_TEMPLATE))


def test_a_call_note_asks_the_caller_to_rate_the_call_by_sms(citizen, agent, rated_call):
    request = rated_call(citizen)
    assert request is not None
    assert (request.person, request.phone, request.channel, request.agent) == (
        citizen, "+994501112233", "call", agent)
    assert request.score is None and request.answered_at is None
    [sms] = _sms(citizen)
    assert sms.dedupe_key == f"carecall:{request.subject}"
    assert sms.phone == citizen.phone
    assert render_message(sms.template, sms.context, "en") == (
        "DOST: please rate your call to 142. Reply to this message with one digit, "
        "from 1 (very poor) to 5 (excellent).")


def test_the_sms_is_in_the_citizens_language(citizen, rated_call):
    Person.objects.filter(pk=citizen.pk).update(language="ru")
    citizen.refresh_from_db()
    rated_call(citizen)
    [sms] = _sms(citizen)
    assert sms.language == "ru"


def test_a_citizen_without_a_phone_is_not_asked(make_person, rated_call):
    person = make_person(phone="")
    assert rated_call(person) is None
    assert not RatingRequest.objects.filter(person=person).exists()
    assert _sms(person) == []


def test_a_call_about_someone_who_has_died_asks_no_one(make_person, rated_call):
    person = make_person(phone="+994551234567")
    Person.objects.filter(pk=person.pk).update(death_date=dt.date(2024, 5, 1))
    person.refresh_from_db()
    assert rated_call(person) is None
    assert not RatingRequest.objects.filter(person=person).exists()


def test_a_second_call_the_same_day_asks_nothing_more(citizen, agent, other_agent, rated_call):
    first = rated_call(citizen)
    assert rated_call(citizen, by=other_agent) is None
    assert list(RatingRequest.objects.filter(person=citizen)) == [first]
    assert len(_sms(citizen)) == 1


def test_a_call_the_next_day_is_asked_about_again(citizen, agent):
    yesterday = timezone.now() - dt.timedelta(days=1)
    first = rating_request_for_call(person=citizen, agent_id=agent.pk, call_note_id=1,
                                    now=yesterday)
    second = rating_request_for_call(person=citizen, agent_id=agent.pk, call_note_id=2)
    assert first is not None and second is not None
    assert RatingRequest.objects.filter(person=citizen).count() == 2


def test_a_call_note_refused_asks_nothing(citizen, agent):
    from dost.errors import DomainError

    with pytest.raises(DomainError):
        call_note_add(person=citizen, agent=agent, topic="payment", outcome="   ")
    assert not RatingRequest.objects.exists()
    assert _sms(citizen) == []


def test_a_call_note_rolled_back_leaves_no_request_and_no_sms(citizen, agent):
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        call_note_add(person=citizen, agent=agent, topic="payment", outcome="Explained.")
        assert RatingRequest.objects.filter(person=citizen).exists()
        raise Abandoned
    assert not RatingRequest.objects.exists()
    assert _sms(citizen) == []


def test_a_visit_that_ended_lately_is_asked_about_with_the_centres_name(
        citizen, served_visit, centre, service):
    booking = served_visit(citizen)
    assert rating_requests_for_visits() == {"requests": 1, "sms": 1}
    request = RatingRequest.objects.get(person=citizen)
    assert (request.channel, request.subject, request.centre, request.service, request.agent) == (
        "visit", f"visit:{booking.pk}", centre, service, None)
    [sms] = _sms(citizen)
    assert sms.context["request"] == request.pk
    assert render_message(sms.template, sms.context, "en") == (
        "DOST: please rate your visit to Baku DOST centre 1. Reply to this message with one "
        "digit, from 1 (very poor) to 5 (excellent).")
    assert "Bakı 1 saylı DOST mərkəzi" in render_message(sms.template, sms.context, "az")


def test_a_second_run_asks_no_one_twice(citizen, served_visit):
    served_visit(citizen)
    assert rating_requests_for_visits() == {"requests": 1, "sms": 1}
    assert rating_requests_for_visits() == {"requests": 0, "sms": 0}
    assert ask_ratings_after_visits.delay().get() == {"requests": 0, "sms": 0}
    assert RatingRequest.objects.count() == 1
    assert len(_sms(citizen)) == 1


def test_only_served_visits_within_the_window_of_people_with_a_phone_are_asked(
        make_person, served_visit):
    now = timezone.now()
    asked = make_person(phone="+994551000001")
    served_visit(asked, finished_at=now - dt.timedelta(hours=5))
    old = make_person(phone="+994551000002")
    served_visit(old, finished_at=now - dt.timedelta(hours=7))
    no_show = make_person(phone="+994551000003")
    served_visit(no_show, status=Booking.Status.NO_SHOW)
    still_booked = make_person(phone="+994551000004")
    served_visit(still_booked, status=Booking.Status.BOOKED)
    no_phone = make_person(phone="")
    served_visit(no_phone)
    died = make_person(phone="+994551000005")
    served_visit(died)
    Person.objects.filter(pk=died.pk).update(death_date=timezone.localdate())
    assert rating_requests_for_visits(now=now) == {"requests": 1, "sms": 1}
    assert list(RatingRequest.objects.values_list("person_id", flat=True)) == [asked.pk]


def test_a_citizen_asked_about_a_call_today_is_not_asked_about_a_visit(
        citizen, served_visit, rated_call):
    rated_call(citizen)
    served_visit(citizen)
    assert rating_requests_for_visits() == {"requests": 0, "sms": 0}
    assert RatingRequest.objects.filter(person=citizen, channel="visit").count() == 0


def test_two_visits_of_one_citizen_ask_once_about_the_last(citizen, served_visit):
    now = timezone.now()
    served_visit(citizen, finished_at=now - dt.timedelta(hours=2))
    last = served_visit(citizen, finished_at=now - dt.timedelta(hours=1))
    assert rating_requests_for_visits(now=now) == {"requests": 1, "sms": 1}
    assert RatingRequest.objects.get(person=citizen).subject == f"visit:{last.pk}"


def test_asking_about_many_visits_takes_the_same_statements_as_one(
        make_person, served_visit, django_assert_max_num_queries):
    for number in range(30):
        served_visit(make_person(phone=f"+99455200{number:04d}"))
    # A transaction and one statement, however many visits: no loop over people.
    with django_assert_max_num_queries(3):
        outcome = rating_requests_for_visits()
    assert outcome == {"requests": 30, "sms": 30}


def test_the_visit_task_runs_by_beat_every_quarter_of_an_hour():
    from django.conf import settings

    from dost.celery import app

    [entry] = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
               if entry["task"] == "dost.carecall.tasks.ask_ratings_after_visits"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].minute == {0, 15, 30, 45}
