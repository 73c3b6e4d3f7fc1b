"""Applying the life events that institutions push through the Digital Bridge.

``event_receive`` checks the event against the registry
(``dost.bridge.plausibility``), stores it, changes the registry and runs the
proactive engine for the people the event touched, in one transaction: all of
it commits or none of it does. An impossible event is refused and nothing is
stored; an unusual one is stored as held and changes nothing else until staff
apply it (``event_review_apply``) or reject it (``event_review_reject``). The
institution's event id is unique per institution, so a resend returns the
stored outcome and changes nothing.

The event handlers expect ``data`` as ``dost.bridge.api.EventSerializer``
validates it (FINs normalised, dates as dates, the event's date not in the
future). Each runs its type's check first and refuses with ``DomainError``
what cannot be; what is only unusual is decided before a handler is called.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.accounts.models import Institution, User
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind, Subject, channel_for_role
from dost.audit.services import access_records_for_list
from dost.bridge.listeners import LifeEvent, life_event_notify
from dost.bridge.models import EventState, EventType, InboundEvent
from dost.bridge.plausibility import (
    Check,
    Concern,
    birth_check,
    death_annulled_check,
    death_check,
    disability_check,
    employment_end_check,
    employment_start_check,
    marriage_check,
    open_spell,
    person_of,
)
from dost.bridge.selectors import event_fins
from dost.entitlements.rules import all_rules
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.stops import death_annul_awards
from dost.errors import DomainError
from dost.registry.models import (
    DisabilityStatus,
    EmploymentSpell,
    FamilyRelation,
    Person,
    RelationKind,
    Sex,
)
from dost.registry.selectors import relatives_of
from dost.registry.services import person_register

# The code of the refusal of a reused event id; the API answers it with 409.
EVENT_ID_REUSED = "event_id_reused"
# The code of a review of an event that is no longer held (reviewed by someone else).
EVENT_NOT_HELD = "event_not_held"

# Which registry source each kind of event is recorded under.
CIVIL_REGISTRY = "justice"
EXPERT_COMMISSION = "msec"
LABOUR_CONTRACTS = "labour"

EventData = Mapping[str, Any]
Handler = Callable[[dt.date, EventData], list[int]]


class EventKind(NamedTuple):
    """How one type of event is handled: its check (reads, refuses, finds concerns) and
    its change to the registry (writes, returns the people touched)."""

    check: Check
    change: Handler


def event_receive(
    *,
    institution: Institution,
    event_id: str,
    type: str,
    occurred_on: dt.date,
    data: EventData,
) -> tuple[InboundEvent, bool]:
    """Apply a life event once, or hold it; returns the stored event and whether it is new.

    The event's check runs in the transaction that stores the event: an event
    that cannot have happened is refused (``DomainError``), the transaction
    rolls back and nothing stays. An unusual one is stored with ``state`` held
    and its ``hold_reasons``, and nothing else changes. Otherwise, in the
    same transaction: the registry change
    for the event's type, then the awards the proactive engine makes for the
    people touched (with their SMS and bank requests, which are sent after the
    commit). A resend of the same ``event_id`` with the same content returns
    the stored event (held, applied or rejected) and changes nothing; with
    other content it is refused with the code ``event_id_reused``.
    """
    kind = _KINDS.get(type)
    if kind is None:
        raise DomainError(_("Unknown event type: %(type)s.") % {"type": type},
                          code="unknown_event_type")
    payload = _as_json(data)
    stored = _stored_event(institution, event_id)
    if stored is not None:
        return _resent(stored, type=type, occurred_on=occurred_on, payload=payload), False
    with transaction.atomic():
        try:
            # The row goes in first: a concurrent twin of this request waits on
            # the unique key until this transaction ends, then fails here and is
            # answered as a resend instead of applying the event a second time.
            with transaction.atomic():
                event = InboundEvent.objects.create(
                    institution=institution, event_id=event_id, type=type,
                    occurred_on=occurred_on, payload=payload,
                )
        except IntegrityError:
            stored = _stored_event(institution, event_id)
            if stored is None:
                raise
            return _resent(stored, type=type, occurred_on=occurred_on, payload=payload), False
        concerns = kind.check(occurred_on, data)
        if concerns:
            _hold(event, concerns)
        else:
            _apply(event, kind, data)
            event.save(update_fields=["people", "awards_made"])
    return event, True


def _hold(event: InboundEvent, concerns: list[Concern]) -> None:
    event.state = EventState.HELD
    event.hold_reasons = [concern.as_json() for concern in concerns]
    event.save(update_fields=["state", "hold_reasons"])


def _apply(event: InboundEvent, kind: EventKind, data: EventData) -> None:
    """The registry change and the engine's awards (the caller saves the event)."""
    event.people = kind.change(event.occurred_on, data)
    event.awards_made = entitlements_for_people(people=event.people, on=timezone.localdate())
    life_event_notify(LifeEvent(type=event.type, occurred_on=event.occurred_on,
                                people=tuple(event.people)))


