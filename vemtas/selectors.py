"""Reads of targeted social assistance that views, other apps and the front ends use."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dost.registry.models import FamilyRelation, Person, RelationKind
from vemtas.models import Case, CaseMember, CaseState, Discrepancy


def household_members(person: Person) -> list[Person]:
    """The living members of ``person``'s household in the registry (the person alone when
    they live alone), the oldest first."""
    if person.household_id is None:
        return [person]
    return list(Person.objects.filter(household_id=person.household_id, death_date__isnull=True)
                .select_related("region").order_by("birth_date", "id"))


def _active(on: dt.date) -> Q:
    return (Q(since__isnull=True) | Q(since__lte=on)) & (Q(until__isnull=True) | Q(until__gt=on))


def represented_people(person: Person, *, on: dt.date | None = None) -> list[Person]:
    """The living people whose registered legal representative (guardian) ``person`` is."""
    on = on or timezone.localdate()
    ward_ids = FamilyRelation.objects.filter(_active(on), relative=person,
                                             kind=RelationKind.GUARDIAN).values("person_id")
    return list(Person.objects.filter(pk__in=ward_ids, death_date__isnull=True)
                .order_by("last_name", "first_name"))


def represents(*, representative: Person, person: Person, on: dt.date) -> bool:
    return FamilyRelation.objects.filter(_active(on), person=person, relative=representative,
                                         kind=RelationKind.GUARDIAN).exists()


def cases_of_person(person_id: int) -> QuerySet[Case]:
    """The cases ``person`` applied in, or submitted for someone they represent."""
    return (Case.objects.filter(Q(applicant_id=person_id) | Q(submitted_by_id=person_id))
            .select_related("application", "applicant").order_by("-created_at", "-id"))


def case_members(case: Case) -> QuerySet[CaseMember]:
    return case.members.select_related("person").order_by("person__birth_date", "person_id")


def case_discrepancies(case: Case) -> QuerySet[Discrepancy]:
    return case.discrepancies.select_related("person").order_by("ground", "id")


def state_counts() -> dict[str, int]:
    counts = dict.fromkeys(CaseState.values, 0)
    for row in Case.objects.values("state").order_by().annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts


def last_declaration(person: Person) -> Case | None:
    """The person's last decided case, whose declaration a renewal starts from."""
    return (Case.objects.filter(applicant=person, decided_at__isnull=False)
            .order_by("-decided_at").first())
