"""The citizen's disability page: their determinations, their finding, their certificate and
their requests for aids step by step; never anyone else's."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disability.models import ReferralKind
from disability.services.aids import aid_request_approve, aid_request_create
from dost.certificates.models import Certificate
from tests.disability.register_data import enter, item
from tests.documents import pdf_bytes

PAGE = reverse("disability:home")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def page_of(client, user, language: str = "en") -> str:
    client.force_login(user)
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def certificate_of(person) -> Certificate:
    content = pdf_bytes()
    return Certificate.objects.create(
        holder=person, kind="disability_finding", code="D5B0CERT0123", language="en",
        masked_name="A*** H***", pdf=content, pdf_sha256=hashlib.sha256(content).hexdigest(),
        issued_at=timezone.now())


def test_page_shows_every_field_of_a_determination(client, alice, facility, today):
    entry = enter(alice.person, determined_on=dt.date(2025, 2, 3),
                  next_assessment_on=dt.date(2027, 2, 3), percent=70, facility=facility)
    entry.lost_working_capacity = 40
    entry.employed = True
    entry.save(update_fields=["lost_working_capacity", "employed"])

    page = page_of(client, alice)

    for shown in ("February 3, 2025", "degree II", "70 %", "two years", "initial assessment",
                  "general illness", "February 3, 2027", "40 %"):
        assert shown in page, shown
    assert "Employed on that day</th><td>yes" in page
    assert "In education on that day</th><td>no" in page


def test_a_childs_determination_says_disability_under_18_and_no_degree(client, alice, today):
    enter(alice.person, determined_on=today - dt.timedelta(days=10),
          next_assessment_on=today + dt.timedelta(days=300), percent=55, under_18=True)

    page = page_of(client, alice)

    assert "disability under 18" in page
    assert "degree III" not in page


def test_a_determination_of_no_disability_is_shown_without_a_finding(client, alice, today):
    enter(alice.person, determined_on=today - dt.timedelta(days=10), next_assessment_on=None,
          percent=25)

    page = page_of(client, alice)

    assert "no disability" in page
    assert "No disability finding is in force for you today." in page


def test_the_finding_in_force_is_the_latest(client, alice, today):
    enter(alice.person, determined_on=today - dt.timedelta(days=800),
          next_assessment_on=today - dt.timedelta(days=70), percent=45)
    enter(alice.person, determined_on=today - dt.timedelta(days=70),
          next_assessment_on=today + dt.timedelta(days=660), percent=85,
          kind=ReferralKind.REPEAT)

    page = page_of(client, alice)
    finding = page.split('id="finding-heading"')[1].split("</section>")[0]

    assert "85 %" in finding
    assert "degree I<" in finding
    assert "repeat assessment" in page


def test_the_certificate_is_linked_when_the_entry_has_one(client, alice, today):
    entry = enter(alice.person, determined_on=today, next_assessment_on=None, percent=90)
    entry.certificate = certificate_of(alice.person)
    entry.save(update_fields=["certificate"])

    page = page_of(client, alice)

    link = reverse("esocial:certificate_download", args=[entry.certificate_id])
    assert link in page
    assert client.get(link).status_code == 200


def test_no_certificate_link_without_a_certificate(client, alice, today):
    enter(alice.person, determined_on=today, next_assessment_on=None, percent=90)

    assert "/certificates/" not in page_of(client, alice).split('id="register-heading"')[1]


def test_aid_requests_show_every_step_with_its_note(client, alice, charlie, today):
    enter(alice.person, determined_on=today, next_assessment_on=None, percent=90)
    request = aid_request_create(person=alice.person, item=item("wheelchair"))
    aid_request_approve(request=request, actor=charlie, note="Collect it at DOST centre 2.")

    page = page_of(client, alice)

    aids = page.split('id="aids"')[1]
    assert "Wheelchair" in aids
    assert "requested" in aids
    assert "approved" in aids
    assert "Collect it at DOST centre 2." in aids


def test_another_citizens_register_and_requests_are_not_shown(client, alice, bob, today):
    enter(alice.person, determined_on=today, next_assessment_on=None, percent=90)
    aid_request_create(person=alice.person, item=item("magnifier"))

    page = page_of(client, bob)

    assert "Magnifier" not in page
    assert "90 %" not in page
    assert "The register of persons with disabilities holds no determination about you." in page


def test_aids_are_named_in_the_readers_language(client, alice, today):
    enter(alice.person, determined_on=today, next_assessment_on=None, percent=90)
    aid_request_create(person=alice.person, item=item("wheelchair"))

    page = page_of(client, alice, language="az")

    assert 'lang="az"' in page
    assert "Əlil arabası" in page


def test_the_portal_navigation_links_the_page_for_a_citizen(client, alice):
    client.force_login(alice)

    response = client.get(reverse("esocial:home"), HTTP_ACCEPT_LANGUAGE="en")

    assert f'href="{PAGE}"' in response.content.decode()


def test_staff_are_refused_the_citizens_page(client, charlie):
    client.force_login(charlie)

    assert client.get(PAGE).status_code == 403


def test_the_anonymous_are_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_page_costs_the_same_queries_for_more_requests_and_steps(client, alice, charlie,
                                                                 today):
    enter(alice.person, determined_on=today, next_assessment_on=None, percent=90)
    aid_request_create(person=alice.person, item=item("wheelchair"))
    client.force_login(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for code in ("white-cane", "magnifier", "hearing-aid"):
        request = aid_request_create(person=alice.person, item=item(code))
        aid_request_approve(request=request, actor=charlie)
    enter(alice.person, determined_on=today - dt.timedelta(days=900),
          next_assessment_on=today - dt.timedelta(days=200), percent=45)

    with CaptureQueriesContext(connection) as more:
        client.get(PAGE)

    assert len(more) == len(few)