def _stored_event(institution: Institution, event_id: str) -> InboundEvent | None:
    return InboundEvent.objects.filter(institution=institution, event_id=event_id).first()


def _resent(stored: InboundEvent, *, type: str, occurred_on: dt.date,
            payload: dict[str, Any]) -> InboundEvent:
    if (stored.type, stored.occurred_on, stored.payload) != (type, occurred_on, payload):
        raise DomainError(
            _("Event id %(event_id)s was already used for a different event.")
            % {"event_id": stored.event_id},
            code=EVENT_ID_REUSED,
        )
    return stored


def _as_json(data: EventData) -> dict[str, Any]:
    """The data as it reads back from the JSON column, so a resend compares equal."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# --- staff review of held events ------------------------------------------------------------


def event_review_apply(*, event: InboundEvent, actor: User, note: str = "") -> InboundEvent:
    """Apply a held event because a member of staff decided it is right; returns it applied.

    Side effects, in one transaction: the registry change and the awards the
    event gives rise to, as if it had been applied when received; the event
    marked applied with who, when and the note; the decision appended to the
    decision log. The event's check runs again, as the registry may have changed
    since (a marriage registered meanwhile): what cannot be is still refused
    (``DomainError``, the event stays held); its concerns are waived. Refused
    with ``event_not_held`` when someone already reviewed it: the row is locked,
    so two officers (or a reload) cannot apply it twice.
    """
    with transaction.atomic():
        locked = _held_for_review(event)
        kind = _KINDS[locked.type]
        data = _event_data(locked)
        kind.check(locked.occurred_on, data)
        _apply(locked, kind, data)
        _reviewed(locked, state=EventState.APPLIED, actor=actor, note=note.strip())
        locked.save(update_fields=["people", "awards_made", "state", "reviewed_by",
                                   "reviewed_at", "review_note"])
        _review_decision_record(locked)
    return locked


def event_review_reject(*, event: InboundEvent, actor: User, reason: str) -> InboundEvent:
    """Reject a held event: it is never applied; returns it rejected.

    The reason is required: the institution reads it (``GET`` of the event).
    Side effects, in one transaction: the event marked rejected with who, when
    and why, and the decision appended to the decision log. Refused with
    ``event_not_held`` when someone already reviewed it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the event is rejected: the institution that sent it "
                            "reads the reason."), code="reason_required")
    with transaction.atomic():
        locked = _held_for_review(event)
        _reviewed(locked, state=EventState.REJECTED, actor=actor, note=reason)
        locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        _review_decision_record(locked)
    return locked


def held_events_seen(*, people: Iterable[Person], actor: User,
                     ip_address: str | None) -> None:
    """Log that staff saw the registry data of the people held events name.

    The review pages show those people's names, dates of birth and the facts
    reported about them: each citizen sees the look in their access log, in
    their own language (one record each, one statement).
    """
    access_records_for_list(
        person_ids=(person.pk for person in people), actor_id=actor.pk,
        channel=channel_for_role(actor.role), what=Subject.REGISTRY_RECORD,
        reason=gettext_lazy("Review of a reported life event held for checking"),
        ip_address=ip_address)


def _held_for_review(event: InboundEvent) -> InboundEvent:
    locked = InboundEvent.objects.select_for_update().select_related("institution").get(
        pk=event.pk)
    if locked.state != EventState.HELD:
        raise DomainError(_("This event has already been reviewed (%(state)s).")
                          % {"state": locked.get_state_display()}, code=EVENT_NOT_HELD)
    return locked


