from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from callcentre.forms import REASONS
from callcentre.models import CallNote
from callcentre.views import SESSION_KEY
from dost.applications.services import application_submit
from dost.audit.models import AccessRecord, Channel, Subject
from dost.centres.models import Service
from dost.complaints.models import Category, Complaint
from dost.complaints.models import Channel as ComplaintChannel
from dost.complaints.services import complaint_open
from dost.equeue.models import Booking
from dost.equeue.services import booking_create
from dost.payments.models import PaymentSchedule
from dost.registry.models import Contribution, DisabilityStatus
from tests.documents import pdf_bytes
from tests.security.world import _employ, _first_slot, _give_birth

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _open(client, fin: str, **data):
    return client.post(reverse("callcentre:open", args=[fin]),
                       data or {"reason": "caller_asked_status"}, **EN)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_search_finds_by_fin_phone_and_misspelt_name_with_masked_fin(agent_client, alice):
    person = alice.person
    for query in (person.fin, "050 111 22 33", "Hesenova Alca"):
        response = agent_client.get(reverse("callcentre:console"), {"q": query}, **EN)
        assert response.status_code == 200
        page = response.content.decode()
        assert reverse("callcentre:open", args=[person.fin]) in page, query
        assert "Həsənova Alica" in page
    # The search opens nothing: no view of the records is logged, only that it was listed.
    assert not AccessRecord.objects.filter(person=person, what=Subject.CITIZEN_VIEW).exists()


def test_search_shows_the_fin_masked(agent_client, alice):
    response = agent_client.get(reverse("callcentre:console"), {"q": "+994501112233"}, **EN)
    page = response.content.decode().replace(
        reverse("callcentre:open", args=[alice.person.fin]), "")
    assert alice.person.fin not in page
    assert "5A••••1" in page


def test_opening_without_a_reason_is_refused_and_logs_nothing(agent_client, alice):
    fin = alice.person.fin
    for data in ({"reason": ""}, {"reason": "other", "other": "  "}, {"reason": "made_up"}):
        response = agent_client.post(reverse("callcentre:open", args=[fin]), data, **EN)
        assert response.status_code == 400
    assert not AccessRecord.objects.filter(person=alice.person).exists()
    response = agent_client.get(reverse("callcentre:view", args=[fin]))
    assert response.status_code == 302
    assert response.url == reverse("callcentre:open", args=[fin])


def test_opening_with_a_reason_is_in_the_citizens_access_log(client, agent, alice):
    client.force_login(agent)
    fin = alice.person.fin
    response = _open(client, fin, reason="other", other="Caller asked about a letter")
    assert response.status_code == 302
    assert response.url == reverse("callcentre:view", args=[fin])
    record = AccessRecord.objects.get(person=alice.person)
    assert (record.channel, record.what, record.actor) == (
        Channel.CALLCENTRE, Subject.CITIZEN_VIEW, agent)
    assert client.get(response.url, **EN).status_code == 200
    client.force_login(alice)
    log = client.get(reverse("esocial:access_log"), **EN).content.decode()
    assert "Caller asked about a letter" in log


def test_a_reason_from_the_list_is_logged_in_words(agent_client, alice):
    _open(agent_client, alice.person.fin, reason="callback")
    with translation.override(alice.person.language):
        expected = str(dict(REASONS)["callback"])
    assert AccessRecord.objects.get(person=alice.person).reason == expected != "callback"


def test_the_window_expires(agent_client, alice):
    fin = alice.person.fin
    _open(agent_client, fin)
    session = agent_client.session
    session[SESSION_KEY] = {fin: (timezone.now() - dt.timedelta(minutes=16)).isoformat()}
    session.save()
    response = agent_client.get(reverse("callcentre:view", args=[fin]))
    assert response.status_code == 302
    assert response.url == reverse("callcentre:open", args=[fin])


def test_the_window_is_for_that_citizen_only(agent_client, alice, bob):
    _open(agent_client, alice.person.fin)
    response = agent_client.get(reverse("callcentre:view", args=[bob.person.fin]))
    assert response.url == reverse("callcentre:open", args=[bob.person.fin])


def test_an_unknown_fin_is_not_found(agent_client):
    assert agent_client.get(reverse("callcentre:open", args=["9ZZZZZ9"])).status_code == 404


@pytest.mark.parametrize("role", ["charlie", "alice", "expert"])
def test_other_roles_are_refused(client, request, role, bob):
    client.force_login(request.getfixturevalue(role))
    fin = bob.person.fin
    assert client.get(reverse("callcentre:console"), {"q": fin}).status_code == 403
    assert client.post(reverse("callcentre:open", args=[fin]),
                       {"reason": "callback"}).status_code == 403
    assert client.get(reverse("callcentre:view", args=[fin])).status_code == 403
    assert not AccessRecord.objects.filter(person=bob.person).exists()


