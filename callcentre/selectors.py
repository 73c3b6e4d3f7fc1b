"""Reads of the call centre's own records."""

from __future__ import annotations

from django.db.models import QuerySet

from callcentre.models import CallNote

RECENT_NOTES = 10


def call_notes_of_person(person_id: int) -> QuerySet[CallNote]:
    return (CallNote.objects.filter(person_id=person_id).select_related("agent")
            .order_by("-at", "-id")[:RECENT_NOTES])
