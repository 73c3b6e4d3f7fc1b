"""Computing the DOST Index: set-based SQL over the core's tables, a year at a time if asked.

Two statements do the work for every month, centre and KPI at once:

1. ``_MEASURES_SQL`` counts the measures (``config.MEASURES``) per month and centre, and
   for the whole country in the same pass (``GROUPING SETS``), and writes one row per
   KPI: ``value = scale × numerator ÷ denominator``, empty when the denominator is 0.
2. ``_SCORES_SQL`` scores the centres from those rows (see "The score" below).

Before them, in the same transaction, the months' old rows are deleted and their month
rows upserted: recomputing replaces.

Where a figure is attributed (documented in ``kpis.yaml`` beside each formula):

- Visits belong to the centre of the booking; CareCall ratings to the centre of the
  rated visit (ratings of 142 calls count for the country only).
- Complaints, awards and e-applications are a person's, not a centre's: none of their
  tables names a centre (a complaint names a unit, and units are not centres). They are
  attributed to the centre of the person's registered district (``Centre.region``; the
  first centre by code if a district had two). People of districts without a centre
  count in the country's figures only.
- An e-application records no channel. ``application_submit`` files it only for the
  signed-in applicant, so an application counts as online when its submission was made
  by the applicant's own account (a future "filed by an agent for the citizen" would
  not); the in-person counterpart is a visit served at a centre.
- Months are calendar months in Baku time (``TIME_ZONE``): a complaint received at
  23:30 on 31 January belongs to January.

The score: for each month and KPI, the centres' values are normalised min–max, the
right way round (``better``): the best centre gets 1, the worst 0, and all get 1 when
they are equal. A pillar's score is the mean of its KPIs that have a value; the
centre's score is the mean of its pillars that have one, pillars weighing the same;
both are shown out of 100. Ranks go by the score rounded to two places, ties sharing a
rank. A centre without any value that month gets no score.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.errors import DomainError
from dost.index.config import MEASURES, IndexConfig, index_config
from dost.index.models import CentreScore, IndexMonth, KpiValue

# Months one computation may span: a year and a bit, so one mistake cannot lock the
# tables for long.
MAX_MONTHS = 24
# Recomputations of overlapping months wait for each other rather than fail.
_LOCK = 7_104_001

# Which statement counts each measure: ``v`` visits, ``r`` ratings, ``p`` people's own
# records (complaints, awards, applications).
_SOURCE = {
    "visits_served": "v", "visits_no_show": "v", "visits_waited": "v",
    "visits_waited_15": "v", "waiting_minutes": "v", "visits_timed": "v",
    "service_minutes": "v",
    "ratings_sent": "r", "ratings_answered": "r", "rating_points": "r",
    "ratings_satisfied": "r",
    "complaints_received": "p", "appeals_received": "p", "complaints_due": "p",
    "complaints_due_on_time": "p", "complaints_answered": "p", "complaint_answer_days": "p",
    "awards_proactive": "p", "applications_approved": "p", "applications_submitted": "p",
    "applications_online": "p",
}
assert set(_SOURCE) == set(MEASURES), "every measure needs its statement"  # noqa: S101

# A CTE's month and unit: the unit is a centre's code, or '' for the country (the row
# of the grouping set without the centre). Rows of the centre set whose centre is
# empty (a call's rating, a person living where there is no centre) match no unit.
_UNIT = "CASE WHEN GROUPING({column}) = 1 THEN '' ELSE {column} END AS unit"

_MEASURES_SQL = """
WITH home AS (
    SELECT DISTINCT ON (region_id) region_id, code AS centre
    FROM centres_centre WHERE active ORDER BY region_id, code
),
visits AS (
    SELECT month, {visit_unit},
        count(*) FILTER (WHERE status = 'served') AS visits_served,
        count(*) FILTER (WHERE status = 'no_show') AS visits_no_show,
        count(wait_seconds) FILTER (WHERE status = 'served') AS visits_waited,
        count(*) FILTER (WHERE status = 'served' AND wait_seconds <= 900) AS visits_waited_15,
        coalesce(sum(wait_seconds) FILTER (WHERE status = 'served'), 0) / 60.0
            AS waiting_minutes,
        count(service_seconds) FILTER (WHERE status = 'served') AS visits_timed,
        coalesce(sum(service_seconds) FILTER (WHERE status = 'served'), 0) / 60.0
            AS service_minutes
    FROM (
        SELECT date_trunc('month', day::timestamp)::date AS month, centre_id, status,
               wait_seconds, service_seconds
        FROM equeue_booking
        WHERE day >= %(start)s AND day < %(end)s AND status IN ('served', 'no_show')
    ) b
    GROUP BY GROUPING SETS ((month, centre_id), (month))
),
ratings AS (
    SELECT month, {rating_unit},
        count(*) AS ratings_sent,
        count(score) AS ratings_answered,
        coalesce(sum(score), 0) AS rating_points,
        count(*) FILTER (WHERE score >= 4) AS ratings_satisfied
    FROM (
        SELECT date_trunc('month', sent_at AT TIME ZONE %(tz)s)::date AS month, centre_id, score
        FROM carecall_ratingrequest
        WHERE sent_at >= %(start_at)s AND sent_at < %(end_at)s
    ) r
    GROUP BY GROUPING SETS ((month, centre_id), (month))
),
person_events AS (
    SELECT k.person_id, date_trunc('month', k.received_at AT TIME ZONE %(tz)s)::date AS month,
           'received' AS kind, category.appeal::int AS flag, 0::float8 AS amount
    FROM complaints_complaint k JOIN complaints_category category ON category.code = k.category_id
    WHERE k.received_at >= %(start_at)s AND k.received_at < %(end_at)s
  UNION ALL
    SELECT person_id, date_trunc('month', due_on::timestamp)::date, 'due',
           (answered_at IS NOT NULL
            AND (answered_at AT TIME ZONE %(tz)s)::date <= due_on)::int, 0
    FROM complaints_complaint
    WHERE due_on >= %(start)s AND due_on < %(end)s
  UNION ALL
    SELECT person_id, date_trunc('month', answered_at AT TIME ZONE %(tz)s)::date, 'answered', 1,
           extract(epoch FROM answered_at - received_at) / 86400.0
    FROM complaints_complaint
    WHERE answered_at >= %(start_at)s AND answered_at < %(end_at)s
  UNION ALL
    SELECT person_id, date_trunc('month', decided_at AT TIME ZONE %(tz)s)::date, 'award', 1, 0
    FROM entitlements_award
    WHERE decided_at >= %(start_at)s AND decided_at < %(end_at)s AND status <> 'annulled'
  UNION ALL
    SELECT person_id, date_trunc('month', status_changed_at AT TIME ZONE %(tz)s)::date,
           'approved', 1, 0
    FROM applications_application
    WHERE status = 'approved' AND status_changed_at >= %(start_at)s
      AND status_changed_at < %(end_at)s
  UNION ALL
    SELECT a.person_id, date_trunc('month', a.submitted_at AT TIME ZONE %(tz)s)::date,
           'submitted',
           EXISTS (SELECT 1 FROM applications_applicationevent event
                   JOIN accounts_user account ON account.id = event.actor_id
                   WHERE event.application_id = a.id AND event.status_to = 'submitted'
                     AND account.person_id = a.person_id)::int,
           0
    FROM applications_application a
    WHERE a.submitted_at >= %(start_at)s AND a.submitted_at < %(end_at)s
),
person_home AS (
    -- The centre of each person these records are about: one look-up by key per person,
    -- in key order so that the registry's pages are read in turn (LIMIT keeps the planner
    -- from making it a join that reads the whole registry): the cost follows the
    -- activity, not the population.
    SELECT ids.person_id, home.centre
    FROM (SELECT DISTINCT person_id FROM person_events ORDER BY person_id) ids
    CROSS JOIN LATERAL (SELECT region_id FROM registry_person
                        WHERE id = ids.person_id LIMIT 1) person
    JOIN home ON home.region_id = person.region_id
),
people AS (
    SELECT month, {people_unit},
        count(*) FILTER (WHERE kind = 'received') AS complaints_received,
        count(*) FILTER (WHERE kind = 'received' AND flag = 1) AS appeals_received,
        count(*) FILTER (WHERE kind = 'due') AS complaints_due,
        count(*) FILTER (WHERE kind = 'due' AND flag = 1) AS complaints_due_on_time,
        count(*) FILTER (WHERE kind = 'answered') AS complaints_answered,
        coalesce(sum(amount) FILTER (WHERE kind = 'answered'), 0) AS complaint_answer_days,
        count(*) FILTER (WHERE kind = 'award') AS awards_proactive,
        count(*) FILTER (WHERE kind = 'approved') AS applications_approved,
        count(*) FILTER (WHERE kind = 'submitted') AS applications_submitted,
        count(*) FILTER (WHERE kind = 'submitted' AND flag = 1) AS applications_online
    FROM (
        SELECT event.month, person_home.centre, event.kind, event.flag, event.amount
        FROM person_events event
        LEFT JOIN person_home ON person_home.person_id = event.person_id
    ) attributed
    GROUP BY GROUPING SETS ((month, centre), (month))
),
units AS (
    SELECT month::date AS month, unit
    FROM generate_series(%(start)s::date, %(last)s::date, interval '1 month') AS month
    CROSS JOIN (SELECT code AS unit FROM centres_centre WHERE active UNION ALL SELECT '') unit
),
measures AS (
    SELECT units.month, units.unit, {measure_columns}
    FROM units
    LEFT JOIN visits v ON v.month = units.month AND v.unit = units.unit
    LEFT JOIN ratings r ON r.month = units.month AND r.unit = units.unit
    LEFT JOIN people p ON p.month = units.month AND p.unit = units.unit
)
INSERT INTO {values_table} (month, centre_id, kpi, value, numerator, denominator, computed_at)
SELECT measures.month, nullif(measures.unit, ''), kpi.code,
       CASE WHEN kpi.denominator > 0 THEN kpi.scale * kpi.numerator / kpi.denominator END,
       kpi.numerator, kpi.denominator, %(now)s