def test_call_note_is_saved(agent_client, agent, alice):
    fin = alice.person.fin
    _open(agent_client, fin)
    url = reverse("callcentre:note_add", args=[fin])
    response = agent_client.post(url, {"topic": "other", "topic_other": "", "outcome": "x"},
                                 **EN)
    assert response.status_code == 400
    assert "Say what the call was about." in response.content.decode()
    response = agent_client.post(url, {"topic": "payment", "outcome": "Told the payment date."})
    assert response.status_code == 302
    note = CallNote.objects.get()
    assert (note.person, note.agent, note.topic, note.outcome) == (
        alice.person, agent, "payment", "Told the payment date.")
    assert "Told the payment date." in agent_client.get(response.url).content.decode()


def test_call_note_needs_the_window(agent_client, alice):
    response = agent_client.post(reverse("callcentre:note_add", args=[alice.person.fin]),
                                 {"topic": "payment", "outcome": "x"})
    assert response.status_code == 302
    assert not CallNote.objects.exists()


def test_complaint_taken_for_the_citizen_is_opened_by_the_agent(agent_client, agent, alice):
    fin = alice.person.fin
    _open(agent_client, fin)
    category = Category.objects.get(code="service_quality")
    url = reverse("callcentre:complaint_add", args=[fin])
    response = agent_client.post(url, {"complaint-category": category.pk, "complaint-text": ""},
                                 **EN)
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    response = agent_client.post(url, {"complaint-category": category.pk,
                                       "complaint-text": "Kept waiting two hours."})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.person, complaint.opened_by, complaint.channel) == (
        alice.person, agent, ComplaintChannel.PHONE)


def test_visit_booked_for_the_citizen_is_noted_and_logged(agent_client, agent, alice):
    fin = alice.person.fin
    slot = _first_slot(timezone.localdate())
    service = Service.objects.filter(bookable=True, active=True).order_by("pk").first()
    _open(agent_client, fin)
    query = {"service": service.pk, "centre": slot.centre_id, "day": slot.day.isoformat()}
    url = reverse("callcentre:visit", args=[fin])
    page = agent_client.get(url, query, **EN)
    assert page.status_code == 200
    assert f'value="{slot.pk}"' in page.content.decode()
    response = agent_client.post(url, {**query, "slot": "nope"}, **EN)
    assert response.status_code == 400
    assert not Booking.objects.exists()
    response = agent_client.post(url, {**query, "slot": slot.pk})
    assert response.status_code == 302
    booking = Booking.objects.get(person=alice.person)
    note = CallNote.objects.get(person=alice.person)
    assert (note.agent, note.topic) == (agent, "queue")
    assert booking.ticket_code in note.outcome
    assert AccessRecord.objects.filter(person=alice.person, actor=agent,
                                       reason__contains=booking.ticket_code).exists()


def test_every_panel_renders_for_a_person_with_data(agent_client, alice):
    person = alice.person
    today = timezone.localdate()
    _employ(person)
    award = _give_birth(person, fin="5CCBAB1", today=today)
    application = application_submit(
        person=person, type_code="pension_recalculation",
        data={"reason": "service_missing", "details": "A job is missing."},
        files={"document_service_record": SimpleUploadedFile(
            "labour-book.pdf", pdf_bytes(), content_type="application/pdf")},
        submitted_by=alice)
    service = Service.objects.filter(bookable=True, active=True).order_by("pk").first()
    booking = booking_create(person_id=person.pk, service_id=service.pk,
                             slot_id=_first_slot(today).pk)
    complaint = complaint_open(person=person,
                               category=Category.objects.get(code="service_quality"),
                               text="Kept waiting.", channel=ComplaintChannel.PORTAL)
    Contribution.objects.create(person=person, year=today.year - 2, insured_months=12,
                                wage_total=Decimal("9600"), amount=Decimal("2112"),
                                source_id="sssf")
    DisabilityStatus.objects.create(person=person, percent=65,
                                    determined_on=today - dt.timedelta(days=30),
                                    valid_until=today + dt.timedelta(days=335),
                                    source_id="msec")
    schedule = PaymentSchedule.objects.create(person=person, reference="award:cc-1",
                                              monthly_amount=Decimal("250.00"),
                                              starts_on=today.replace(day=1))
    _open(agent_client, person.fin)
    url = reverse("callcentre:view", args=[person.fin])
    page = agent_client.get(url, **EN).content.decode()
    for heading in ("Awards and why", "Applications", "Pension capital", "Disability status",
                    "Queue tickets", "Complaints and appeals", "Text messages sent", "Payments"):
        assert f">{heading}</h2>" in page, heading
    assert str(award.amount) in page
    assert application.reference in page
    assert booking.ticket_code in page
    assert complaint.reference in page
    assert "Functional impairment 65%" in page
    assert "Capital " in page
    assert "No text messages." not in page
    assert schedule.reference in page

