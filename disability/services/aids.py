"""Requests for rehabilitation aids: the citizen's request and the steps staff take on it.

A request rests on a finding in force that reaches the item's minimum impairment.
One request an item may be under way at a time, and an item still in the person's
hands is replaced only once its service life is over. Staff move a request only
along the allowed steps (requested → approved or refused, approved → delivered,
delivered → returned for items that go back to the stock); each step is recorded
for the citizen to see and told to them by SMS, and approvals and refusals are
decisions in the decision log.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disability.models import (
    AID_OPEN_STATES,
    AidItem,
    AidRequest,
    AidRequestState,
    AidRequestStep,
)
from disability.register_sms import AID_STEP_TEMPLATE, names_in_every_language
from disability.selectors import register_finding_in_force
from dost.accounts.models import User
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind
from dost.errors import DomainError
from dost.formatting import format_date
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.registry.models import Person

MAX_NOTE_LENGTH = 1000

State = AidRequestState

# The step taken → the states a request may take it from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    State.APPROVED: (State.REQUESTED,),
    State.REFUSED: (State.REQUESTED,),
    State.DELIVERED: (State.APPROVED,),
    State.RETURNED: (State.DELIVERED,),
}


def aid_request_create(*, person: Person, item: AidItem, on: dt.date | None = None) -> AidRequest:
    """The person's request for ``item``, with its first step; refuses with DomainError
    (``not_offered``, ``no_finding``, ``below_minimum``, ``already_requested``,
    ``too_soon``), writing nothing."""
    on = on or timezone.localdate()
    if not item.active:
        raise DomainError(_("This aid is no longer offered."), code="not_offered")
    finding = register_finding_in_force(person.pk, on)
    if finding is None:
        raise DomainError(_("An aid can be requested only with a disability finding in force. "
                            "You have none today."), code="no_finding")
    if finding.percent < item.minimum_percent:
        raise DomainError(
            _("“%(item)s” is given from %(minimum)s%% functional impairment; your finding is "
              "%(percent)s%%.") % {"item": item.name, "minimum": item.minimum_percent,
                                  "percent": finding.percent},
            code="below_minimum")
    try:
        with transaction.atomic():
            # One request at a time per person: the checks below and the insert agree.
            Person.objects.select_for_update().filter(pk=person.pk).first()
            if AidRequest.objects.filter(person=person, item=item,
                                         state__in=AID_OPEN_STATES).exists():
                raise _already_requested(item)
            replaceable_on = _replaceable_on(person, item)
            if replaceable_on is not None and on < replaceable_on:
                raise DomainError(
                    _("You already have “%(item)s”. A replacement can be requested from "
                      "%(date)s, when its service life is over.")
                    % {"item": item.name, "date": format_date(replaceable_on)},
                    code="too_soon")
            request = AidRequest.objects.create(person=person, item=item, status=finding)
            AidRequestStep.objects.create(request=request, state=State.REQUESTED)
    except IntegrityError as error:
        # A twin request sent at the same moment took the item's one open request.
        if "aid_request_one_open_per_item" in str(error):
            raise _already_requested(item) from error
        raise
    return request


def _already_requested(item: AidItem) -> DomainError:
    return DomainError(_("You have already requested “%(item)s”; it is being processed.")
                       % {"item": item.name}, code="already_requested")


def _replaceable_on(person: Person, item: AidItem) -> dt.date | None:
    """When the item the person holds (delivered, not returned) may be replaced, if any.

    A returned item no longer serves the person: it does not count.
    """
    delivered = (AidRequestStep.objects
                 .filter(request__person=person, request__item=item,
                         request__state=State.DELIVERED, state=State.DELIVERED)
                 .order_by("-at").values_list("at", flat=True).first())
    if delivered is None:
        return None
    return _years_after(timezone.localdate(delivered), item.service_years)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def aid_request_approve(*, request: AidRequest, actor: User, note: str = "") -> AidRequest:
    return _step(request=request, to=State.APPROVED, actor=actor, note=note)


def aid_request_refuse(*, request: AidRequest, actor: User, reason: str) -> AidRequest:
    """Refuse with a reason, which the citizen reads on their page."""
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the refusal: the citizen will read it."),
                          code="reason_required")
    return _step(request=request, to=State.REFUSED, actor=actor, note=reason)


def aid_request_deliver(*, request: AidRequest, actor: User, note: str = "") -> AidRequest:
    return _step(request=request, to=State.DELIVERED, actor=actor, note=note)


def aid_request_return(*, request: AidRequest, actor: User, note: str = "") -> AidRequest:
    return _step(request=request, to=State.RETURNED, actor=actor, note=note)


def _step(*, request: AidRequest, to: str, actor: User, note: str) -> AidRequest:
    """Move the request to ``to`` if allowed from where it is now; writes the step, the
    SMS (sent after commit) and, for a decision, the decision-log entry."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise DomainError(_("Keep the note under %(count)s characters.")
                          % {"count": MAX_NOTE_LENGTH}, code="note_too_long")
    with transaction.atomic():
        locked = (AidRequest.objects.select_for_update(of=("self",))
                  .select_related("item", "person", "status").get(pk=request.pk))
        if locked.state not in ALLOWED_FROM[to]:
            raise DomainError(
                _("A request that is “%(state)s” cannot be made “%(to)s”.")
                % {"state": locked.get_state_display(), "to": State(to).label},
                code="step_not_allowed")
        if to == State.RETURNED and not locked.item.returnable:
            raise DomainError(_("“%(item)s” is not returned: it stays with the person.")
                              % {"item": locked.item.name}, code="not_returnable")
        locked.state = to
        locked.save(update_fields=["state"])
        AidRequestStep.objects.create(request=locked, state=to, note=note, by=actor)
        if locked.person.death_date is None:
            sms_enqueue(person=locked.person, template=AID_STEP_TEMPLATE,
                        context={"state": to, "request": locked.pk,
                                 "item": names_in_every_language(locked.item)},
                        dedupe_key=f"disability-aid-{locked.pk}-{to}")
            schedule_delivery()
        if to in (State.APPROVED, State.REFUSED):
            decision_record(
                kind=DecisionKind.AID, subject=f"aid-request:{locked.pk}",
                person_id=locked.person_id, decided_by=f"user:{actor.pk}",
                details={"item": locked.item.code, "decision": to, "note": note,
                         "finding": locked.status_id, "percent": locked.status.percent,
                         "minimum_percent": locked.item.minimum_percent},
            )
    return locked
