from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dost.accounts.models import User
from dost.applications.services import application_status_change
from dost.applications.statuses import Status
from dost.audit.models import AccessRecord
from dost.entitlements.services import entitlements_for_people
from dost.registry.models import FamilyRelation
from tests.applications.conftest import apply_for_recalculation

DASHBOARD = reverse("esocial:application_list")


def _give_birth(user, make_person):
    """A childbirth allowance is awarded and announced by SMS, as the engine does."""
    baby = make_person(fin="1BBY777", first_name="Nərgiz",
                       birth_date=dt.date.today() - dt.timedelta(days=2))
    FamilyRelation.objects.create(person=baby, relative=user.person, kind="parent",
                                  source_id="justice")
    entitlements_for_people(people=[user.person_id], on=dt.date.today())


def test_dashboard_shows_applications_awards_and_messages(client, alice, make_person,
                                                          django_assert_num_queries):
    _give_birth(alice, make_person)
    application = apply_for_recalculation(alice)
    client.force_login(alice)
    # Session, user, applications, awards, messages: whatever their number.
    with django_assert_num_queries(5):
        response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert application.reference in body
    assert "Pension recalculation" in body
    assert "Lump-sum childbirth allowance" in body
    assert "you have been granted" in body


def test_dashboard_queries_do_not_grow_with_the_applications(client, alice, charlie,
                                                             django_assert_num_queries):
    for _ in range(3):
        application = apply_for_recalculation(alice)
        application_status_change(application=application, status=Status.APPROVED,
                                  actor=charlie)
    client.force_login(alice)
    with django_assert_num_queries(5):
        client.get(DASHBOARD)


def test_dashboard_shows_only_my_own_applications(client, alice, bob):
    application = apply_for_recalculation(alice)
    client.force_login(bob)
    assert application.reference not in client.get(DASHBOARD).content.decode()


def test_dashboard_is_for_citizens(client, charlie):
    client.force_login(charlie)
    assert client.get(DASHBOARD).status_code == 403


def test_applicant_sees_the_timeline_and_the_facts(client, alice, charlie):
    application = apply_for_recalculation(alice)
    application_status_change(application=application, status=Status.NEEDS_INFORMATION,
                              actor=charlie, note="Which employer is missing?")
    client.force_login(alice)
    body = client.get(reverse("esocial:application_detail", args=[application.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Which employer is missing?" in body
    assert "more information needed" in body
    assert "State Social Protection Fund" in body
    assert "My wages in 2019 were higher." in body


@pytest.mark.parametrize(("name", "method"), [
    ("esocial:application_detail", "get"),
    ("esocial:application_message", "post"),
    ("esocial:application_withdraw", "post"),
])
def test_another_citizens_application_is_not_found(client, alice, bob, name, method):
    application = apply_for_recalculation(alice)
    client.force_login(bob)
    response = getattr(client, method)(reverse(name, args=[application.pk]), {"body": "hi"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not application.messages.exists()


def test_applicant_posts_a_message(client, alice):
    application = apply_for_recalculation(alice)
    client.force_login(alice)
    response = client.post(reverse("esocial:application_message", args=[application.pk]),
                           {"body": "I attach nothing more."})
    assert response.status_code == 302
    assert application.messages.get().body == "I attach nothing more."


def test_applicant_withdraws_from_the_page(client, alice):
    application = apply_for_recalculation(alice)
    client.force_login(alice)
    client.post(reverse("esocial:application_withdraw", args=[application.pk]), {"note": ""})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_staff_opening_an_application_is_logged(client, alice, charlie):
    application = apply_for_recalculation(alice)
    client.force_login(charlie)
    response = client.get(reverse("esocial:staff_application", args=[application.pk]))
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.person_id, record.actor, record.channel) == (
        alice.person_id, charlie, "backoffice")


def test_staff_status_change_writes_a_timeline_event_and_an_access_record(client, alice,
                                                                          charlie):
    application = apply_for_recalculation(alice)
    client.force_login(charlie)
    response = client.post(reverse("esocial:staff_application_status", args=[application.pk]),
                           {"status": Status.IN_REVIEW, "note": ""})
    assert response.status_code == 302
    event = application.events.order_by("id").last()
    assert (event.status_to, event.actor) == (Status.IN_REVIEW, charlie)
    assert AccessRecord.objects.filter(person_id=alice.person_id, actor=charlie).exists()


def test_a_forbidden_status_change_from_the_page_changes_nothing(client, alice, charlie):
    application = apply_for_recalculation(alice)
    application_status_change(application=application, status=Status.APPROVED, actor=charlie)
    client.force_login(charlie)
    response = client.post(reverse("esocial:staff_application_status", args=[application.pk]),
                           {"status": Status.REJECTED, "note": "No."},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cannot become" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_staff_queue_lists_open_applications(client, alice, charlie):
    application = apply_for_recalculation(alice)
    client.force_login(charlie)
    body = client.get(reverse("esocial:staff_applications")).content.decode()
    assert application.reference in body


def test_citizens_cannot_reach_the_staff_pages(client, alice):
    application = apply_for_recalculation(alice)
    client.force_login(alice)
    assert client.get(reverse("esocial:staff_applications")).status_code == 403
    assert client.get(reverse("esocial:staff_application",
                              args=[application.pk])).status_code == 403
    assert not AccessRecord.objects.exists()


def test_opening_an_application_in_the_back_office_admin_is_logged(client, alice, charlie):
    application = apply_for_recalculation(alice)
    User.objects.filter(pk=charlie.pk).update(is_staff=True, is_superuser=True)
    client.force_login(charlie)
    response = client.get(reverse("admin:applications_application_change",
                                  args=[application.pk]))
    assert response.status_code == 200
    assert application.reference in AccessRecord.objects.get().reason


def test_staff_queue_pages_keep_the_status_filter(client, alice, bob, charlie, monkeypatch):
    monkeypatch.setattr("esocial.applications.views.QUEUE_PAGE_SIZE", 1)
    apply_for_recalculation(alice)
    apply_for_recalculation(bob)
    client.force_login(charlie)
    body = client.get(reverse("esocial:staff_applications") + "?status=submitted",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="?status=submitted&amp;page=2"' in body
    assert "Page 1 of 2" in body
