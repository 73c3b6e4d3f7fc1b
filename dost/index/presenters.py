"""What the Index pages show, made from the selectors' rows: small dataclasses the
templates only lay out, numbers already formatted in the reader's language, and the
charts (drawn by pygal, ``dost.charts``). The portal's and the back-office's pages share
them; the back-office shows the numerators and denominators too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dost.centres.models import Centre
from dost.charts import Point, Series, bar_chart, line_chart
from dost.index.config import Kpi, Pillar, index_config
from dost.index.models import CentreScore, IndexMonth, KpiValue
from dost.index.selectors import (
    centre_scores,
    index_centres,
    kpi_values,
    score_trend,
    trend_months,
)

CentreUrl = Callable[[str], str]
# Decimal places by unit: a score out of 5 needs two to tell centres apart.
_PLACES = {"minutes": 1, "percent": 1, "per_1000": 1, "days": 1, "score": 2}


def month_label(month: dt.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def month_value(month: dt.date) -> str:
    """A month as the pages' forms and links write it: ``2026-03``."""
    return f"{month:%Y-%m}"


def _number(value: float, places: int) -> str:
    """Rounded half up, as readers round (9.25 minutes shows as 9.3, not 9.2)."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


def _chart_number(value: float | None) -> str:
    """Values and axis ticks of the charts: one decimal, none for whole numbers."""
    if value is None:
        return ""
    return _number(value, 0 if float(value).is_integer() else 1)


def _no_data() -> str:
    return _("no data")


@dataclass(frozen=True)
class Figure:
    """One KPI value as shown: its text ("no data" when there is none) and what it is made of."""

    value: float | None
    text: str
    numerator: str
    denominator: str

    @property
    def missing(self) -> bool:
        return self.value is None


def figure(kpi: Kpi, row: KpiValue | None) -> Figure:
    places = _PLACES[kpi.unit]
    if row is None:
        return Figure(value=None, text=_no_data(), numerator="", denominator="")
    return Figure(value=row.value,
                  text=_no_data() if row.value is None else _number(row.value, places),
                  numerator=_number(row.numerator,
                                    0 if float(row.numerator).is_integer() else 1),
                  denominator=_number(row.denominator, 0))


@dataclass(frozen=True)
class PillarScore:
    pillar: Pillar
    score: float | None
    rank: int | None
    text: str


@dataclass(frozen=True)
class RankingRow:
    rank: int | None
    code: str
    name: str
    url: str
    score: float | None
    text: str
    pillars: list[PillarScore]


def _score_text(score: CentreScore | None) -> str:
    return _no_data() if score is None else _number(score.score, 1)


def _ranking_row(centre: Centre, scores: dict[str, CentreScore], url: str) -> RankingRow:
    overall = scores.get("")
    return RankingRow(
        rank=overall.rank if overall else None, code=centre.code, name=centre.name, url=url,
        score=overall.score if overall else None, text=_score_text(overall),
        pillars=[PillarScore(pillar=pillar, score=getattr(scores.get(pillar.code), "score", None),
                             rank=getattr(scores.get(pillar.code), "rank", None),
                             text=_score_text(scores.get(pillar.code)))
                 for pillar in index_config().pillars])


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    country: Figure
    # One per column of the page's centres, in their order.
    centres: list[Figure]


@dataclass(frozen=True)
class PillarKpis:
    pillar: Pillar
    rows: list[KpiRow]


def _kpi_table(month: dt.date, centres: list[Centre], *,
               values: dict[tuple[str | None, str], KpiValue]) -> list[PillarKpis]:
    config = index_config()
    return [PillarKpis(pillar=pillar, rows=[
        KpiRow(kpi=kpi, country=figure(kpi, values.get((None, kpi.code))),
               centres=[figure(kpi, values.get((centre.code, kpi.code))) for centre in centres])
        for kpi in config.kpis_of(pillar.code)]) for pillar in config.pillars]


@dataclass(frozen=True)
class TrendRow:
    """A row of the table beside a trend chart: what the line is, and its value each month."""

    label: str
    cells: list[str]


@dataclass(frozen=True)
class Trend:
    chart: SafeString
    months: list[str]
    rows: list[TrendRow]


def _trend(*, chart_id: str, title: str, description: str, month: dt.date,
           lines: list[tuple[str, dict[dt.date, float]]]) -> Trend:
    months = trend_months(month)
    labels = [date_format(each, "M Y") for each in months]
    chart = line_chart(
        chart_id=chart_id, title=title, description=description, labels=labels,
        series=[Series(label, [scores.get(each) for each in months]) for label, scores in lines],
        missing_label=_("A gap in a line is a month without a score."),
        empty_label=_("No scores in these months."), formatter=_chart_number)
    rows = [TrendRow(label=label, cells=[_no_data() if scores.get(each) is None
                                         else _number(scores[each], 1) for each in months])
            for label, scores in lines]
    return Trend(chart=chart, months=labels, rows=rows)


@dataclass(frozen=True)
class IndexPage:
    month: dt.date
    label: str
    computed_at: dt.datetime
    centres: list[Centre]
    pillars: tuple[Pillar, ...]
    ranking: list[RankingRow]
    kpis: list[PillarKpis]
    ranking_chart: SafeString
    trend: Trend


def index_page(index_month: IndexMonth, *, centre_url: CentreUrl) -> IndexPage:
    """The ranking of a month, every KPI of every centre and the country, and the charts."""
    month = index_month.month
    centres = list(index_centres())
    scores = centre_scores(month)
    rows = [_ranking_row(centre, scores.get(centre.code, {}), centre_url(centre.code))
            for centre in centres]
    # Ranked centres best first; those without a score after them, by code.
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.code))
    label = month_label(month)
    ranking_chart = bar_chart(
        chart_id="index-ranking", title=_("Centres by score, %(month)s") % {"month": label},
        description=_("The score out of 100 of each DOST centre in %(month)s, best first. "
                      "The same figures are in the ranking table.") % {"month": label},
        points=[Point(row.name, row.score) for row in rows], missing_label=_no_data(),
        empty_label=_("No centre has a score this month."),
        formatter=_chart_number)
    trend = score_trend(month)
    return IndexPage(
        month=month, label=label, computed_at=index_month.computed_at, centres=centres,
        pillars=index_config().pillars, ranking=rows,
        kpis=_kpi_table(month, centres, values=kpi_values(month)),
        ranking_chart=ranking_chart,
        trend=_trend(
            chart_id="index-trend", month=month,
            title=_("Scores over the 12 months to %(month)s") % {"month": label},
            description=_("The score out of 100 of each DOST centre in each of the 12 months "
                          "to %(month)s. The same figures are in the table below the chart.")
            % {"month": label},
            lines=[(centre.name, trend.get((centre.code, ""), {})) for centre in centres]),
    )


@dataclass(frozen=True)
class CentrePage:
    centre: Centre
    month: dt.date
    label: str
    computed_at: dt.datetime
    score: RankingRow
    kpis: list[PillarKpis]
    trend: Trend


def centre_page(centre: Centre, index_month: IndexMonth, *, centre_url: CentreUrl) -> CentrePage:
    """One centre's month: its score in each pillar, each KPI beside the country's, and its
    scores over the 12 months to it."""
    month = index_month.month
    label = month_label(month)
    config = index_config()
    trend = score_trend(month, centre=centre.code)
    return CentrePage(
        centre=centre, month=month, label=label, computed_at=index_month.computed_at,
        score=_ranking_row(centre, centre_scores(month).get(centre.code, {}),
                           centre_url(centre.code)),
        kpis=_kpi_table(month, [centre], values=kpi_values(month, centre=centre.code)),
        trend=_trend(
            chart_id="index-centre-trend", month=month,
            title=_("%(centre)s: scores over the 12 months to %(month)s")
            % {"centre": centre.name, "month": label},
            description=_("The overall score out of 100 of %(centre)s and its score in each "
                          "pillar, in each of the 12 months to %(month)s. The same figures are "
                          "in the table below the chart.") % {"centre": centre.name,
                                                             "month": label},
            lines=[(_("Overall score"), trend.get((centre.code, ""), {}))]
            + [(pillar.name, trend.get((centre.code, pillar.code), {}))
               for pillar in config.pillars]),
    )
