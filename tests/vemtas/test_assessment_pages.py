"""The back-office pages of home visits: the worker's visits, the visit's page from
assignment to signature, who may do what on it, the files served only through a check,
and the household's access log."""

# ruff: noqa: F811 (the fixtures imported from tests.vemtas.visits are arguments here)

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from dost.audit.models import AccessRecord, Subject
from tests.vemtas.visits import (  # noqa: F401 (fixtures)
    MP3_BYTES,
    administrator,
    after_visit,
    household_case,
    jpeg,
    media_root,
    other_worker,
    ready_to_sign,
    recorded,
    scheduled,
    signed_assessment,
    signing_key,
    tomorrow_at_ten,
    unassigned,
    upload,
    worker,
)
from vemtas.assessments import assessment_assign
from vemtas.models import Assessment, AssessmentMedia, AssessmentState, CaseState

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
VISITS = reverse("vemtas_visits:visits")


def page(assessment: Assessment) -> str:
    return reverse("vemtas_visits:assessment", args=[assessment.pk])


def action(name: str, assessment: Assessment) -> str:
    return reverse(f"vemtas_visits:{name}", args=[assessment.pk])


def findings(**changes) -> dict:
    return {"members_present": "2", "conditions": "Two rooms, gas heating.",
            "matches_declaration": "yes", "disagreement": "", **changes}


def test_my_visits_lists_the_workers_visits_the_next_first(client, worker, administrator,
                                                           make_person, make_case,
                                                           household_case, scheduled):
    later_case = make_case(make_person(first_name="Zaur"), state=CaseState.VISIT)
    later = Assessment.objects.create(case=later_case)
    assessment_assign(assessment=later, worker=worker, actor=administrator,
                      visit_at=tomorrow_at_ten() + dt.timedelta(days=3))
    waiting = Assessment.objects.create(case=make_case(make_person(first_name="Nigar"),
                                                       state=CaseState.VISIT))
    client.force_login(worker)
    response = client.get(VISITS, **EN)
    assert response.status_code == 200
    assert [visit.pk for visit in response.context["mine"]] == [scheduled.pk, later.pk]
    assert [visit.pk for visit in response.context["page"]] == [waiting.pk]
    body = response.content.decode()
    assert "Günel" in body and "Zaur" in body and "Nigar" in body
    # Everyone listed sees the look in their access log.
    assert set(AccessRecord.objects.filter(actor=worker, what=Subject.ASSISTANCE_CASE)
               .values_list("person_id", flat=True)) == {
        scheduled.case.applicant_id, later_case.applicant_id, waiting.case.applicant_id}


