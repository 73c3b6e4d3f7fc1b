"""Reads of the back-office pages of targeted social assistance: the queue and a case's page.

Each read is one query (or a fixed few), whatever the number of rows it shows: the
queue's page of 50 cases with their members counted, a case with everything its
page shows beside the report.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from dost.accounts.models import User
from dost.audit.models import AccessRecord, DecisionEntry
from dost.entitlements.models import Award
from vemtas.decisions import BENEFIT
from vemtas.models import Assessment, AssessmentState, Case, Change
from vemtas.signing import assessment_subject

# The benefit a TSSA household's child under one draws; its periods sit beside the award's.
CHILD_UNDER_ONE = "tssa_child_under_one"
# Enough to see who has been looking lately; the citizen's own log has them all.
ACCESSES_SHOWN = 50


def queue_cases(state: str | None = None) -> QuerySet[Case]:
    """Cases (in ``state``, or all), the oldest first, with their members counted."""
    cases = (Case.objects.select_related("applicant", "applicant__region", "application")
             .annotate(members_total=Count("members"))
             .order_by("created_at", "id"))
    return cases.filter(state=state) if state else cases


def assessment_counts() -> dict[str, int]:
    counts = dict.fromkeys(AssessmentState.values, 0)
    for row in Assessment.objects.values("state").order_by().annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def queue_assessments(state: str) -> QuerySet[Assessment]:
    """Home visits in ``state``, the oldest first, with their case, applicant and worker."""
    return (Assessment.objects.filter(state=state)
            .select_related("case", "case__applicant", "case__applicant__region",
                            "case__application", "worker")
            .order_by("created_at", "id"))


def case_for_staff(pk: int) -> Case | None:
    return (Case.objects.select_related(
        "applicant", "applicant__region", "application", "household", "household__region",
        "submitted_by", "award", "overturned_by", "renewal_of")
        .filter(pk=pk).first())


def case_award_periods(case: Case) -> list[Award]:
    """The periods of the case's award (a change in the household begins a new one), and
    those of the benefit for a child under one that it carries, in order."""
    return list(Award.objects.filter(
        person_id=case.applicant_id, benefit__in=[BENEFIT, CHILD_UNDER_ONE],
        period_start__gte=case.period_start, period_start__lte=case.period_end,
    ).select_related("basis_person").order_by("period_start", "benefit", "id"))


def case_changes(case: Case) -> QuerySet[Change]:
    return case.changes.select_related("person").order_by("effective_from", "id")


def case_decisions(case: Case, *, award_ids: list[int],
                   assessment_id: int | None) -> QuerySet[DecisionEntry]:
    """The decision log's entries about the case: its refusal or overturning, its home
    visit's assignment and signing, and every decision on its award's periods."""
    subjects = [f"tssa-case:{case.pk}"]
    if assessment_id is not None:
        subjects.append(assessment_subject(assessment_id))
    # The person's index finds the case's own entries (the subject has none of its own).
    about = Q(person_id=case.applicant_id, subject__in=subjects)
    if award_ids:
        about |= Q(award_id__in=award_ids)
    return (DecisionEntry.objects.filter(about).select_related("batch")
            .order_by("recorded_at", "id"))


def case_accesses(case: Case, *, limit: int = ACCESSES_SHOWN) -> list[AccessRecord]:
    """The latest looks at the applicant's data since the case was opened, newest first."""
    return list(AccessRecord.objects.filter(person_id=case.applicant_id,
                                            at__gte=case.created_at)
                .select_related("actor", "institution").order_by("-at", "-id")[:limit])


def official_names(ids: set[int]) -> dict[int, str]:
    """Officials' names by user id (their username when they have no name)."""
    if not ids:
        return {}
    return {user.pk: user.get_full_name() or user.username
            for user in User.objects.filter(pk__in=ids).only(
                "id", "username", "first_name", "last_name")}
