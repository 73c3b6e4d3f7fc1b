"""Reads of CareCall: the follow-up tasks and the score roll-ups.

The roll-ups are ``GROUP BY`` queries over the answered requests of a month
(the month the request was sent, which is the month of the call or visit),
one query per dimension, whatever the number of ratings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dost.accounts.models import User
from dost.carecall.models import FollowUp, RatingRequest
from dost.centres.models import Centre, Service

# Scores that count as satisfied in the "share of 4-5".
GOOD_SCORE = 4
FOLLOW_UPS_SHOWN = 100
# The per-month table: the chosen month and the eleven before it.
TREND_MONTHS = 12


@dataclass(frozen=True)
class ScoreGroup:
    """The answered ratings of one agent, centre, service or month."""

    key: Any
    count: int
    average: Decimal
    good: int  # how many scored 4 or 5
    # The agent, centre or service itself (None for a month).
    subject: Any = None

    @property
    def good_share(self) -> Decimal:
        return Decimal(self.good) / Decimal(self.count) if self.count else Decimal(0)


@dataclass(frozen=True)
class ScoreRollup:
    month: dt.date
    agents: list[ScoreGroup] = field(default_factory=list)
    centres: list[ScoreGroup] = field(default_factory=list)
    services: list[ScoreGroup] = field(default_factory=list)
    months: list[ScoreGroup] = field(default_factory=list)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months_before(month: dt.date, count: int) -> dt.date:
    year, index = divmod(month.year * 12 + month.month - 1 - count, 12)
    return dt.date(year, index + 1, 1)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min),
                               timezone.get_default_timezone())


def _answered_between(start: dt.date, end: dt.date) -> QuerySet[RatingRequest]:
    return RatingRequest.objects.filter(score__isnull=False, sent_at__gte=_local_midnight(start),
                                        sent_at__lt=_local_midnight(end))


_SCORES = {"count": Count("id"), "average": Avg("score"),
           "good": Count("id", filter=Q(score__gte=GOOD_SCORE))}


def _groups(rows: Iterable[Mapping[str, Any]], key: str,
            subjects: Mapping[Any, Any] | None = None) -> list[ScoreGroup]:
    return [ScoreGroup(key=row[key], count=row["count"],
                       average=Decimal(str(row["average"])).quantize(Decimal("0.01")),
                       good=row["good"],
                       subject=subjects.get(row[key]) if subjects is not None else None)
            for row in rows]


def _by(answered: QuerySet[RatingRequest], column: str) -> list[dict[str, Any]]:
    return list(answered.filter(**{f"{column}__isnull": False}).values(column)
                .annotate(**_SCORES).order_by("-average", "-count", column))


def score_rollup(*, month: dt.date, agent_id: int | None = None,
                 everything: bool = True) -> ScoreRollup:
    """Average score, count and share of 4-5 for ``month``, per agent, centre and
    service, and per month for the year to it.

    ``everything=False`` (an agent's own view) gives only the agent ``agent_id``'s
    line and the centres: no other agent's scores, services or months are read.
    """
    month = month_start(month)
    answered = _answered_between(month, _next_month(month))
    agent_rows = _by(answered.filter(agent_id=agent_id) if not everything else answered,
                     "agent_id")
    centre_rows = _by(answered, "centre_id")
    service_rows = _by(answered, "service_id") if everything else []
    agents = User.objects.in_bulk([row["agent_id"] for row in agent_rows])
    centres = Centre.objects.in_bulk([row["centre_id"] for row in centre_rows])
    services = Service.objects.in_bulk([row["service_id"] for row in service_rows])
    months: list[ScoreGroup] = []
    if everything:
        first = _months_before(month, TREND_MONTHS - 1)
        month_rows = (_answered_between(first, _next_month(month))
                      .annotate(month=TruncMonth("sent_at")).values("month")
                      .annotate(**_SCORES).order_by("month"))
        months = [ScoreGroup(key=timezone.localtime(group.key).date(), count=group.count,
                             average=group.average, good=group.good)
                  for group in _groups(month_rows, "month")]
    return ScoreRollup(month=month, agents=_groups(agent_rows, "agent_id", agents),
                       centres=_groups(centre_rows, "centre_id", centres),
                       services=_groups(service_rows, "service_id", services), months=months)


def follow_ups(*, status: str) -> list[FollowUp]:
    """Follow-ups in ``status``: the open and taken ones oldest first (the longest waiting
    on top), the closed ones latest first; at most ``FOLLOW_UPS_SHOWN``."""
    order = ["-closed_at", "-id"] if status == FollowUp.Status.CLOSED else ["opened_at", "id"]
    return list(FollowUp.objects.filter(status=status)
                .select_related("person", "taken_by", "request", "request__agent",
                                "request__centre", "request__service")
                .order_by(*order)[:FOLLOW_UPS_SHOWN])


def follow_up_by_id(follow_up_id: int) -> FollowUp | None:
    return (FollowUp.objects.select_related("person", "taken_by", "request", "request__agent",
                                            "request__centre", "request__service")
            .filter(pk=follow_up_id).first())


def follow_up_counts() -> dict[str, int]:
    """How many follow-ups are in each status (one query)."""
    rows = FollowUp.objects.values("status").annotate(count=Count("id")).order_by()
    counts = dict.fromkeys(FollowUp.Status.values, 0)
    counts.update({row["status"]: row["count"] for row in rows})
    return counts
