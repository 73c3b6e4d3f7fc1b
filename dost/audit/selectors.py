"""Reads of the data-access log and of the decision log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from dost.audit.models import AccessRecord, DecisionEntry, DecisionKind


def accesses_to_person(person_id: int) -> QuerySet[AccessRecord]:
    """Every recorded look at a person's data, newest first."""
    return (
        AccessRecord.objects.filter(person_id=person_id)
        .select_related("actor", "institution")
        .order_by("-at", "-id")
    )


@dataclass(frozen=True)
class Receipt:
    """What a citizen or an auditor needs to find one decision in the log and check it."""

    entry_id: int
    award_id: int | None
    kind: str
    recorded_at: dt.datetime
    entry_hash: str
    # The batch's place in the chain: the entry is covered by that batch's hash.
    position: int

    @property
    def reference(self) -> str:
        return f"D-{self.entry_id}"

    def get_kind_display(self) -> str:
        if self.kind not in DecisionKind.values:
            return self.kind
        return str(DecisionKind(self.kind).label)


def decision_receipts(award_ids: Iterable[int]) -> dict[int, list[Receipt]]:
    """The log's receipts of each award's decisions (award, change, stop...), oldest first.

    One query, whatever the number of awards; an award without entries is absent.
    """
    ids = sorted(set(award_ids))
    receipts: dict[int, list[Receipt]] = {}
    if not ids:
        return receipts
    rows = (DecisionEntry.objects.filter(award_id__in=ids)
            .order_by("award_id", "recorded_at", "id")
            .values_list("id", "award_id", "kind", "recorded_at", "entry_hash",
                         "batch__position"))
    for entry_id, award_id, kind, recorded_at, entry_hash, position in rows:
        if award_id is None:  # excluded by the filter; said again for the type checker
            continue
        receipts.setdefault(award_id, []).append(
            Receipt(entry_id, award_id, kind, recorded_at, entry_hash, position))
    return receipts


def decisions_of_person(person_id: int) -> QuerySet[DecisionEntry]:
    """Every logged decision about a person, newest first, with its batch (for the position)."""
    return (DecisionEntry.objects.filter(person_id=person_id).select_related("batch")
            .order_by("-recorded_at", "-id"))