def _reviewed(event: InboundEvent, *, state: str, actor: User, note: str) -> None:
    event.state = state
    event.reviewed_by = actor
    event.reviewed_at = timezone.now()
    event.review_note = note


def _review_decision_record(event: InboundEvent) -> None:
    # Logged like staff's settlement of a reported wrong fact: the institution
    # reported a fact that looked wrong, and staff confirmed it or not. The
    # reported data is only hashed: the permanent log keeps no names or FINs.
    subject = (event.people[0] if event.people
               else Person.objects.filter(fin__in=event_fins(event)).order_by("pk")
               .values_list("pk", flat=True).first())
    decision_record(
        kind=DecisionKind.EVENT_REVIEW, subject=f"event:{event.type}",
        decided_by=f"official:{event.reviewed_by_id}", person_id=subject,
        details={"event": event.pk, "institution": event.institution.code,
                 "event_id": event.event_id, "status": event.state,
                 "held_for": [reason.get("code") for reason in event.hold_reasons],
                 "reason": event.review_note, "awards": event.awards_made},
        facts={"type": event.type, "occurred_on": event.occurred_on.isoformat(),
               "data": event.payload},
    )


def _event_data(event: InboundEvent) -> dict[str, Any]:
    """The stored payload as the handlers take it: its dates and amounts typed again.

    The payload keeps the validated data as JSON (``_as_json``); only these
    fields are not strings in the validated data.
    """
    data = json.loads(json.dumps(event.payload))
    if event.type == EventType.BIRTH:
        data["child"]["birth_date"] = dt.date.fromisoformat(data["child"]["birth_date"])
    elif event.type == EventType.DISABILITY and data.get("valid_until"):
        data["valid_until"] = dt.date.fromisoformat(data["valid_until"])
    elif event.type == EventType.EMPLOYMENT_START:
        data["monthly_wage"] = Decimal(data["monthly_wage"])
    return data


# --- one handler per type of event: its check, then its change to the registry ---------------
#
# ``<type>_apply`` is what a caller outside the bridge uses (and tests): the check
# refuses what cannot be, its concerns are not looked at (the caller decided), then
# ``_<type>_change`` writes and returns the people touched. ``event_receive`` and
# the review call the two halves itself, to hold on the concerns in between.


def birth_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Register the child, with the mother (and father) as parents.

    The child lives where the mother lives (region, household); the patronymic
    is the father's first name with oğlu (son) or qızı (daughter).
    """
    birth_check(occurred_on, data)
    return _birth_change(occurred_on, data)


def _birth_change(occurred_on: dt.date, data: EventData) -> list[int]:
    child = data["child"]
    birth_date: dt.date = child["birth_date"]
    mother = person_of(data["mother_fin"])
    father = person_of(data["father_fin"]) if data.get("father_fin") else None
    parents = [mother] if father is None else [mother, father]
    patronymic = ""
    if father is not None:
        patronymic = f"{father.first_name} {'oğlu' if child['sex'] == Sex.MALE else 'qızı'}"
    baby = person_register(
        fin=child["fin"],
        first_name=child["first_name"],
        last_name=child["last_name"],
        sex=child["sex"],
        birth_date=birth_date,
        patronymic=patronymic,
        source=CIVIL_REGISTRY,
        region=mother.region_id,
        household_id=mother.household_id,
    )
    FamilyRelation.objects.bulk_create(
        FamilyRelation(person=baby, relative=parent, kind=RelationKind.PARENT, since=birth_date,
                       source_id=CIVIL_REGISTRY)
        for parent in parents
    )
    return _distinct([mother.pk, father.pk if father else None, baby.pk])


def death_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Record the date of death; touches the deceased and all their relatives.

    A death already recorded on the same date changes nothing (another
    institution may report it too); on another date it is refused.
    """
    death_check(occurred_on, data)
    return _death_change(occurred_on, data)


def _death_change(occurred_on: dt.date, data: EventData) -> list[int]:
    person = person_of(data["fin"], for_update=True)
    if person.death_date is None:
        person.death_date = occurred_on
        person.save(update_fields=["death_date", "updated_at"])
    return _distinct([person.pk, *relatives_of(person.pk)])


