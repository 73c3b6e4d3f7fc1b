"""Reads of awards and scans, with the explanation of each decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from dost.entitlements.models import Award, ScanRun
from dost.entitlements.rules import rule_for_code


@dataclass(frozen=True)
class ParameterUsed:
    name: str
    value: str
    starts_on: str
    source: str
    estimate: bool


@dataclass(frozen=True)
class Explanation:
    title: str
    reasons: list[str]
    legal_source: str
    parameters: list[ParameterUsed]


def awards_of_person(person_id: int) -> QuerySet[Award]:
    return Award.objects.filter(person_id=person_id).order_by("-decided_at", "-id")


def award_explanation(award: Award) -> Explanation:
    """Why the award was made, in the active language, from what was stored with it."""
    try:
        rule = rule_for_code(award.rule)
    except LookupError:
        return Explanation(award.benefit, [], "", [])
    reasons = [str(line) for line in rule.explain(award.facts)] if rule.explain else []
    parameters = []
    for name, used in sorted(award.parameters.items()):
        # A dated parameter is stored with its history, since the amount depends
        # on the date of the event (the birth), not on the day of the decision.
        for entry in used if isinstance(used, list) else [used]:
            parameters.append(ParameterUsed(name, str(entry["value"]), entry["from"],
                                            entry["source"], bool(entry.get("estimate"))))
    return Explanation(str(rule.title), reasons, rule.legal_source, parameters)


def recent_scans(limit: int = 20) -> QuerySet[ScanRun]:
    return ScanRun.objects.order_by("-id")[:limit]


def explained_awards(person_id: int) -> list[tuple[Award, Explanation]]:
    return [(award, award_explanation(award)) for award in awards_of_person(person_id)]

