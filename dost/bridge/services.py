"""Applying the life events that institutions push through the Digital Bridge.

``event_receive`` stores the event, changes the registry and runs the
proactive engine for the people the event touched, in one transaction: all of
it commits or none of it does. The institution's event id is unique per
institution, so a resend returns the stored outcome and changes nothing.

The event handlers expect ``data`` as ``dost.bridge.api.EventSerializer``
validates it (FINs normalised, dates as dates, the event's date not in the
future); they check what needs the registry and refuse with ``DomainError``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.models import Institution
from dost.bridge.models import EventType, InboundEvent
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
from dost.registry.services import person_register

# The code of the refusal of a reused event id; the API answers it with 409.
EVENT_ID_REUSED = "event_id_reused"

# Which registry source each kind of event is recorded under.
CIVIL_REGISTRY = "justice"
EXPERT_COMMISSION = "msec"
LABOUR_CONTRACTS = "labour"

EventData = Mapping[str, Any]
Handler = Callable[[dt.date, EventData], list[int]]


def event_receive(
    *,
    institution: Institution,
    event_id: str,
    type: str,
    occurred_on: dt.date,
    data: EventData,
) -> tuple[InboundEvent, bool]:
    """Apply a life event once; returns the stored event and whether it was applied now.

    Side effects, in the transaction that stores the event: the registry
    change for the event's type, then the awards the proactive engine makes
    for the people touched (with their SMS and bank requests, which are sent
    after the commit). A resend of the same ``event_id`` with the same content
    returns the stored event and changes nothing; with other content it is
    refused with the code ``event_id_reused``.
    """
    handler = _HANDLERS.get(type)
    if handler is None:
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
        event.people = handler(occurred_on, data)
        event.awards_made = entitlements_for_people(people=event.people,
                                                    on=timezone.localdate())
        event.save(update_fields=["people", "awards_made"])
    return event, True


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


# --- one handler per type of event: each changes the registry, returns the people touched ----


def birth_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Register the child, with the mother (and father) as parents.

    The child lives where the mother lives (region, household); the patronymic
    is the father's first name with oğlu (son) or qızı (daughter).
    """
    child = data["child"]
    birth_date: dt.date = child["birth_date"]
    mother = _person(data["mother_fin"])
    father = _person(data["father_fin"]) if data.get("father_fin") else None
    if child["fin"] in {mother.fin, father.fin if father else None}:
        raise DomainError(_("The child's FIN %(fin)s is a parent's FIN.") % {"fin": child["fin"]},
                          code="child_is_parent")
    if birth_date > occurred_on:
        raise DomainError(_("The child's date of birth is after the date of the event."),
                          code="birth_after_event")
    if mother.sex != Sex.FEMALE:
        raise DomainError(_("%(fin)s is not recorded as a woman and cannot be the mother.")
                          % {"fin": mother.fin}, code="mother_not_female")
    if father is not None and father.sex != Sex.MALE:
        raise DomainError(_("%(fin)s is not recorded as a man and cannot be the father.")
                          % {"fin": father.fin}, code="father_not_male")
    parents = [mother] if father is None else [mother, father]
    for parent in parents:
        if parent.birth_date >= birth_date:
            raise DomainError(_("The parent %(fin)s was born after the child.")
                              % {"fin": parent.fin}, code="parent_younger")
    if mother.death_date is not None and mother.death_date < birth_date:
        raise DomainError(_("The mother %(fin)s died before the child's date of birth.")
                          % {"fin": mother.fin}, code="mother_dead")

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
    person = _person(data["fin"], for_update=True)
    if person.death_date is not None and person.death_date != occurred_on:
        raise DomainError(
            _("%(fin)s is already recorded as having died on %(date)s.")
            % {"fin": person.fin, "date": person.death_date.isoformat()},
            code="already_dead",
        )
    if occurred_on < person.birth_date:
        raise DomainError(
            _("%(fin)s cannot have died before their date of birth (%(date)s).")
            % {"fin": person.fin, "date": person.birth_date.isoformat()},
            code="death_before_birth",
        )
    if person.death_date is None:
        person.death_date = occurred_on
        person.save(update_fields=["death_date", "updated_at"])
    return _distinct([person.pk, *_relatives_of(person.pk)])


