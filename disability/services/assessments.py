"""The expert commission's assessment of a case, its confirmation by a second expert, and a
supervisor's move of a case to another commission.

An assessment is one expert's proposal until a different member of the same
commission confirms it; the confirmation and the decision it makes final
(``disability.services.decisions.assessment_decide``: the registry's finding,
the register, the certificate, the SMS, the awards) commit together or not at
all. The other expert may instead disagree: the proposal is withdrawn with the
reason and the case waits for a new one.

Every refusal is a ``DomainError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disability.models import (
    OPEN_STATES,
    AgeBand,
    AssessedCondition,
    Assessment,
    AssessmentState,
    Cause,
    Commission,
    CommissionMember,
    Duration,
    Reassignment,
    Referral,
    ReferralState,
)
from disability.services.decisions import assessment_decide
from dost.accounts.models import User
from dost.audit.decisions import decision_record
from dost.audit.models import Channel, DecisionKind, Subject
from dost.audit.services import access_records_for_list
from dost.errors import DomainError
from dost.registry.models import Person

PERCENT_STEP = 5
# Above this one has a disability; at or below it, none (and no degree).
NO_DISABILITY_UP_TO = 30
# Lowest percentage of degrees I, II and III.
DEGREE_FLOORS = ((1, 81), (2, 61), (3, 31))
SEVERAL_CONDITIONS_ADDITION = 10
CHILD_AGE_BANDS = frozenset({AgeBand.UNDER_3, AgeBand.CHILD, AgeBand.SCHOOL, AgeBand.TEEN})
# Durations after which no review is set.
OPEN_ENDED_DURATIONS = frozenset({Duration.INDEFINITE, Duration.UNTIL_18})
MAX_NOTES_LENGTH = 5000
MAX_REASON_LENGTH = 2000

CASE_SEEN_REASON = gettext_lazy(
    "The expert commission assessing your referral read its medical information (your name "
    "and FIN are not shown to the experts).")
CASES_LISTED_REASON = gettext_lazy(
    "Your referral was listed among the expert commission's cases (your name and FIN are "
    "not shown to the experts).")


# --- the rule ---------------------------------------------------------------------------------


def percent_checked(percent: int) -> int:
    """``percent`` when it is 0 to 100 in 5 % steps; DomainError ``percent_step`` otherwise."""
    if (isinstance(percent, bool) or not isinstance(percent, int)
            or not 0 <= percent <= 100 or percent % PERCENT_STEP):
        raise DomainError(_("A percentage is a number from 0 to 100 in steps of 5."),
                          code="percent_step")
    return percent


def percent_recorded(percent: int) -> int:
    """The step a percentage within a range of the criteria is recorded as: the top of its
    5 % range (31-35 is recorded as 35; 35 stays 35)."""
    if not 0 <= percent <= 100:
        raise DomainError(_("A percentage is a number from 0 to 100 in steps of 5."),
                          code="percent_step")
    return -(-percent // PERCENT_STEP) * PERCENT_STEP


def combined_percent(percentages: Sequence[int]) -> int:
    """The overall functional impairment of a person with one or several conditions.

    The criteria of 2022-07-01 (Cabinet decision No. 187) read: with several
    conditions, equal percentages give that percentage + 10; different ones
    give the highest + 10; never above 100. Read here as: one condition gives
    its own percentage; several conditions of which more than one is above 0 %
    give the highest + 10, capped at 100 (equal percentages are the case where
    the highest is any of them). A condition assessed at 0 % impairs nothing and
    adds nothing, so a single condition above 0 % among others at 0 % gives its
    own percentage. No conditions: 0. Every percentage must be 0 to 100 in 5 %
    steps (DomainError ``percent_step``): ranges of the criteria are recorded by
    their top step first (``percent_recorded``).
    """
    checked = [percent_checked(percent) for percent in percentages]
    impairing = [percent for percent in checked if percent > 0]
    if not impairing:
        return 0
    if len(impairing) == 1:
        return impairing[0]
    return min(max(impairing) + SEVERAL_CONDITIONS_ADDITION, 100)


def degree_for(percent: int) -> int | None:
    """The degree of disability: I for 81-100 %, II for 61-80 %, III for 31-60 %; None for
    30 % or less, which is no disability."""
    if not 0 <= percent <= 100:
        raise DomainError(_("A percentage is a number from 0 to 100 in steps of 5."),
                          code="percent_step")
    for degree, floor in DEGREE_FLOORS:
        if percent >= floor:
            return degree
    return None


# --- the assessment ---------------------------------------------------------------------------


def _no_such_case() -> DomainError:
    # Another commission's case is indistinguishable from one that does not exist.
    return DomainError(_("No such case."), code="not_found")


def _require_member(expert: User, commission_id: int) -> None:
    if not CommissionMember.objects.filter(user=expert, commission_id=commission_id).exists():
        raise _no_such_case()


def assessment_propose(*, referral: Referral, expert: User, percentages: Mapping[int, int],
                       cause: str, duration: str, next_review_on: dt.date | None,
                       lost_working_capacity: int, notes: str = "",
                       on: dt.date | None = None) -> Assessment:
    """One expert's assessment of a case waiting for one, with a percentage per diagnosis.

    Computes the overall percentage by the combination rule and the degree (none for a
    person under 18 above 30 %: "disability under 18"; none at 30 % or less). Writes the
    assessment and its conditions and sets the case awaiting a second expert.
    """
    on = on or timezone.localdate()
    _require_member(expert, referral.commission_id)
    notes = notes.strip()
    if len(notes) > MAX_NOTES_LENGTH:
        raise DomainError(_("Keep the reasoning under %(count)s characters.")
                          % {"count": MAX_NOTES_LENGTH}, code="notes_too_long")
    if cause not in Cause.values:
        raise DomainError(_("Choose the cause of the disability."), code="cause")
    if duration not in Duration.values:
        raise DomainError(_("Choose how long the finding holds."), code="duration")
    checked = {diagnosis: percent_checked(percent) for diagnosis, percent in percentages.items()}
    lost_working_capacity = _working_capacity_checked(lost_working_capacity)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.state != ReferralState.ASSIGNED:
            raise DomainError(_("This case is not waiting for an assessment."),
                              code="case_not_assigned")
        diagnoses = set(referral.diagnoses.values_list("pk", flat=True))
        if set(checked) - diagnoses:
            raise DomainError(_("A percentage was given for a diagnosis that is not in this "
                                "case."), code="unknown_diagnosis")
        if diagnoses - set(checked):
            raise DomainError(_("Give a percentage for every diagnosis of the case."),
                              code="percent_missing")
        _review_checked(duration=duration, next_review_on=next_review_on,
                        age_band=referral.age_band, on=on)
        overall = combined_percent(list(checked.values()))
        under_18 = referral.age_band in CHILD_AGE_BANDS and overall > NO_DISABILITY_UP_TO
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    referral=referral, assessed_by=expert, overall_percent=overall,
                    degree=None if under_18 else degree_for(overall), under_18=under_18,
                    cause=cause, duration=duration,
                    next_review_on=None if duration in OPEN_ENDED_DURATIONS else next_review_on,
                    lost_working_capacity=lost_working_capacity, notes=notes,
                )
        except IntegrityError as error:
            if "assessment_one_proposed_per_referral" in str(error):
                raise DomainError(_("This case already has an assessment awaiting a second "
                                    "expert."), code="already_proposed") from error
            raise
        AssessedCondition.objects.bulk_create([
            AssessedCondition(assessment=assessment, diagnosis_id=diagnosis, percent=percent)
            for diagnosis, percent in sorted(checked.items())
        ])
        referral.state = ReferralState.AWAITING_CONFIRMATION
        referral.save(update_fields=["state"])
    return assessment


def _working_capacity_checked(percent: int) -> int:
    if (isinstance(percent, bool) or not isinstance(percent, int)
            or not 0 <= percent <= 100 or percent % PERCENT_STEP):
        raise DomainError(_("The loss of working capacity is a percentage from 0 to 100 in "
                            "steps of 5."), code="working_capacity_step")
    return percent


def _review_checked(*, duration: str, next_review_on: dt.date | None, age_band: str,
                    on: dt.date) -> None:
    if duration == Duration.UNTIL_18 and age_band not in CHILD_AGE_BANDS:
        raise DomainError(_("“Until the age of 18” is only for a person under 18."),
                          code="until_18_adult")
    if duration in OPEN_ENDED_DURATIONS:
        if next_review_on is not None:
            raise DomainError(_("An indefinite finding, or one until the age of 18, has no "
                                "review date: leave it empty."), code="next_review_unexpected")
        return
    if next_review_on is None:
        raise DomainError(_("Give the date of the next review."), code="next_review_missing")
    if next_review_on <= on:
        raise DomainError(_("The next review must be after today."), code="next_review_past")


def _locked_proposal(assessment: Assessment) -> tuple[Referral, Assessment]:
    """The case and the assessment, locked in that order (as proposing locks the case)."""
    referral = Referral.objects.select_for_update().get(pk=assessment.referral_id)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != AssessmentState.PROPOSED:
        raise DomainError(_("This assessment has already been confirmed or withdrawn."),
                          code="not_proposed")
    return referral, assessment


def assessment_confirm(*, assessment: Assessment, expert: User,
                       on: dt.date | None = None) -> Assessment:
    """A second member of the commission confirms a proposed assessment, which decides the case.

    In the same transaction ``assessment_decide`` makes the decision final (finding,
    register, certificate, SMS, awards, decision log, case decided). Two confirmations at
    once confirm once: the second finds the assessment no longer proposed.
    """
    referral_commission = (Referral.objects.filter(pk=assessment.referral_id)
                           .values_list("commission_id", flat=True).first())
    if referral_commission is None:
        raise _no_such_case()
    _require_member(expert, referral_commission)
    if assessment.assessed_by_id == expert.pk:
        raise DomainError(_("A second expert must confirm an assessment: you cannot confirm "
                            "your own."), code="own_assessment")
    with transaction.atomic():
        _referral, assessment = _locked_proposal(assessment)
        assessment.state = AssessmentState.CONFIRMED
        assessment.confirmed_by = expert
        assessment.confirmed_at = timezone.now()
        assessment.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        assessment_decide(assessment=assessment, on=on)
    return assessment


def assessment_withdraw(*, assessment: Assessment, expert: User, reason: str) -> Assessment:
    """A member disagrees with a proposed assessment (or its author takes it back).

    The assessment is withdrawn with the reason added to its reasoning, and the case
    waits for a new assessment.
    """
    reason = reason.strip()
    referral_commission = (Referral.objects.filter(pk=assessment.referral_id)
                           .values_list("commission_id", flat=True).first())
    if referral_commission is None:
        raise _no_such_case()
    _require_member(expert, referral_commission)
    if not reason:
        raise DomainError(_("Say why the assessment should not stand."), code="reason_missing")
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("Keep the reason under %(count)s characters.")
                          % {"count": MAX_REASON_LENGTH}, code="reason_too_long")
    with transaction.atomic():
        referral, assessment = _locked_proposal(assessment)
        withdrawal = _("Withdrawn by %(expert)s: %(reason)s") % {
            "expert": expert.get_full_name() or expert.get_username(), "reason": reason}
        assessment.state = AssessmentState.WITHDRAWN
        assessment.notes = f"{assessment.notes}\n\n{withdrawal}".strip()
        assessment.save(update_fields=["state", "notes"])
        if referral.state == ReferralState.AWAITING_CONFIRMATION:
            referral.state = ReferralState.ASSIGNED
            referral.save(update_fields=["state"])
    return assessment


# --- supervision ------------------------------------------------------------------------------


def referral_reassign(*, referral: Referral, to_commission: Commission, supervisor: User,
                      reason: str) -> Reassignment:
    """Move an open case to another active commission, with the reason recorded.

    Moves the commissions' open-case counters, withdraws an assessment the first
    commission had proposed (the new commission assesses afresh), writes the
    reassignment and a decision-log entry naming the case, never the person.
    """
    if not (supervisor.is_superuser or supervisor.has_perm("disability.reassign_referral")):
        raise DomainError(_("You may not move cases between commissions."),
                          code="not_permitted")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the case moves to another commission."),
                          code="reason_missing")
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("Keep the reason under %(count)s characters.")
                          % {"count": MAX_REASON_LENGTH}, code="reason_too_long")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.state not in OPEN_STATES:
            raise DomainError(_("This case has been decided: it can no longer move."),
                              code="case_closed")
        to_commission = Commission.objects.select_for_update().get(pk=to_commission.pk)
        if to_commission.pk == referral.commission_id:
            raise DomainError(_("The case is already with this commission."),
                              code="same_commission")
        if not to_commission.active:
            raise DomainError(_("This commission is not taking cases."),
                              code="commission_inactive")
        from_commission = Commission.objects.get(pk=referral.commission_id)
        withdrawn = _("Withdrawn: the case moved to another commission.")
        for proposal in Assessment.objects.select_for_update().filter(
                referral=referral, state=AssessmentState.PROPOSED):
            proposal.state = AssessmentState.WITHDRAWN
            proposal.notes = f"{proposal.notes}\n\n{withdrawn}".strip()
            proposal.save(update_fields=["state", "notes"])
        # Counters drifted to 0 by hand must not stop a move (the column is unsigned).
        Commission.objects.filter(pk=from_commission.pk).update(
            open_cases=Greatest(F("open_cases") - 1, Value(0)))
        Commission.objects.filter(pk=to_commission.pk).update(open_cases=F("open_cases") + 1)
        referral.commission = to_commission
        fields = ["commission"]
        if referral.state == ReferralState.AWAITING_CONFIRMATION:
            referral.state = ReferralState.ASSIGNED
            fields.append("state")
        referral.save(update_fields=fields)
        reassignment = Reassignment.objects.create(
            referral=referral, from_commission=from_commission, to_commission=to_commission,
            reason=reason, by=supervisor)
        decision_record(
            kind=DecisionKind.ASSIGNMENT, subject=referral.case_number,
            decided_by=f"user:{supervisor.pk}",
            details={"from": from_commission.code, "to": to_commission.code, "reason": reason},
        )
    return reassignment


# --- the access log ---------------------------------------------------------------------------


def cases_seen_record(*, referral_ids: Iterable[int], expert: User,
                      ip_address: str | None = None, listed: bool = False) -> int:
    """Log an expert's look at cases in the access log of the people they concern.

    The expert never learns who: the people are found here from the encrypted FIN,
    and the reason names no case number (nothing in plain text links a case to a
    person). Returns how many records were written.
    """
    ids = list(referral_ids)
    if not ids:
        return 0
    fins = set(Referral.objects.filter(pk__in=ids).values_list("person_fin", flat=True))
    people = Person.objects.filter(fin__in=fins).values_list("pk", flat=True)
    return access_records_for_list(
        person_ids=list(people), what=Subject.DISABILITY_CASE,
        reason=CASES_LISTED_REASON if listed else CASE_SEEN_REASON,
        channel=Channel.MSEC, actor_id=expert.pk, ip_address=ip_address,
    )
