"""The home visit of a targeted social assistance case: assigned, recorded, signed.

A case whose cross-checks found nothing waits for a social worker's visit (unless
the law lets a repeat applicant skip it). Centre staff assign a worker and the
time (``assessment_assign``); the assigned worker records what they found
(``assessment_record``) and adds the visit's photos, videos and recordings
(``assessment_media_add``), then signs and submits it (``assessment_submit``),
which freezes it, appends it to the decision log and lets the case be decided.
After the signing nothing about it changes: the signature would say so.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.models import Role, User
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind
from dost.errors import DomainError
from vemtas.media import inspect_upload
from vemtas.models import (
    Assessment,
    AssessmentMedia,
    AssessmentState,
    CaseState,
    MediaKind,
)
from vemtas.signing import (
    assessment_sign,
    assessment_subject,
    file_sha256,
    is_social_worker,
    manifest_sha256,
)

# More would be no longer a record of one visit; each file is also read again at signing.
MAX_FILES = 40
MAX_MEMBERS = 99
MAX_TEXT = 5000


def may_assign(user: User) -> bool:
    """Centre staff (and administrators) assign and schedule visits."""
    return user.is_active and (user.role in (Role.STAFF, Role.ADMIN) or user.is_superuser)


def is_assigned_worker(assessment: Assessment, user: User) -> bool:
    return assessment.worker_id is not None and assessment.worker_id == user.pk


def _locked(assessment: Assessment) -> Assessment:
    """The assessment's row, locked until the transaction ends, with its case."""
    return (Assessment.objects.select_for_update(of=("self",)).select_related("case")
            .get(pk=assessment.pk))


def _require_open(assessment: Assessment) -> None:
    if assessment.state == AssessmentState.SIGNED:
        raise DomainError(_("This assessment is signed: nothing in it can change any more."),
                          code="already_signed")


def _require_worker_may_edit(assessment: Assessment, worker: User) -> None:
    _require_open(assessment)
    if not is_assigned_worker(assessment, worker):
        raise DomainError(_("Only the social worker assigned to this visit can record it."),
                          code="not_assigned_worker")
    if assessment.state != AssessmentState.SCHEDULED:
        raise DomainError(_("This visit has not been scheduled yet."), code="not_scheduled")


def _require_case_waiting_for_visit(assessment: Assessment) -> None:
    if assessment.case.state != CaseState.VISIT:
        raise DomainError(_("The case is no longer waiting for a home visit (it is: %(state)s).")
                          % {"state": assessment.case.get_state_display()},
                          code="case_not_waiting")


def assessment_assign(*, assessment: Assessment, worker: User, visit_at: dt.datetime,
                      actor: User) -> Assessment:
    """Give the visit to ``worker`` at ``visit_at`` (a later time); also to reassign it.

    Appends an assignment to the decision log (subject ``tssa-assessment:<id>``).
    Refused once the assessment is signed, or when the case no longer waits for it.
    """
    if not may_assign(actor):
        raise DomainError(_("Only DOST centre staff assign home visits."), code="not_staff")
    if not is_social_worker(worker):
        raise DomainError(_("A home visit is made by a social worker: choose an active member "
                            "of a DOST centre's staff."), code="not_social_worker")
    if visit_at is None or timezone.is_naive(visit_at):
        raise DomainError(_("Give the day and time of the visit."), code="visit_at_required")
    if visit_at <= timezone.now():
        raise DomainError(_("The visit must be at a time still to come."),
                          code="visit_in_past")
    with transaction.atomic():
        locked = _locked(assessment)
        _require_open(locked)
        _require_case_waiting_for_visit(locked)
        previous_worker = locked.worker_id
        locked.worker = worker
        locked.assigned_by = actor
        locked.visit_at = visit_at
        locked.state = AssessmentState.SCHEDULED
        locked.save(update_fields=["worker", "assigned_by", "visit_at", "state"])
        decision_record(
            kind=DecisionKind.VISIT_ASSIGNMENT, subject=assessment_subject(locked.pk),
            decided_by=f"official:{actor.pk}", person_id=locked.case.applicant_id,
            details={"assessment": locked.pk, "case": locked.case_id, "worker": worker.pk,
                     "previous_worker": previous_worker, "visit_at": visit_at.isoformat()},
        )
    return locked


def _stored_name(extension: str) -> str:
    # Never the uploader's own name on disk: it is kept in ``original_name`` only.
    return f"{uuid.uuid4().hex}{extension}"


