"""Reads for the Digital Bridge: what an event touched, held events, and a citizen's awards."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from dost.bridge.models import EventState, EventType, InboundEvent
from dost.entitlements.models import Award
from dost.registry.models import Person
from dost.registry.validators import normalize_fin


def event_people_fins(event: InboundEvent) -> list[str]:
    """The FINs of the people the event touched, in the order the event touched them."""
    fins = dict(Person.objects.filter(pk__in=event.people).values_list("pk", "fin"))
    return [fins[person_id] for person_id in event.people if person_id in fins]


def citizen_by_fin(fin: str) -> Person | None:
    return Person.objects.only("pk", "fin").filter(fin=normalize_fin(fin)).first()


def awards_of_citizen(person_id: int) -> QuerySet[Award]:
    """The citizen's awards, newest decision first, in one query."""
    return (
        Award.objects.filter(person_id=person_id)
        .only("benefit", "amount", "period_start", "period_end", "status", "decided_at",
              "frequency")
        .order_by("-decided_at", "-id")
    )


def event_of_institution(*, institution_id: int, event_id: str) -> InboundEvent | None:
    """The institution's own event with that id; None for another institution's."""
    return (InboundEvent.objects.select_related("institution")
            .filter(institution_id=institution_id, event_id=event_id).first())


def held_events() -> QuerySet[InboundEvent]:
    """Events held for review, the oldest first (the partial index keeps this cheap)."""
    return (InboundEvent.objects.filter(state=EventState.HELD)
            .select_related("institution").order_by("received_at", "id"))


def event_for_review(pk: int) -> InboundEvent | None:
    return (InboundEvent.objects.select_related("institution", "reviewed_by")
            .filter(pk=pk).first())


def event_fins(event: InboundEvent) -> list[str]:
    """The FINs the event's data names of people it expects in the registry (not a newborn)."""
    payload = event.payload
    if event.type == EventType.BIRTH:
        return [fin for fin in (payload.get("mother_fin"), payload.get("father_fin")) if fin]
    if event.type == EventType.MARRIAGE:
        return list(payload.get("spouse_fins") or [])
    return [payload["fin"]] if payload.get("fin") else []


def people_named(events: Iterable[InboundEvent]) -> dict[str, Person]:
    """The registry's people the events name, by FIN, in one query."""
    fins = {fin for event in events for fin in event_fins(event)}
    return Person.objects.in_bulk(fins, field_name="fin") if fins else {}