FROM measures CROSS JOIN LATERAL (VALUES {kpi_rows}) AS kpi(code, numerator, denominator, scale)
"""

_SCORES_SQL = """
WITH kpi(code, pillar, higher) AS (VALUES {kpi_rows}),
normalised AS (
    SELECT value.month, value.centre_id, kpi.pillar,
           CASE WHEN max(value.value) OVER same = min(value.value) OVER same THEN 1.0
                WHEN kpi.higher
                THEN (value.value - min(value.value) OVER same)
                     / (max(value.value) OVER same - min(value.value) OVER same)
                ELSE (max(value.value) OVER same - value.value)
                     / (max(value.value) OVER same - min(value.value) OVER same)
           END AS normalised
    FROM {values_table} value JOIN kpi ON kpi.code = value.kpi
    WHERE value.month >= %(start)s AND value.month <= %(last)s
      AND value.centre_id IS NOT NULL AND value.value IS NOT NULL
    WINDOW same AS (PARTITION BY value.month, value.kpi)
),
pillars AS (
    SELECT month, centre_id, pillar, avg(normalised) AS score
    FROM normalised GROUP BY month, centre_id, pillar
),
scores AS (
    SELECT month, centre_id, pillar, score FROM pillars
  UNION ALL
    SELECT month, centre_id, '', avg(score) FROM pillars GROUP BY month, centre_id
),
rounded AS (
    SELECT month, centre_id, pillar,
           least(100, greatest(0, round((100 * score)::numeric, 2))) AS score
    FROM scores
)
INSERT INTO {scores_table} (month, centre_id, pillar, score, rank, computed_at)
SELECT month, centre_id, pillar, score::float8,
       rank() OVER (PARTITION BY month, pillar ORDER BY score DESC), %(now)s
