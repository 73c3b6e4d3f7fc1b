"""Reads of the precomputed DOST Index: the months computed, a month's values, scores and
ranks, and the trends over the months before. Each read is one query over the stored
rows; nothing is computed here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet

from dost.centres.models import Centre
from dost.index.models import CentreScore, IndexMonth, KpiValue
from dost.index.services import add_months

TREND_MONTHS = 12


def index_months() -> list[IndexMonth]:
    """The months computed, latest first."""
    return list(IndexMonth.objects.order_by("-month"))


def index_centres() -> QuerySet[Centre]:
    """The centres the Index ranks: the active ones."""
    return Centre.objects.filter(active=True).order_by("code")


def index_centre(code: str) -> Centre | None:
    return index_centres().filter(code=code).first()


def kpi_values(month: dt.date, *,
               centre: str | None = None) -> dict[tuple[str | None, str], KpiValue]:
    """A month's values by (centre code, or None for the country; KPI code): of every
    centre, or only of ``centre`` and the country."""
    values = KpiValue.objects.filter(month_id=month)
    if centre is not None:
        values = values.filter(Q(centre_id=centre) | Q(centre__isnull=True))
    return {(value.centre_id, value.kpi): value for value in values}


def centre_scores(month: dt.date) -> dict[str, dict[str, CentreScore]]:
    """A month's scores by centre code, then pillar ('' for the overall score)."""
    scores: dict[str, dict[str, CentreScore]] = defaultdict(dict)
    for score in CentreScore.objects.filter(month_id=month):
        scores[score.centre_id][score.pillar] = score
    return dict(scores)


def trend_months(month: dt.date, count: int = TREND_MONTHS) -> list[dt.date]:
    """The ``count`` months ending with ``month``, oldest first."""
    return [add_months(month, offset) for offset in range(1 - count, 1)]


def score_trend(month: dt.date, *, centre: str | None = None,
                count: int = TREND_MONTHS) -> dict[tuple[str, str], dict[dt.date, float]]:
    """Scores over the ``count`` months ending with ``month`` by (centre, pillar): the
    overall scores of every centre, or every score of one ``centre``."""
    months = trend_months(month, count)
    scores = CentreScore.objects.filter(month_id__gte=months[0], month_id__lte=months[-1])
    scores = scores.filter(centre_id=centre) if centre is not None else scores.filter(pillar="")
    trend: dict[tuple[str, str], dict[dt.date, float]] = defaultdict(dict)
    for centre_id, pillar, month_id, score in scores.values_list("centre_id", "pillar",
                                                                 "month_id", "score"):
        trend[(centre_id, pillar)][month_id] = score
    return dict(trend)