def test_the_visit_page_shows_the_household_and_logs_each_member(client, worker, scheduled):
    client.force_login(worker)
    response = client.get(page(scheduled), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Günel" in body and "Murad" in body
    members = set(scheduled.case.members.values_list("person_id", flat=True))
    logged = AccessRecord.objects.filter(actor=worker)
    assert set(logged.values_list("person_id", flat=True)) == members
    assert all(str(scheduled.case_id) in record.reason for record in logged)


def test_staff_assign_a_visit_on_its_page(client, other_worker, worker, unassigned):
    client.force_login(other_worker)
    day = timezone.localdate() + dt.timedelta(days=2)
    response = client.post(action("assign", unassigned),
                           {"worker": worker.pk, "day": day.isoformat(), "time": "11:30"})
    assert response.status_code == 302
    unassigned.refresh_from_db()
    assert (unassigned.state, unassigned.worker, unassigned.assigned_by) == (
        AssessmentState.SCHEDULED, worker, other_worker)
    assert timezone.localtime(unassigned.visit_at).time() == dt.time(11, 30)


def test_a_visit_in_the_past_is_refused_beside_the_day(client, other_worker, worker,
                                                       unassigned):
    client.force_login(other_worker)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(action("assign", unassigned),
                           {"worker": worker.pk, "day": yesterday.isoformat(), "time": "10:00"},
                           **EN)
    assert response.status_code == 400
    assert "The visit must be at a time still to come." in response.content.decode()
    unassigned.refresh_from_db()
    assert unassigned.state == AssessmentState.UNASSIGNED


def test_the_whole_visit_through_the_pages(client, worker, scheduled, signing_key,
                                           after_visit, media_root):
    client.force_login(worker)
    assert client.post(action("findings", scheduled), findings()).status_code == 302
    response = client.post(action("media_add", scheduled),
                           {"kind": "photo", "photo-file": jpeg()})
    assert response.status_code == 302
    assert client.post(action("submit", scheduled)).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SIGNED
    assert after_visit == [scheduled.case_id]
    body = client.get(page(scheduled), **EN).content.decode()
    assert "Verified: the signature holds" in body
    assert signing_key.fingerprint in body
    # Signed: no form is offered any more.
    assert action("findings", scheduled) not in body
    assert action("submit", scheduled) not in body


def test_a_disagreement_without_its_reason_is_refused_beside_the_field(client, worker,
                                                                       scheduled):
    client.force_login(worker)
    response = client.post(action("findings", scheduled),
                           findings(matches_declaration="no"), **EN)
    assert response.status_code == 400
    assert "Say what disagrees with the declaration." in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.matches_declaration is None


def test_signing_without_a_photo_is_refused_with_the_reason(client, worker, scheduled,
                                                            signing_key, after_visit):
    recorded(scheduled, worker)
    client.force_login(worker)
    response = client.post(action("submit", scheduled), **EN)
    assert response.status_code == 400
    assert "Add at least one photo of the home before signing." in response.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SCHEDULED


def test_another_worker_reads_the_visit_but_cannot_touch_it(client, other_worker, worker,
                                                            scheduled, signing_key,
                                                            after_visit, media_root):
    ready_to_sign(scheduled, worker)
    client.force_login(other_worker)
    body = client.get(page(scheduled)).content.decode()
    assert action("findings", scheduled) not in body
    assert client.post(action("findings", scheduled), findings()).status_code == 403
    assert client.post(action("media_add", scheduled),
                       {"kind": "audio", "audio-file": upload("x.mp3", MP3_BYTES)}
                       ).status_code == 403
    assert client.post(action("submit", scheduled)).status_code == 403
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SCHEDULED
    assert scheduled.media.count() == 2
    assert after_visit == []


def test_an_administrator_reads_the_visit_but_does_not_sign_it(client, administrator,
                                                               scheduled):
    client.force_login(administrator)
    assert client.get(page(scheduled)).status_code == 200
    assert client.post(action("submit", scheduled)).status_code == 403


def test_a_citizen_is_refused_the_back_office_pages(client, alice, scheduled):
    client.force_login(alice)
    assert client.get(VISITS).status_code == 403
    assert client.get(page(scheduled)).status_code == 403


def test_a_file_is_served_to_staff_through_its_page_and_logged(client, other_worker, worker,
                                                               scheduled, media_root):
    ready_to_sign(scheduled, worker)
    photo = scheduled.media.get(kind="photo")
    url = reverse("vemtas_visits:media_file", args=[scheduled.pk, photo.pk])
    client.force_login(other_worker)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == Path(photo.file.path).read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert 'filename="kitchen.jpg"' in response["Content-Disposition"]
    assert AccessRecord.objects.filter(actor=other_worker,
                                       person_id=scheduled.case.applicant_id).exists()


def test_a_file_is_not_reached_through_another_visit(client, worker, administrator,
                                                     scheduled, make_person, make_case,
                                                     media_root):
    ready_to_sign(scheduled, worker)
    photo = scheduled.media.get(kind="photo")
    other = Assessment.objects.create(case=make_case(make_person(), state=CaseState.VISIT))
    client.force_login(worker)
    response = client.get(reverse("vemtas_visits:media_file", args=[other.pk, photo.pk]))
    assert response.status_code == 404


def test_the_files_have_no_public_address(client, worker, scheduled, media_root):
    ready_to_sign(scheduled, worker)
    photo = AssessmentMedia.objects.get(kind="photo")
    client.force_login(worker)
    body = client.get(page(scheduled)).content.decode()
    assert photo.file.name not in body
    assert client.get(f"/media/{photo.file.name}").status_code == 404


def test_a_tampered_visit_shows_each_problem_as_an_alert(client, worker, scheduled,
                                                         signing_key, after_visit,
                                                         media_root):
    signed_assessment(scheduled, worker)
    Assessment.objects.filter(pk=scheduled.pk).update(conditions="A palace.")
    client.force_login(worker)
    body = client.get(page(scheduled), **EN).content.decode()
    assert 'role="alert"' in body
    assert "The findings differ from the signed statement" in body
    assert "Verified:" not in body
