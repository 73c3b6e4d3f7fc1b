"""Reads of complaints, for the portal, the back-office and the call centre."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from dost.accounts.models import Role
from dost.audit.models import DecisionEntry
from dost.audit.selectors import decisions_of_person
from dost.complaints.models import OPEN_STATUSES, Category, Complaint, Level, Unit

if TYPE_CHECKING:
    from dost.accounts.models import User

# How many of a citizen's latest decisions the appeal form offers to choose from.
CONTESTABLE_DECISIONS = 50


def complaint_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).select_related("unit").order_by("code")


def complaints_of_person(person_id: int) -> QuerySet[Complaint]:
    """A citizen's complaints, newest first, with their timelines."""
    return (Complaint.objects.filter(person_id=person_id)
            .select_related("category", "decision_entry")
            .prefetch_related("steps")
            .order_by("-received_at", "-id"))


def complaint_of_person(*, person_id: int, pk: int) -> Complaint | None:
    return complaints_of_person(person_id).filter(pk=pk).first()


def complaint_decisions_to_contest(person_id: int) -> QuerySet[DecisionEntry]:
    """The decisions about a person an appeal may name: their own, newest first."""
    latest = decisions_of_person(person_id).values("pk")[:CONTESTABLE_DECISIONS]
    return decisions_of_person(person_id).filter(pk__in=latest)


def _is_administrator(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def complaint_units_of(user: User) -> QuerySet[Unit]:
    """The units whose complaints ``user`` handles: as officer, head or centre manager."""
    units = Unit.objects.order_by("code")
    if _is_administrator(user):
        return units
    return units.filter(Q(members__user=user) | Q(head=user) | Q(manager=user)).distinct()


def complaint_may_handle(user: User, unit_id: str) -> bool:
    return complaint_units_of(user).filter(pk=unit_id).exists()


def complaint_for_staff(*, pk: int, user: User) -> Complaint | None:
    """The complaint, if it belongs to a unit ``user`` handles (else None: a 404)."""
    return (Complaint.objects.filter(pk=pk, unit__in=complaint_units_of(user))
            .select_related("person", "category", "unit", "decision_entry", "opened_by",
                            "taken_by")
            .prefetch_related("steps__actor")
            .first())


@dataclass(frozen=True)
class UnitCounts:
    unit: Unit
    open: int
    overdue: int
    with_head: int
    with_manager: int


def complaint_dashboard(*, on: dt.date) -> list[UnitCounts]:
    """Open and overdue complaints of every unit on ``on``: one grouped query."""
    counts: dict[str, dict[str, Any]] = {
        row["unit_id"]: dict(row)
        for row in (Complaint.objects.filter(status__in=OPEN_STATUSES)
                    .values("unit_id")
                    .annotate(open=Count("id"),
                              overdue=Count("id", filter=Q(due_on__lt=on)),
                              with_head=Count("id", filter=Q(escalation_level=Level.HEAD)),
                              with_manager=Count("id", filter=Q(escalation_level=Level.MANAGER)))
                    .order_by())
    }
    rows = []
    for unit in Unit.objects.order_by("code"):
        row: dict[str, Any] = counts.get(unit.pk, {})
        rows.append(UnitCounts(unit=unit, open=row.get("open", 0),
                               overdue=row.get("overdue", 0),
                               with_head=row.get("with_head", 0),
                               with_manager=row.get("with_manager", 0)))
    return rows


def complaints_of_unit(*, unit_id: str, on: dt.date, state: str = "open",
                       level: int | None = None) -> QuerySet[Complaint]:
    """A unit's complaints, the longest overdue first; ``state`` is open, overdue or closed."""
    complaints = (Complaint.objects.filter(unit_id=unit_id)
                  .select_related("person", "category"))
    if state == "closed":
        complaints = complaints.exclude(status__in=OPEN_STATUSES).order_by("-answered_at", "-id")
    else:
        complaints = complaints.filter(status__in=OPEN_STATUSES).order_by("due_on", "id")
        if state == "overdue":
            complaints = complaints.filter(due_on__lt=on)
    if level is not None:
        complaints = complaints.filter(escalation_level=level)
    return complaints
