"""Reads of the data-access log."""

from __future__ import annotations

from django.db.models import QuerySet

from dost.audit.models import AccessRecord


def accesses_to_person(person_id: int) -> QuerySet[AccessRecord]:
    """Every recorded look at a person's data, newest first."""
    return (
        AccessRecord.objects.filter(person_id=person_id)
        .select_related("actor", "institution")
        .order_by("-at", "-id")
    )
