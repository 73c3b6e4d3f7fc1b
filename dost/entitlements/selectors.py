"""Reads of awards and scans, with the explanation of each decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from dost.entitlements.models import Award, Frequency, ScanRun
from dost.entitlements.parameter_labels import (
    applying_entries,
    concerns_person,
    format_parameter_value,
    parameter_name,
)
from dost.entitlements.rules import rule_for_benefit, rule_for_code
from dost.formatting import as_date
from dost.registry.models import FamilyRelation

# Added to an award's facts when its rule's ``explain`` is called: the amount awarded
# (the award holds it; the facts need not repeat it), and the parameters whose value
# that applied is an estimate, so a sentence using one can say so.
AWARD_AMOUNT_FACT = "award_amount"
ESTIMATED_PARAMETERS_FACT = "estimated_parameters"


@dataclass(frozen=True)
class ParameterUsed:
    """A parameter value an award relied on, as the reader reads it: ``name`` in their
    language, ``value`` in its unit and their number format."""

    code: str
    name: str
    value: str
    starts_on: dt.date
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


def parameters_used(award: Award) -> list[ParameterUsed]:
    """The parameter values the award relied on, named and written for the reader.

    A dated parameter is stored with its history, since the amount depends on the
    day of the event (the birth), not on the day of the decision: only the value
    in force on that day is shown when the facts name it. A table shows the entry
    the facts point to.
    """
    facts = award.facts or {}
    parameters = []
    for code, used in (award.parameters or {}).items():
        if not concerns_person(code, facts):
            continue
        entries = used if isinstance(used, list) else [used]
        for entry in applying_entries(code, entries, facts):
            parameters.append(ParameterUsed(
                code=code,
                name=parameter_name(code),
                value=format_parameter_value(code, entry["value"], facts),
                starts_on=as_date(entry["from"]),
                source=entry["source"],
                estimate=bool(entry.get("estimate")),
            ))
    return sorted(parameters, key=lambda parameter: (parameter.name.casefold(),
                                                     parameter.starts_on))


def award_explanation(award: Award) -> Explanation:
    """Why the award was made, in the active language, from what was stored with it.

    The rule's ``explain`` receives the award's facts with ``AWARD_AMOUNT_FACT``
    and ``ESTIMATED_PARAMETERS_FACT`` added.
    """
    try:
        rule = rule_for_code(award.rule)
    except LookupError:
        return Explanation(award.benefit, [], "", [])
    parameters = parameters_used(award)
    facts = {
        **(award.facts or {}),
        AWARD_AMOUNT_FACT: str(award.amount),
        ESTIMATED_PARAMETERS_FACT: sorted({parameter.code for parameter in parameters
                                           if parameter.estimate}),
    }
    reasons = [str(line) for line in rule.explain(facts)] if rule.explain else []
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


@dataclass(frozen=True)
class AwardCard:
    """One award as the citizen's page shows it: why, what it is owed, and the receipt of
    each decision about it in the decision log."""

    award: Award
    explanation: Explanation
    receipts: list


def award_cards(person_id: int) -> list[AwardCard]:
    """The person's awards with their explanations and decision-log receipts, in two queries."""
    from dost.audit.selectors import decision_receipts

    awards = list(awards_of_person(person_id))
    receipts = decision_receipts([award.pk for award in awards])
    return [AwardCard(award, award_explanation(award), receipts.get(award.pk, []))
            for award in awards]


@dataclass(frozen=True)
class FamilyStop:
    """An award of a relative stopped by their death, as their family sees it."""

    relative_name: str
    death_date: dt.date | None
    benefit: str
    last_day_paid: dt.date | None

    @property
    def title(self) -> str:
        rule = rule_for_benefit(self.benefit)
        return str(rule.title) if rule else self.benefit


def family_stops(person_id: int) -> list[FamilyStop]:
    """Awards of the person's relatives that their death stopped, in one query."""
    relatives = (
        Q(person_id__in=FamilyRelation.objects.filter(relative_id=person_id).values("person_id"))
        | Q(person_id__in=FamilyRelation.objects.filter(person_id=person_id).values("relative_id"))
    )
    stopped = (Award.objects.filter(relatives, status=Award.Status.STOPPED,
                                    end_reason=Award.EndReason.DEATH)
               .select_related("person").order_by("-person__death_date", "benefit"))
    return [FamilyStop(award.person.full_name, award.person.death_date, award.benefit,
                       award.period_end) for award in stopped]
