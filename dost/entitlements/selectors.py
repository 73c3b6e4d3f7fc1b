"""Reads of awards and scans, with the explanation of each decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from dost.entitlements.models import Award, Frequency, ScanRun
from dost.entitlements.rules import rule_for_benefit, rule_for_code


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


@dataclass(frozen=True)
class BenefitTotal:
    """Awards of one benefit: how many, and their amounts summed."""

    benefit: str
    frequency: str
    awards: int
    amount: Decimal

    @property
    def frequency_label(self) -> str:
        return str(Frequency(self.frequency).label)

    @property
    def title(self) -> str:
        # Looked up on reading, in the reader's language: totals are cached and shared.
        rule = rule_for_benefit(self.benefit)
        return str(rule.title) if rule else self.benefit


def award_totals_by_benefit(*, on: dt.date) -> list[BenefitTotal]:
    """Awards in force on ``on`` by benefit, in one query.

    A monthly benefit counts while its period runs, and its amounts summed are a
    month's payments; a lump sum counts once granted, and its amounts are what
    was paid. Stopped and replaced awards are left out.
    """
    rows = (
        Award.objects.filter(status=Award.Status.AWARDED, period_start__lte=on)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=on))
        .values("benefit", "frequency")
        .annotate(awards=Count("id"), amount=Sum("amount"))
        .order_by("benefit", "frequency")
    )
    return [BenefitTotal(row["benefit"], row["frequency"], row["awards"], row["amount"])
            for row in rows]


@dataclass(frozen=True)
class MonthRegionTotal:
    """Awards decided in one month for people of one economic region (None: no region
    on record)."""

    month: dt.date
    economic_region: str | None
    # The region's name by language code: totals are cached and shared by every language.
    names: dict[str, str]
    awards: int
    monthly_amount: Decimal
    lump_sum_amount: Decimal


def award_totals_by_month_and_region() -> list[MonthRegionTotal]:
    """Every award by the month it was decided (in the project's time zone) and the
    beneficiary's economic region, in one query."""
    region = "person__region__economic_region"
    rows = (
        Award.objects.annotate(month=TruncMonth("decided_at"))
        .values("month", f"{region}__code", f"{region}__name_az", f"{region}__name_en",
                f"{region}__name_ru")
        .annotate(
            awards=Count("id"),
            monthly_amount=Sum("amount", filter=Q(frequency=Frequency.MONTHLY), default=0),
            lump_sum_amount=Sum("amount", filter=Q(frequency=Frequency.ONCE), default=0),
        )
        .order_by("month", f"{region}__code")
    )
    return [
        MonthRegionTotal(
            month=row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
            economic_region=row[f"{region}__code"],
            names={language: row[f"{region}__name_{language}"] or ""
                   for language in ("az", "en", "ru")},
            awards=row["awards"],
            monthly_amount=row["monthly_amount"],
            lump_sum_amount=row["lump_sum_amount"],
        )
        for row in rows
    ]
