"""Reads for the Digital Bridge: what an event touched, and a citizen's awards."""

from __future__ import annotations

from django.db.models import QuerySet

from dost.bridge.models import InboundEvent
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
