"""A commission's confirmed assessment becomes the state's decision.

In the confirming transaction, so that all of it happens or none: the finding in
the registry (source: the expert commission), the register entry, the e-certificate,
the SMS in the person's language, the decision-log entry, and the proactive
engine's awards for the person and their family, made the same day. Only here is
the case's identity decrypted, to find the person the decision is about.

The decision-log entry names the register entry and the commission, never the case
number or the experts: nothing in plain text links a case to a person, and the
person never learns which experts assessed them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from disability.models import (
    Assessment,
    Commission,
    Duration,
    HealthFacility,
    ReferralState,
    RegisterEntry,
)
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind
from dost.certificates.services import certificate_issue
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.stops import stop_on_fact_ended
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.registry.models import DisabilityStatus, EmploymentSpell, Person, Study
from dost.registry.selectors import relatives_of

EXPERT_COMMISSION_SOURCE = "msec"
NO_DISABILITY_UP_TO = 30
ADULT_AGE = 18
CERTIFICATE_KIND = "disability_finding"
DECISION_TEMPLATE = "disability_decision"
# The benefits the pension rules pay on a finding (their codes, which the rules own).
BENEFITS_OF_A_FINDING = ("disability_pension", "disability_benefit", "child_disability_benefit")


def assessment_decide(*, assessment: Assessment, on: dt.date | None = None) -> RegisterEntry:
    """Record the final decision of a confirmed ``assessment`` (the caller locked its referral)."""
    on = on or timezone.localdate()
    referral = assessment.referral
    person = Person.objects.get(fin=referral.person_fin)
    facility = HealthFacility.objects.filter(code=referral.facility_code).first()
    valid_until = _valid_until(assessment, person)
    status = None
    if assessment.overall_percent <= NO_DISABILITY_UP_TO:
        _end_findings_in_force(person, on)
    else:
        status = DisabilityStatus.objects.create(
            person=person, percent=assessment.overall_percent, determined_on=on,
            valid_until=valid_until, cause=assessment.cause, source_id=EXPERT_COMMISSION_SOURCE)
    entry = RegisterEntry.objects.create(
        person=person, status=status, facility=facility, determined_on=on, kind=referral.kind,
        percent=assessment.overall_percent, degree=assessment.degree,
        under_18=assessment.under_18, cause=assessment.cause, duration=assessment.duration,
        next_assessment_on=valid_until, lost_working_capacity=assessment.lost_working_capacity,
        in_education=_in_education(person, on), employed=_employed(person, on),
        region_id=person.region_id,
    )
    referral.state = ReferralState.DECIDED
    referral.decided_at = timezone.now()
    referral.save(update_fields=["state", "decided_at"])
    Commission.objects.filter(pk=referral.commission_id, open_cases__gt=0).update(
        open_cases=F("open_cases") - 1)
    decision_record(
        kind=DecisionKind.ASSESSMENT, subject=f"disability-register:{entry.pk}",
        decided_by=f"commission:{referral.commission.code}", person_id=person.pk,
        details={
            "percent": entry.percent, "degree": entry.degree, "under_18": entry.under_18,
            "cause": entry.cause, "duration": entry.duration, "determined_on": on,
            "valid_until": valid_until, "kind": entry.kind,
            "lost_working_capacity": entry.lost_working_capacity,
            "finding": status.pk if status else None,
        },
    )
    if status is not None:
        entry.certificate = certificate_issue(person=person, kind=CERTIFICATE_KIND,
                                              options={"entry": entry.pk})
        entry.save(update_fields=["certificate"])
    if person.death_date is None:
        sms_enqueue(person=person, template=DECISION_TEMPLATE,
                    context={"percent": entry.percent, "degree": entry.degree,
                             "under_18": entry.under_18,
                             "valid_until": valid_until.isoformat() if valid_until else None},
                    dedupe_key=f"disability-decision-{entry.pk}")
        schedule_delivery()
    entitlements_for_people(people=[person.pk, *relatives_of(person.pk)], on=on)
    return entry


def _end_findings_in_force(person: Person, on: dt.date) -> None:
    """A repeat assessment that finds no disability ends the findings still in force, and
    the awards resting on them, from its day; the rules act on findings, and there is no
    new one here for them to act on."""
    ended = DisabilityStatus.objects.filter(person=person, determined_on__lt=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)).update(valid_until=on)
    if ended:
        stop_on_fact_ended(person_id=person.pk, benefits=list(BENEFITS_OF_A_FINDING),
                           last_day=on - dt.timedelta(days=1), decided_by="rule:disability-review",
                           details={"reason": "no disability on repeat assessment",
                                    "determined_on": on.isoformat()})


def _valid_until(assessment: Assessment, person: Person) -> dt.date | None:
    """The first day the finding no longer holds: the review date, or the 18th birthday."""
    if assessment.duration == Duration.INDEFINITE:
        return None
    if assessment.duration == Duration.UNTIL_18:
        birth = person.birth_date
        try:
            return birth.replace(year=birth.year + ADULT_AGE)
        except ValueError:  # born on 29 February
            return dt.date(birth.year + ADULT_AGE, 3, 1)
    return assessment.next_review_on


def _in_education(person: Person, on: dt.date) -> bool:
    return Study.objects.filter(person=person, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)).exists()


def _employed(person: Person, on: dt.date) -> bool:
    return EmploymentSpell.objects.filter(person=person, started_on__lte=on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)).exists()
