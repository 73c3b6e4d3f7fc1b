"""Reads of home-visit assessments for the back-office pages and the staff case page."""

from __future__ import annotations

from django.db.models import QuerySet

from dost.accounts.models import Role, User
from vemtas.models import Assessment, AssessmentMedia, AssessmentState, CaseState


def _with_case(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("case", "case__applicant", "worker")


def visits_of_worker(worker: User) -> QuerySet[Assessment]:
    """The visits scheduled for ``worker`` and not yet signed, the next one first."""
    return _with_case(Assessment.objects.filter(worker=worker,
                                                state=AssessmentState.SCHEDULED)
                      ).order_by("visit_at", "id")


def visits_to_assign() -> QuerySet[Assessment]:
    """Cases waiting for a visit that nobody has been given yet, the oldest first."""
    return _with_case(Assessment.objects.filter(state=AssessmentState.UNASSIGNED,
                                                case__state=CaseState.VISIT)
                      ).order_by("created_at", "id")


def assessment_for_staff(pk: int) -> Assessment | None:
    return (_with_case(Assessment.objects.filter(pk=pk))
            .select_related("case__household", "assigned_by", "signing_key")
            .prefetch_related("media").first())


def assessment_of_case(case_id: int) -> Assessment | None:
    """The case's assessment with what its verification reads, or None."""
    return (_with_case(Assessment.objects.filter(case_id=case_id))
            .select_related("signing_key").prefetch_related("media").first())


def assessment_media(assessment: Assessment, media_pk: int) -> AssessmentMedia | None:
    return AssessmentMedia.objects.filter(assessment=assessment, pk=media_pk).first()


def social_workers() -> QuerySet[User]:
    """Who can be given a visit: active DOST centre staff, by name."""
    return User.objects.filter(role=Role.STAFF, is_active=True).order_by(
        "last_name", "first_name", "username")
