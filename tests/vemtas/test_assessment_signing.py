"""A signed assessment verifies; whatever is changed after the signing is named: a file's
bytes, a missing file, the signature, the findings, a file added, the statement swapped.
A revoked key signs nothing more, and what it signed before still verifies, saying so."""

# ruff: noqa: F811 (the fixtures imported from tests.vemtas.visits are arguments here)

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from dost.errors import DomainError
from tests.vemtas.visits import (  # noqa: F401 (fixtures)
    administrator,
    after_visit,
    household_case,
    jpeg,
    media_root,
    ready_to_sign,
    scheduled,
    signed_assessment,
    signing_key,
    unassigned,
    worker,
)
from vemtas.assessments import assessment_submit
from vemtas.models import Assessment, AssessmentMedia, AssessmentState
from vemtas.signing import (
    _private_key,
    assessment_verify,
    key_revoke,
    manifest_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(scheduled, worker, signing_key, after_visit) -> Assessment:
    signed_assessment(scheduled, worker)
    return fresh(scheduled)


def fresh(assessment: Assessment) -> Assessment:
    return (Assessment.objects.select_related("case", "signing_key")
            .prefetch_related("media").get(pk=assessment.pk))


def verified(assessment: Assessment):
    with translation.override("en"):
        return assessment_verify(fresh(assessment))


def test_a_signed_assessment_verifies(signed):
    verification = verified(signed)
    assert verification.ok, verification.problems
    assert verification.problems == [] and verification.notes == []


def test_an_unsigned_assessment_does_not_verify(scheduled, worker):
    verification = verified(scheduled)
    assert not verification.ok
    assert verification.problems == ["The assessment has not been signed yet."]


def test_changed_bytes_of_a_file_are_found(signed):
    photo = signed.media.get(kind="photo")
    with open(photo.file.path, "r+b") as stored:
        stored.seek(-3, 2)
        stored.write(b"\x00\x00\x00")
    verification = verified(signed)
    assert not verification.ok
    assert verification.problems == [
        "File “kitchen.jpg” has changed since signing: its SHA-256 is not the one signed."]


def test_a_file_gone_from_storage_is_found(signed):
    recording = signed.media.get(kind="audio")
    recording.file.storage.delete(recording.file.name)
    verification = verified(signed)
    assert verification.problems == ["File “talk.mp3” is missing from storage."]


def test_a_changed_signature_is_found(signed):
    signature = bytearray(bytes(signed.signature))
    signature[0] ^= 0x01
    Assessment.objects.filter(pk=signed.pk).update(signature=bytes(signature))
    verification = verified(signed)
    assert not verification.ok
    assert verification.problems == [
        "The signature is not valid for the signed statement: the statement or the signature "
        "was altered."]


def test_findings_edited_after_signing_are_found(signed):
    Assessment.objects.filter(pk=signed.pk).update(members_present=5,
                                                   conditions="A large house.")
    verification = verified(signed)
    assert not verification.ok
    assert verification.problems == [
        "The findings differ from the signed statement (changed after signing): members "
        "found living there, living conditions."]


def test_a_file_added_after_signing_is_found(signed):
    AssessmentMedia.objects.create(assessment=signed, kind="photo", file="tssa/extra.jpg",
                                   original_name="extra.jpg", content_type="image/jpeg",
                                   size=10, sha256="0" * 64)
    verification = verified(signed)
    assert "File “extra.jpg” was added after signing." in verification.problems


def test_a_file_row_removed_after_signing_is_found(signed):
    signed.media.get(kind="audio").delete()
    verification = verified(signed)
    assert verification.problems == [
        "File “talk.mp3”, listed in the signed statement, is missing."]


def test_a_statement_signed_again_and_swapped_in_is_found_by_the_decision_log(signed, worker):
    # Someone with the database and the key-encryption secret signs other findings: the
    # signature holds, but the decision log recorded the hash of the statement signed then.
    Assessment.objects.filter(pk=signed.pk).update(matches_declaration=False,
                                                   disagreement="A car in the yard.")
    altered = fresh(signed)
    manifest = manifest_for(altered)
    signature = _private_key(altered.signing_key).sign(manifest.encode())
    Assessment.objects.filter(pk=signed.pk).update(manifest=manifest, signature=signature)
    verification = verified(signed)
    assert verification.problems == [
        "The signed statement is not the one recorded in the decision log when it was signed."]


def test_a_revoked_key_cannot_sign(scheduled, worker, administrator, signing_key, after_visit):
    ready_to_sign(scheduled, worker)
    key_revoke(key=signing_key, revoked_by=administrator)
    with translation.override("en"), pytest.raises(DomainError, match="was revoked on"):
        assessment_submit(assessment=scheduled, worker=worker)
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SCHEDULED
    assert scheduled.signature is None and scheduled.manifest == ""
    assert after_visit == []


def test_a_worker_without_a_key_cannot_sign(scheduled, worker, after_visit):
    ready_to_sign(scheduled, worker)
    with translation.override("en"), pytest.raises(DomainError, match="no signing key"):
        assessment_submit(assessment=scheduled, worker=worker)
    scheduled.refresh_from_db()
    assert scheduled.state == AssessmentState.SCHEDULED


def test_a_signature_made_before_the_revocation_still_verifies_and_says_so(
        signed, administrator, signing_key):
    key_revoke(key=signing_key, revoked_by=administrator)
    verification = verified(signed)
    assert verification.ok, verification.problems
    [note] = verification.notes
    assert note.startswith("The signing key was revoked on ")
    assert "after this signing: the signature made before the revocation stays valid" in note


def test_a_signing_dated_after_the_revocation_is_a_problem(signed, administrator,
                                                           signing_key):
    key_revoke(key=signing_key, revoked_by=administrator)
    Assessment.objects.filter(pk=signed.pk).update(
        signed_at=timezone.now() + dt.timedelta(minutes=5))
    verification = verified(signed)
    assert not verification.ok
    assert any("before this signing" in problem for problem in verification.problems)
