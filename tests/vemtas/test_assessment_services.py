"""Assigning a visit, recording it and submitting it: who may, when, and what is logged.
Every refusal says why and changes nothing."""

# ruff: noqa: F811 (the fixtures imported from tests.vemtas.visits are arguments here)

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone, translation

from dost.accounts.models import Role
from dost.audit.models import DecisionEntry, DecisionKind
from dost.errors import DomainError
from tests.concurrency import in_thread
from tests.vemtas.visits import (  # noqa: F401 (fixtures)
    MP3_BYTES,
    administrator,
    after_visit,
    household_case,
    media_root,
    official,
    other_worker,
    ready_to_sign,
    recorded,
    scheduled,
    signing_key,
    tomorrow_at_ten,
    unassigned,
    upload,
    worker,
)
from vemtas.assessments import (
    assessment_assign,
    assessment_media_add,
    assessment_record,
    assessment_submit,
)
from vemtas.models import Assessment, AssessmentState, CaseState
from vemtas.signing import manifest_sha256

pytestmark = pytest.mark.django_db


def refused(match: str, service, **kwargs) -> None:
    with translation.override("en"), pytest.raises(DomainError, match=match):
        service(**kwargs)


# --- assignment --------------------------------------------------------------------------


def test_staff_assign_a_visit_and_the_log_records_it(unassigned, worker, other_worker):
    visit_at = tomorrow_at_ten()
    assessment = assessment_assign(assessment=unassigned, worker=worker, visit_at=visit_at,
                                   actor=other_worker)
    assert (assessment.state, assessment.worker, assessment.assigned_by,
            assessment.visit_at) == (AssessmentState.SCHEDULED, worker, other_worker, visit_at)
    entry = DecisionEntry.objects.get(kind=DecisionKind.VISIT_ASSIGNMENT,
                                      subject=f"tssa-assessment:{unassigned.pk}")
    assert entry.person_id == unassigned.case.applicant_id
    assert entry.decided_by == f"official:{other_worker.pk}"
    assert entry.details["worker"] == worker.pk


def test_a_visit_can_be_given_to_another_worker_before_signing(scheduled, other_worker,
                                                                administrator):
    assessment = assessment_assign(assessment=scheduled, worker=other_worker,
                                   visit_at=tomorrow_at_ten(), actor=administrator)
    assert assessment.worker == other_worker
    assert DecisionEntry.objects.filter(kind=DecisionKind.VISIT_ASSIGNMENT).count() == 2


def test_a_visit_in_the_past_is_refused(unassigned, worker, administrator):
    refused("time still to come", assessment_assign, assessment=unassigned, worker=worker,
            visit_at=timezone.now() - dt.timedelta(minutes=1), actor=administrator)
    unassigned.refresh_from_db()
    assert unassigned.state == AssessmentState.UNASSIGNED and unassigned.worker is None


def test_a_visit_is_given_only_to_a_social_worker(unassigned, administrator, db):
    agent = official("agent9", Role.AGENT)
    refused("social worker", assessment_assign, assessment=unassigned, worker=agent,
            visit_at=tomorrow_at_ten(), actor=administrator)
    assert not DecisionEntry.objects.filter(kind=DecisionKind.VISIT_ASSIGNMENT).exists()


def test_only_centre_staff_assign_visits(unassigned, worker, db):
    agent = official("agent9", Role.AGENT)
    refused("Only DOST centre staff", assessment_assign, assessment=unassigned, worker=worker,
            visit_at=tomorrow_at_ten(), actor=agent)


def test_a_case_no_longer_waiting_for_its_visit_is_not_assigned(unassigned, worker,
                                                                administrator):
    type(unassigned.case).objects.filter(pk=unassigned.case_id).update(
        state=CaseState.REFUSED)
    refused("no longer waiting", assessment_assign, assessment=unassigned, worker=worker,
            visit_at=tomorrow_at_ten(), actor=administrator)


# --- findings ----------------------------------------------------------------------------


def test_the_worker_records_findings_and_may_correct_them_before_signing(scheduled, worker):
    recorded(scheduled, worker, matches=False, disagreement="A new car in the yard.")
    assessment = recorded(scheduled, worker, matches=True, disagreement="ignored")
    assessment.refresh_from_db()
    assert (assessment.members_present, assessment.matches_declaration,
            assessment.disagreement) == (2, True, "")


def test_a_disagreement_must_say_what_disagrees(scheduled, worker):
    refused("Say what disagrees", assessment_record, assessment=scheduled, worker=worker,
            members_present=2, conditions="Two rooms.", matches_declaration=False,
            disagreement="  ")
    scheduled.refresh_from_db()
    assert scheduled.matches_declaration is None


@pytest.mark.parametrize(("changes", "match"), [
    ({"members_present": None}, "how many members"),
    ({"members_present": -1}, "how many members"),
    ({"conditions": ""}, "Describe the living conditions"),
    ({"matches_declaration": None}, "agree with the declaration"),
])
def test_incomplete_findings_are_refused(scheduled, worker, changes, match):
    findings = {"members_present": 2, "conditions": "Two rooms.", "matches_declaration": True,
                "disagreement": ""}
    refused(match, assessment_record, assessment=scheduled, worker=worker,
            **{**findings, **changes})
    scheduled.refresh_from_db()
    assert scheduled.conditions == ""


