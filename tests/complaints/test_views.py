from __future__ import annotations

import pytest
from django.urls import reverse

from dost.audit.models import AccessRecord, Subject
from dost.complaints.models import Channel, Complaint, Status
from dost.complaints.services import complaint_open

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def alices(alice, quality):
    return complaint_open(person=alice.person, category=quality, text="Rude staff.",
                          channel=Channel.PORTAL)


def test_my_complaints_show_status_and_due_date(client, alice, alices):
    client.force_login(alice)
    page = client.get(reverse("complaints:mine"), **EN)
    assert page.status_code == 200
    assert alices.reference in page.content.decode()
    detail = client.get(reverse("complaints:detail", args=[alices.pk]), **EN).content.decode()
    assert "Rude staff." in detail and "Received" in detail


def test_another_citizens_complaint_is_404(client, bob, alices):
    client.force_login(bob)
    assert client.get(reverse("complaints:detail", args=[alices.pk])).status_code == 404


def test_a_citizen_files_an_appeal_naming_their_decision(client, alice, appeal, decision_about):
    entry = decision_about(alice.person)
    client.force_login(alice)
    form = client.get(reverse("complaints:new") + f"?decision={entry.pk}", **EN)
    assert f'value="{entry.pk}" selected' in form.content.decode()
    response = client.post(reverse("complaints:new"), {
        "category": appeal.pk, "text": "The amount is wrong.", "decision": entry.pk})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert (complaint.decision_entry_id, complaint.channel) == (entry.pk, Channel.PORTAL)


def test_a_citizen_cannot_name_another_persons_decision(client, alice, bob, appeal,
                                                        decision_about):
    entry = decision_about(bob.person)
    client.force_login(alice)
    response = client.post(reverse("complaints:new"), {
        "category": appeal.pk, "text": "Wrong.", "decision": entry.pk}, **EN)
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_an_appeal_without_a_decision_is_refused_with_a_message(client, alice, appeal):
    client.force_login(alice)
    response = client.post(reverse("complaints:new"),
                           {"category": appeal.pk, "text": "Wrong."}, **EN)
    assert response.status_code == 400
    assert "Choose the decision you contest." in response.content.decode()
    assert not Complaint.objects.exists()


def test_dashboard_counts_open_and_overdue_by_unit(client, officer, alice, bob, quality, appeal,
                                                   decision_about):
    for person in (alice.person, bob.person):
        complaint_open(person=person, category=quality, text="Slow.", channel=Channel.PORTAL)
    late = complaint_open(person=alice.person, category=appeal, text="Wrong.",
                          channel=Channel.PORTAL,
                          decision_entry_id=decision_about(alice.person).pk)
    Complaint.objects.filter(pk=late.pk).update(due_on="2020-01-01")
    client.force_login(officer)
    response = client.get(reverse("complaints_backoffice:dashboard"), **EN)
    rows = {row.unit.pk: row for row in response.context["rows"]}
    assert (rows["service"].open, rows["service"].overdue) == (2, 0)
    assert (rows["decisions"].open, rows["decisions"].overdue) == (1, 1)
    assert rows["registry"].open == 0


def test_the_unit_list_logs_each_citizen_shown(client, officer, alice, appeal, decision_about):
    complaint_open(person=alice.person, category=appeal, text="Wrong.", channel=Channel.PORTAL,
                   decision_entry_id=decision_about(alice.person).pk)
    client.force_login(officer)
    response = client.get(reverse("complaints_backoffice:unit", args=["decisions"]))
    assert response.status_code == 200
    assert AccessRecord.objects.filter(person=alice.person, actor=officer,
                                       what=Subject.COMPLAINTS).count() == 1


def test_staff_of_another_unit_are_refused(client, outsider, alice, appeal, decision_about):
    complaint = complaint_open(person=alice.person, category=appeal, text="Wrong.",
                               channel=Channel.PORTAL,
                               decision_entry_id=decision_about(alice.person).pk)
    client.force_login(outsider)
    assert client.get(reverse("complaints_backoffice:complaint",
                              args=[complaint.pk])).status_code == 404
    assert client.get(reverse("complaints_backoffice:unit",
                              args=["decisions"])).status_code == 404
    assert client.post(reverse("complaints_backoffice:answer", args=[complaint.pk]),
                       {"answer": "No."}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_an_officer_takes_and_answers_from_the_page(client, officer, alice, appeal,
                                                   decision_about):
    complaint = complaint_open(person=alice.person, category=appeal, text="Wrong.",
                               channel=Channel.PORTAL,
                               decision_entry_id=decision_about(alice.person).pk)
    client.force_login(officer)
    page = client.get(reverse("complaints_backoffice:complaint", args=[complaint.pk]))
    assert page.status_code == 200
    assert AccessRecord.objects.filter(person=alice.person, actor=officer).exists()
    client.post(reverse("complaints_backoffice:take", args=[complaint.pk]))
    empty = client.post(reverse("complaints_backoffice:answer", args=[complaint.pk]),
                        {"answer": ""})
    assert empty.status_code == 400
    client.post(reverse("complaints_backoffice:answer", args=[complaint.pk]),
                {"answer": "Recalculated."})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answer) == (Status.ANSWERED, "Recalculated.")


def test_a_centre_officer_registers_a_complaint_by_fin(client, charlie, alice, quality):
    client.force_login(charlie)
    response = client.post(reverse("complaints_backoffice:new"), {
        "fin": alice.person.fin.lower(), "category": quality.pk, "text": "Queue too long."})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.opened_by, complaint.person) == (
        Channel.CENTRE, charlie, alice.person)
    assert AccessRecord.objects.filter(person=alice.person, actor=charlie).exists()


def test_an_unknown_fin_is_refused_and_nothing_saved(client, charlie, quality):
    client.force_login(charlie)
    response = client.post(reverse("complaints_backoffice:new"), {
        "fin": "9ZZZZZ9", "category": quality.pk, "text": "Queue."}, **EN)
    assert response.status_code == 400
    assert "No one with this FIN" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_awards_page_links_to_contest_a_decision(client, alice):
    # No award yet: no link; the page still renders with the navigation link.
    client.force_login(alice)
    page = client.get(reverse("esocial:my_awards")).content.decode()
    assert reverse("complaints:mine") in page