def death_annulled_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Annul a death recorded by mistake; touches the person and all their relatives.

    The date of death is cleared, the person's awards stopped by the death run
    again with the months missed owed at once, and what the death gave rise to
    (survivor's shares, funeral grants) is annulled (see
    ``dost.entitlements.stops.death_annul_awards``). Refused for a person not
    recorded as dead.
    """
    death_annulled_check(occurred_on, data)
    return _death_annulled_change(occurred_on, data)


def _death_annulled_change(occurred_on: dt.date, data: EventData) -> list[int]:
    person = person_of(data["fin"], for_update=True)
    person.death_date = None
    person.save(update_fields=["death_date", "updated_at"])
    death_annul_awards(person_id=person.pk, on=timezone.localdate(),
                       death_rules=[rule.code for rule in all_rules() if rule.arises_from_death],
                       decided_by=f"bridge:{EventType.DEATH_ANNULLED}")
    return _distinct([person.pk, *relatives_of(person.pk)])


def marriage_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Record the two people as spouses of each other from the date of the marriage."""
    marriage_check(occurred_on, data)
    return _marriage_change(occurred_on, data)


def _marriage_change(occurred_on: dt.date, data: EventData) -> list[int]:
    first, second = (person_of(fin) for fin in data["spouse_fins"])
    FamilyRelation.objects.bulk_create([
        FamilyRelation(person=first, relative=second, kind=RelationKind.SPOUSE,
                       since=occurred_on, source_id=CIVIL_REGISTRY),
        FamilyRelation(person=second, relative=first, kind=RelationKind.SPOUSE,
                       since=occurred_on, source_id=CIVIL_REGISTRY),
    ])
    return [first.pk, second.pk]


def disability_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Record the expert commission's finding; touches the person and their relatives."""
    disability_check(occurred_on, data)
    return _disability_change(occurred_on, data)


def _disability_change(occurred_on: dt.date, data: EventData) -> list[int]:
    person = person_of(data["fin"])
    DisabilityStatus.objects.create(
        person=person,
        percent=data["percent"],
        determined_on=occurred_on,
        valid_until=data.get("valid_until"),
        cause=data.get("cause") or "",
        source_id=EXPERT_COMMISSION,
    )
    return _distinct([person.pk, *relatives_of(person.pk)])


def employment_start_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Open an employment spell with the employer from the date of the event."""
    employment_start_check(occurred_on, data)
    return _employment_start_change(occurred_on, data)


def _employment_start_change(occurred_on: dt.date, data: EventData) -> list[int]:
    person = person_of(data["fin"])
    EmploymentSpell.objects.create(
        person=person,
        employer_name=data["employer_name"],
        employer_tin=data["employer_tin"],
        occupation_code=data["occupation_code"],
        started_on=occurred_on,
        monthly_wage=data["monthly_wage"],
        source_id=LABOUR_CONTRACTS,
    )
    return [person.pk]


def employment_end_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """End the person's open employment spell with the employer on the date of the event."""
    employment_end_check(occurred_on, data)
    return _employment_end_change(occurred_on, data)


def _employment_end_change(occurred_on: dt.date, data: EventData) -> list[int]:
    person = person_of(data["fin"])
    spell = open_spell(person, data["employer_tin"])
    if spell is None:  # The check found it, in this transaction, and locked it.
        raise RuntimeError("The open employment the check found is gone.")
    spell.ended_on = occurred_on
    spell.end_reason = data["reason"]
    spell.save(update_fields=["ended_on", "end_reason"])
    return [person.pk]


_KINDS: dict[str, EventKind] = {
    EventType.BIRTH: EventKind(birth_check, _birth_change),
    EventType.DEATH: EventKind(death_check, _death_change),
    EventType.DEATH_ANNULLED: EventKind(death_annulled_check, _death_annulled_change),
    EventType.MARRIAGE: EventKind(marriage_check, _marriage_change),
    EventType.DISABILITY: EventKind(disability_check, _disability_change),
    EventType.EMPLOYMENT_START: EventKind(employment_start_check, _employment_start_change),
    EventType.EMPLOYMENT_END: EventKind(employment_end_check, _employment_end_change),
}


def _distinct(people: Iterable[int | None]) -> list[int]:
    return list(dict.fromkeys(person for person in people if person is not None))