def test_another_worker_cannot_record_the_visit(scheduled, other_worker):
    refused("Only the social worker assigned", assessment_record, assessment=scheduled,
            worker=other_worker, members_present=2, conditions="Two rooms.",
            matches_declaration=True, disagreement="")
    refused("Only the social worker assigned", assessment_media_add, assessment=scheduled,
            worker=other_worker, kind="audio", upload=upload("talk.mp3", MP3_BYTES))
    refused("Only the social worker assigned", assessment_submit, assessment=scheduled,
            worker=other_worker)
    scheduled.refresh_from_db()
    assert scheduled.conditions == "" and not scheduled.media.exists()


def test_an_unscheduled_visit_cannot_be_recorded(unassigned, worker):
    refused("Only the social worker assigned", assessment_record, assessment=unassigned,
            worker=worker, members_present=2, conditions="Two rooms.",
            matches_declaration=True, disagreement="")


# --- submission --------------------------------------------------------------------------


def test_submitting_signs_logs_and_hands_the_case_on(scheduled, worker, signing_key,
                                                     after_visit):
    ready_to_sign(scheduled, worker)
    assessment = assessment_submit(assessment=scheduled, worker=worker)
    assert assessment.state == AssessmentState.SIGNED
    assert assessment.signing_key == signing_key and assessment.signed_at is not None
    entry = DecisionEntry.objects.get(kind=DecisionKind.HOME_VISIT,
                                      subject=f"tssa-assessment:{scheduled.pk}")
    assert entry.person_id == scheduled.case.applicant_id
    assert entry.decided_by == f"official:{worker.pk}"
    assert entry.details == {
        "assessment": scheduled.pk, "case": scheduled.case_id, "matches_declaration": True,
        "media": 2, "key": signing_key.fingerprint,
        "manifest_sha256": manifest_sha256(assessment.manifest)}
    assert after_visit == [scheduled.case_id]


def test_nothing_changes_after_signing(scheduled, worker, signing_key, after_visit):
    ready_to_sign(scheduled, worker)
    assessment_submit(assessment=scheduled, worker=worker)
    refused("is signed", assessment_submit, assessment=scheduled, worker=worker)
    refused("is signed", assessment_record, assessment=scheduled, worker=worker,
            members_present=3, conditions="Other.", matches_declaration=True, disagreement="")
    refused("is signed", assessment_media_add, assessment=scheduled, worker=worker,
            kind="audio", upload=upload("more.mp3", MP3_BYTES))
    refused("is signed", assessment_assign, assessment=scheduled, worker=worker,
            visit_at=tomorrow_at_ten(), actor=worker)
    assert DecisionEntry.objects.filter(kind=DecisionKind.HOME_VISIT).count() == 1
    assert scheduled.media.count() == 2
    assert after_visit == [scheduled.case_id]


def test_a_visit_without_a_photo_is_not_signed(scheduled, worker, signing_key, after_visit):
    recorded(scheduled, worker)
    assessment_media_add(assessment=scheduled, worker=worker, kind="audio",
                         upload=upload("talk.mp3", MP3_BYTES))
    refused("at least one photo", assessment_submit, assessment=scheduled, worker=worker)
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SCHEDULED
    assert not DecisionEntry.objects.filter(kind=DecisionKind.HOME_VISIT).exists()
    assert after_visit == []


def test_a_visit_without_findings_is_not_signed(scheduled, worker, signing_key, after_visit):
    refused("Record your findings", assessment_submit, assessment=scheduled, worker=worker)


def test_a_file_changed_before_signing_is_not_signed(scheduled, worker, signing_key,
                                                     after_visit):
    ready_to_sign(scheduled, worker)
    photo = scheduled.media.get(kind="photo")
    with open(photo.file.path, "ab") as stored:
        stored.write(b"tampered")
    refused("missing or changed since it was added", assessment_submit, assessment=scheduled,
            worker=worker)
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SCHEDULED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_at_once_sign_once(scheduled, worker, signing_key, after_visit):
    ready_to_sign(scheduled, worker)
    start = threading.Barrier(2)
    results: list = []
    threads = [in_thread(lambda: assessment_submit(
        assessment=Assessment.objects.get(pk=scheduled.pk), worker=worker), results, start)
        for _twice in range(2)]
    for thread in threads:
        thread.join(30)
    signed = [result for result in results if isinstance(result, Assessment)]
    refusals = [result for result in results if isinstance(result, DomainError)]
    assert (len(signed), len(refusals)) == (1, 1), results
    assert refusals[0].code == "already_signed"
    assert DecisionEntry.objects.filter(kind=DecisionKind.HOME_VISIT).count() == 1
    assert after_visit == [scheduled.case_id]
