"""Register entries and findings as the decision of a commission leaves them, written directly."""

from __future__ import annotations

import datetime as dt

from disability.models import (
    AidItem,
    AidRequest,
    AidRequestState,
    AidRequestStep,
    Cause,
    Duration,
    HealthFacility,
    ReferralKind,
    RegisterEntry,
)
from dost.registry.models import DisabilityStatus, Person


def enter(person: Person, *, determined_on: dt.date, next_assessment_on: dt.date | None,
          percent: int = 70, facility: HealthFacility | None = None, under_18: bool = False,
          kind: str = ReferralKind.INITIAL) -> RegisterEntry:
    """A determination: the finding (for more than 30 %) and its register entry."""
    status = None
    if percent > 30:
        status = DisabilityStatus.objects.create(
            person=person, percent=percent, determined_on=determined_on,
            valid_until=next_assessment_on, cause="general_illness", source_id="msec")
    degree = None
    if status is not None and not under_18:
        degree = 1 if percent >= 81 else 2 if percent >= 61 else 3
    return RegisterEntry.objects.create(
        person=person, status=status, facility=facility, determined_on=determined_on,
        kind=kind, percent=percent, degree=degree, under_18=under_18,
        cause=Cause.GENERAL_ILLNESS,
        duration=Duration.TWO_YEARS if next_assessment_on else Duration.INDEFINITE,
        next_assessment_on=next_assessment_on, region_id=person.region_id)


def item(code: str) -> AidItem:
    """An item of the catalogue the migration loads."""
    return AidItem.objects.get(code=code)


def delivered(person: Person, aid: AidItem, *, at: dt.datetime) -> AidRequest:
    """A request delivered at ``at``, as staff would have recorded it then."""
    status = DisabilityStatus.objects.filter(person=person).order_by("-determined_on").first()
    request = AidRequest.objects.create(person=person, item=aid, status=status,
                                        state=AidRequestState.DELIVERED, requested_at=at)
    for state in (AidRequestState.REQUESTED, AidRequestState.APPROVED,
                  AidRequestState.DELIVERED):
        AidRequestStep.objects.create(request=request, state=state, at=at)
    return request