FROM rounded
"""


@dataclass(frozen=True)
class IndexComputation:
    first: dt.date
    last: dt.date
    months: int
    values: int
    scores: int
    seconds: float


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _measure_columns() -> str:
    return ", ".join(f"coalesce({_SOURCE[name]}.{name}, 0)::float8 AS {name}"
                     for name in MEASURES)


def _kpi_rows(config: IndexConfig) -> tuple[str, dict[str, Any]]:
    """The KPIs as rows of a VALUES list: measure names come from the checked
    configuration (``config.MEASURES`` only), everything else is a parameter."""
    rows: list[str] = []
    parameters: dict[str, Any] = {}
    for position, kpi in enumerate(config.kpis):
        numerator = " + ".join(f"measures.{name}" for name in kpi.numerator)
        denominator = " + ".join(f"measures.{name}" for name in kpi.denominator)
        rows.append(f"(%(kpi_{position})s, {numerator}, {denominator}, "
                    f"%(scale_{position})s::float8)")
        parameters[f"kpi_{position}"] = kpi.code
        parameters[f"scale_{position}"] = float(kpi.scale)
    return ", ".join(rows), parameters


def _pillar_rows(config: IndexConfig) -> tuple[str, dict[str, Any]]:
    rows: list[str] = []
    parameters: dict[str, Any] = {}
    for position, kpi in enumerate(config.kpis):
        rows.append(f"(%(kpi_{position})s, %(pillar_{position})s, %(higher_{position})s)")
        parameters[f"kpi_{position}"] = kpi.code
        parameters[f"pillar_{position}"] = kpi.pillar
        parameters[f"higher_{position}"] = kpi.higher_is_better
    return ", ".join(rows), parameters


def _check_months(first: dt.date, last: dt.date) -> None:
    if first.day != 1 or last.day != 1:
        raise DomainError(_("A month is given by its first day."), code="not_a_month")
    if last < first:
        raise DomainError(_("The last month comes before the first."), code="months_reversed")
    if add_months(first, MAX_MONTHS) <= last:
        raise DomainError(_("The Index is computed for at most %(months)s months at once.")
                          % {"months": MAX_MONTHS}, code="too_many_months")
    if last > month_start(timezone.localdate()):
        raise DomainError(_("The Index cannot be computed for a month that has not begun."),
                          code="future_month")


def index_compute(*, first: dt.date, last: dt.date | None = None,
                  config: IndexConfig | None = None) -> IndexComputation:
    """Compute every KPI, score and rank of the months ``first`` to ``last`` (first days of
    months; ``last`` defaults to ``first``) for every active centre and the country.

    Replaces what those months had, in one transaction: readers see the old figures or
    the new, never a mix. Two computations of the same months run one after the other.
    Raises ``DomainError`` for a month that is not a first day, a reversed or too long
    span, or a month that has not begun.
    """
    last = first if last is None else last
    _check_months(first, last)
    config = config or index_config()
    zone = ZoneInfo(settings.TIME_ZONE)
    end = add_months(last, 1)
    parameters: dict[str, Any] = {
        "start": first, "end": end, "last": last, "tz": settings.TIME_ZONE,
        "start_at": dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        "end_at": dt.datetime.combine(end, dt.time.min, tzinfo=zone),
        "now": timezone.now(),
    }
    kpi_rows, kpi_parameters = _kpi_rows(config)
    pillar_rows, pillar_parameters = _pillar_rows(config)
    measures_sql = _MEASURES_SQL.format(
        visit_unit=_UNIT.format(column="centre_id"), rating_unit=_UNIT.format(column="centre_id"),
        people_unit=_UNIT.format(column="centre"), measure_columns=_measure_columns(),
        values_table=KpiValue._meta.db_table, kpi_rows=kpi_rows)
    scores_sql = _SCORES_SQL.format(kpi_rows=pillar_rows, values_table=KpiValue._meta.db_table,
                                    scores_table=CentreScore._meta.db_table)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        # The plan's estimated cost passes PostgreSQL's JIT thresholds, and compiling it
        # took 7 of a year's 8 seconds (EXPLAIN ANALYZE, 350,000 visits): the statements
        # run as fast without.
        cursor.execute("SET LOCAL jit = off")
        for model in (CentreScore, KpiValue):
            cursor.execute(f"DELETE FROM {model._meta.db_table} "  # noqa: S608 (our table)
                           "WHERE month >= %s AND month <= %s", [first, last])
        cursor.execute(
            f"INSERT INTO {IndexMonth._meta.db_table} (month, computed_at) "  # noqa: S608
            "SELECT month::date, %s FROM generate_series(%s::date, %s::date, interval '1 month')"
            " AS month ON CONFLICT (month) DO UPDATE SET computed_at = EXCLUDED.computed_at",
            [parameters["now"], first, last])
        cursor.execute(measures_sql, {**parameters, **kpi_parameters})
        values = cursor.rowcount
        cursor.execute(scores_sql, {**parameters, **pillar_parameters})
        scores = cursor.rowcount
    months = (end.year - first.year) * 12 + end.month - first.month
    return IndexComputation(first=first, last=last, months=months, values=values, scores=scores,
                            seconds=round(time.perf_counter() - started, 3))