def assessment_media_add(*, assessment: Assessment, worker: User, kind: str,
                         upload: UploadedFile) -> AssessmentMedia:
    """Store one file of the visit, checked by content and size, with its SHA-256.

    Only the assigned worker, only before signing. A refused file leaves nothing:
    no row, and no file in storage (one written before a failure is deleted).
    """
    _require_worker_may_edit(assessment, worker)
    inspected = inspect_upload(kind=kind, upload=upload)
    stored_name = ""
    media = AssessmentMedia(assessment_id=assessment.pk, kind=inspected.kind,
                            original_name=inspected.original_name,
                            content_type=inspected.content_type, size=inspected.size,
                            sha256=inspected.sha256)
    try:
        with transaction.atomic():
            locked = _locked(assessment)
            _require_worker_may_edit(locked, worker)
            if locked.media.count() >= MAX_FILES:
                raise DomainError(_("A visit may have at most %(count)s files.")
                                  % {"count": MAX_FILES}, code="too_many_files")
            upload.seek(0)
            media.file.save(_stored_name(inspected.extension), upload, save=False)
            stored_name = media.file.name
            media.save()
    except BaseException:
        if stored_name:
            media.file.storage.delete(stored_name)
        raise
    return media


def assessment_record(*, assessment: Assessment, worker: User, members_present: int | None,
                      conditions: str, matches_declaration: bool | None,
                      disagreement: str) -> Assessment:
    """Save the worker's findings; they may be saved again until the signing.

    What disagrees must be said when the conditions disagree with the declaration;
    when they agree, nothing is kept as disagreeing.
    """
    conditions = (conditions or "").strip()
    disagreement = (disagreement or "").strip()
    if members_present is None or not 0 <= members_present <= MAX_MEMBERS:
        raise DomainError(_("Give how many members of the household you found living there "
                            "(0 to %(max)s).") % {"max": MAX_MEMBERS},
                          code="members_present_invalid")
    if not conditions:
        raise DomainError(_("Describe the living conditions you found."),
                          code="conditions_required")
    if matches_declaration is None:
        raise DomainError(_("Say whether the conditions agree with the declaration."),
                          code="matches_required")
    if not matches_declaration and not disagreement:
        raise DomainError(_("Say what disagrees with the declaration."),
                          code="disagreement_required")
    if len(conditions) > MAX_TEXT or len(disagreement) > MAX_TEXT:
        raise DomainError(_("Keep each text under %(max)s characters.") % {"max": MAX_TEXT},
                          code="text_too_long")
    with transaction.atomic():
        locked = _locked(assessment)
        _require_worker_may_edit(locked, worker)
        locked.members_present = members_present
        locked.conditions = conditions
        locked.matches_declaration = matches_declaration
        locked.disagreement = "" if matches_declaration else disagreement
        locked.save(update_fields=["members_present", "conditions", "matches_declaration",
                                   "disagreement"])
    return locked


def _require_complete(assessment: Assessment, media: list[AssessmentMedia]) -> None:
    if assessment.members_present is None or assessment.matches_declaration is None:
        raise DomainError(_("Record your findings before signing."),
                          code="findings_required")
    if not any(row.kind == MediaKind.PHOTO for row in media):
        raise DomainError(_("Add at least one photo of the home before signing."),
                          code="photo_required")
    for row in media:
        # The worker signs the bytes in storage: a file that changed since its upload
        # (or is gone) is not signed as if it had not.
        if file_sha256(row) != row.sha256:
            raise DomainError(_("File “%(name)s” is missing or changed since it was added: "
                                "ask an administrator before signing.")
                              % {"name": row.original_name}, code="file_changed")


def assessment_submit(*, assessment: Assessment, worker: User) -> Assessment:
    """Sign the findings and files with the worker's key and submit them.

    In one transaction, with the assessment's row locked (a second submission waits,
    then is refused as already signed): signs the manifest (``vemtas.signing``),
    saves the signature, appends the assessment to the decision log (kind
    ``assessment``, with the key's fingerprint and the manifest's SHA-256), then
    hands the case on to ``vemtas.decisions.case_after_visit``.
    """
    with transaction.atomic():
        locked = _locked(assessment)
        _require_worker_may_edit(locked, worker)
        _require_case_waiting_for_visit(locked)
        media = list(locked.media.order_by("pk"))
        _require_complete(locked, media)
        signed = assessment_sign(assessment=locked, worker=worker)
        locked.manifest = signed.manifest
        locked.signature = signed.signature
        locked.signing_key = signed.key
        locked.signed_at = timezone.now()
        locked.state = AssessmentState.SIGNED
        locked.save(update_fields=["manifest", "signature", "signing_key", "signed_at",
                                   "state"])
        decision_record(
            kind=DecisionKind.HOME_VISIT, subject=assessment_subject(locked.pk),
            decided_by=f"official:{worker.pk}", person_id=locked.case.applicant_id,
            details={"assessment": locked.pk, "case": locked.case_id,
                     "matches_declaration": locked.matches_declaration,
                     "media": len(media), "key": signed.key.fingerprint,
                     "manifest_sha256": manifest_sha256(signed.manifest)},
        )
        # Imported here: the case's decision depends on this module, not the other way.
        from vemtas.decisions import case_after_visit

        case_after_visit(case_id=locked.case_id)
    return locked