def death_annulled_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Annul a death recorded by mistake; touches the person and all their relatives.

    The date of death is cleared, the person's awards stopped by the death run
    again with the months missed owed at once, and what the death gave rise to
    (survivor's shares, funeral grants) is annulled (see
    ``dost.entitlements.stops.death_annul_awards``). Refused for a person not
    recorded as dead.
    """
    person = _person(data["fin"], for_update=True)
    if person.death_date is None:
        raise DomainError(
            _("%(fin)s is not recorded as dead: there is no death to annul.")
            % {"fin": person.fin},
            code="not_dead",
        )
    person.death_date = None
    person.save(update_fields=["death_date", "updated_at"])
    death_annul_awards(person_id=person.pk, on=timezone.localdate(),
                       death_rules=[rule.code for rule in all_rules() if rule.arises_from_death],
                       decided_by=f"bridge:{EventType.DEATH_ANNULLED}")
    return _distinct([person.pk, *_relatives_of(person.pk)])


def marriage_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Record the two people as spouses of each other from the date of the marriage."""
    first, second = (_person(fin) for fin in data["spouse_fins"])
    if first.pk == second.pk:
        raise DomainError(_("A marriage needs two different people."), code="same_spouse")
    for spouse in (first, second):
        _check_living_on(spouse, occurred_on)
    already = FamilyRelation.objects.filter(
        Q(person=first, relative=second) | Q(person=second, relative=first),
        kind=RelationKind.SPOUSE,
    )
    if already.exists():
        raise DomainError(
            _("%(first)s and %(second)s are already recorded as spouses.")
            % {"first": first.fin, "second": second.fin},
            code="already_spouses",
        )
    FamilyRelation.objects.bulk_create([
        FamilyRelation(person=first, relative=second, kind=RelationKind.SPOUSE,
                       since=occurred_on, source_id=CIVIL_REGISTRY),
        FamilyRelation(person=second, relative=first, kind=RelationKind.SPOUSE,
                       since=occurred_on, source_id=CIVIL_REGISTRY),
    ])
    return [first.pk, second.pk]


def disability_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Record the expert commission's finding; touches the person and their relatives."""
    person = _person(data["fin"])
    _check_living_on(person, occurred_on)
    valid_until: dt.date | None = data.get("valid_until")
    if valid_until is not None and valid_until <= occurred_on:
        raise DomainError(_("A finding must be valid until a date after it was made."),
                          code="valid_until_before_finding")
    DisabilityStatus.objects.create(
        person=person,
        percent=data["percent"],
        determined_on=occurred_on,
        valid_until=valid_until,
        cause=data.get("cause") or "",
        source_id=EXPERT_COMMISSION,
    )
    return _distinct([person.pk, *_relatives_of(person.pk)])


def employment_start_apply(occurred_on: dt.date, data: EventData) -> list[int]:
    """Open an employment spell with the employer from the date of the event."""
    person = _person(data["fin"])
    _check_living_on(person, occurred_on)
    open_spells = EmploymentSpell.objects.filter(person=person, employer_tin=data["employer_tin"],
                                                 ended_on__isnull=True)
    if open_spells.exists():
        raise DomainError(
            _("%(fin)s is already employed by the employer with TIN %(tin)s.")
            % {"fin": person.fin, "tin": data["employer_tin"]},
            code="already_employed",
        )
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
    person = _person(data["fin"])
    spell = (
        EmploymentSpell.objects.select_for_update()
        .filter(person=person, employer_tin=data["employer_tin"], ended_on__isnull=True)
        .order_by("-started_on")
        .first()
    )
    if spell is None:
        raise DomainError(
            _("%(fin)s has no open employment with the employer with TIN %(tin)s.")
            % {"fin": person.fin, "tin": data["employer_tin"]},
            code="no_open_employment",
        )
    if occurred_on < spell.started_on:
        raise DomainError(
            _("The employment cannot end before it started (%(date)s).")
            % {"date": spell.started_on.isoformat()},
            code="end_before_start",
        )
    spell.ended_on = occurred_on
    spell.end_reason = data["reason"]
    spell.save(update_fields=["ended_on", "end_reason"])
    return [person.pk]


_HANDLERS: dict[str, Handler] = {
    EventType.BIRTH: birth_apply,
    EventType.DEATH: death_apply,
    EventType.DEATH_ANNULLED: death_annulled_apply,
    EventType.MARRIAGE: marriage_apply,
    EventType.DISABILITY: disability_apply,
    EventType.EMPLOYMENT_START: employment_start_apply,
    EventType.EMPLOYMENT_END: employment_end_apply,
}


def _person(fin: str, *, for_update: bool = False) -> Person:
    people = Person.objects.select_for_update() if for_update else Person.objects.all()
    person = people.filter(fin=fin).first()
    if person is None:
        raise DomainError(_("No person with FIN %(fin)s is in the registry.") % {"fin": fin},
                          code="unknown_fin")
    return person


def _check_living_on(person: Person, day: dt.date) -> None:
    if person.birth_date > day:
        raise DomainError(_("%(fin)s was not yet born on %(date)s.")
                          % {"fin": person.fin, "date": day.isoformat()}, code="not_yet_born")
    if person.death_date is not None and person.death_date < day:
        raise DomainError(_("%(fin)s had died before %(date)s.")
                          % {"fin": person.fin, "date": day.isoformat()}, code="dead")


def _relatives_of(person_id: int) -> list[int]:
    """Everyone related to the person, in either direction of a family relation."""
    pairs = FamilyRelation.objects.filter(
        Q(person_id=person_id) | Q(relative_id=person_id)
    ).values_list("person_id", "relative_id")
    return sorted({other for pair in pairs for other in pair if other != person_id})


def _distinct(people: Iterable[int | None]) -> list[int]:
    return list(dict.fromkeys(person for person in people if person is not None))
