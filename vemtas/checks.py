"""Cross-checks of every pending case at once, and the decisions they lead to.

One run claims the pending cases (``SKIP LOCKED``, so workers share them), puts
their confirmed members in ``bridge_subjects`` and asks every Digital Bridge
source about all of them: one statement per source, never one per member. If a
source does not answer, every claimed case waits and is asked again later
(``retry_at``, backing off): a silent source is never read as "nothing found".

When every source has answered, each refusal ground is one statement over the
answers (``_GROUNDS``), writing a ``Discrepancy`` with its source, the declared
value and the value found. Then, still set-based:

- a case with a discrepancy is refused: its e-application rejected, a decision-log
  entry per case listing the grounds, an SMS in the applicant's language;
- a clean case that needs a home visit waits for it (an unassigned assessment);
- a clean case that needs none is eligible, and the proactive engine's TSSA rule
  awards it at once (``vemtas.decisions.cases_award``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dost.bridge.sources import sources_ask, subjects_prepare
from dost.entitlements.parameters import history
from vemtas.decisions import cases_award, cases_refuse
from vemtas.models import FALSE_DECLARATION_GROUNDS, Ground

# Cases claimed by one run. 10,000 cases are about 30,000 members: every source's
# statement stays well under a second at a million people.
BATCH_SIZE = 10_000
# Waiting cases are asked again after 5 minutes, doubling to at most 6 hours.
FIRST_RETRY_SECONDS = 300
MAX_RETRY_SECONDS = 6 * 3600
# TSSA's own benefits are not income for TSSA.
OWN_BENEFITS = ["tssa", "tssa_child_under_one"]

DATED = ("tssa_needs_criterion", "living_minimum_country", "tssa_utilities_share",
         "tssa_large_transactions_living_minimums", "tssa_refused_jobs",
         "tssa_able_bodied_age_from_years", "tssa_able_bodied_age_to_years",
         "tssa_unable_to_work_percent", "tssa_care_impairment_percent",
         "tssa_care_child_age_years", "tssa_student_age_limit_years")


def dated(name: str, on: str) -> str:
    """SQL for the value of the dated parameter ``name`` in force on the date ``on``."""
    return f"""(SELECT t.v FROM unnest(%({name}__starts)s::date[],
                                   %({name}__values)s::numeric[]) AS t(s, v)
             WHERE t.s <= {on} ORDER BY t.s DESC LIMIT 1)"""  # noqa: S608


def dated_arguments(names: tuple[str, ...] = DATED) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    for name in names:
        values = history(name)
        arguments[f"{name}__starts"] = [value.starts_on for value in values]
        arguments[f"{name}__values"] = [value.value for value in values]
    return arguments


@dataclass(frozen=True)
class CheckOutcome:
    claimed: int
    waiting: int
    refused: int
    visit: int
    awarded: int
    discrepancies: int
    unavailable: dict[str, str]
    seconds: float


# The household as the sources found it, per case: members counted, income found.
_FINDINGS_SQL = f"""
CREATE TEMP TABLE tssa_found ON COMMIT DROP AS
SELECT b.id AS case_id, b.applied_on, b.declared_income, b.declared_business,
       coalesce(m.members, 0) AS members,
       round(coalesce(i.total, 0) / 12 + coalesce(biz.monthly, 0), 2) AS found_income,
       {dated("tssa_needs_criterion", "b.applied_on")} AS criterion,
       {dated("living_minimum_country", "b.applied_on")} AS living_minimum
FROM tssa_batch b
LEFT JOIN (SELECT s.request_id, count(*) AS members FROM bridge_subjects s
           WHERE NOT EXISTS (SELECT 1 FROM bridge_answers d WHERE d.request_id = s.request_id
                             AND d.person_id = s.person_id AND d.kind = 'dead')
           GROUP BY s.request_id) m ON m.request_id = b.id
LEFT JOIN (SELECT request_id, sum(amount) AS total FROM bridge_answers
           WHERE source = 'income' AND NOT (kind = 'benefit' AND detail = ANY(%(own)s))
           GROUP BY request_id) i ON i.request_id = b.id
LEFT JOIN (SELECT request_id, sum(amount) AS monthly FROM bridge_answers
           WHERE source = 'businesses' GROUP BY request_id) biz ON biz.request_id = b.id
"""  # noqa: S608

# What every source found, per case, for the report beside the declaration.
_REPORT_SQL = """
CREATE TEMP TABLE tssa_report ON COMMIT DROP AS
SELECT request_id, jsonb_object_agg(source, items) AS findings
FROM (SELECT a.request_id, a.source,
             jsonb_agg(jsonb_build_object('kind', a.kind, 'person', a.person_id,
                                          'amount', a.amount, 'detail', a.detail,
                                          'on', a.observed_on)
                       ORDER BY a.person_id, a.kind, a.observed_on) AS items
      FROM bridge_answers a GROUP BY a.request_id, a.source) g
GROUP BY request_id
"""

# Each refusal ground: case_id, ground, source, person_id, declared, found.
_GROUNDS = f"""
SELECT f.case_id, '{Ground.INCOME_UNDECLARED.value}', 'income', NULL::bigint,
       f.declared_income::text, f.found_income::text
FROM tssa_found f WHERE f.found_income > f.declared_income + 1
UNION ALL
SELECT f.case_id, '{Ground.BUSINESS_UNDECLARED.value}', 'businesses', a.person_id,
       'no_business', a.detail
FROM tssa_found f JOIN bridge_answers a ON a.request_id = f.case_id AND a.source = 'businesses'
WHERE NOT f.declared_business
UNION ALL
SELECT b.id, '{Ground.HOUSEHOLD_MISMATCH.value}', 'civil_registry', a.person_id,
       'not_member', 'member'
FROM tssa_batch b JOIN bridge_answers a ON a.request_id = b.id AND a.source = 'civil_registry'
     AND a.kind = 'member'
WHERE NOT EXISTS (SELECT 1 FROM bridge_subjects s WHERE s.request_id = b.id
                  AND s.person_id = a.person_id)
UNION ALL
SELECT s.request_id, '{Ground.HOUSEHOLD_MISMATCH.value}', 'civil_registry', s.person_id,
       'member',
       coalesce((SELECT 'died:' || d.observed_on FROM bridge_answers d
                 WHERE d.request_id = s.request_id AND d.person_id = s.person_id
                   AND d.kind = 'dead' LIMIT 1), 'not_in_household')
FROM bridge_subjects s
WHERE s.household_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM bridge_answers a WHERE a.request_id = s.request_id
                  AND a.source = 'civil_registry' AND a.kind = 'member'
                  AND a.person_id = s.person_id)
UNION ALL
SELECT f.case_id, '{Ground.INCOME_ABOVE_CRITERION.value}', 'income', NULL,
       f.declared_income::text, greatest(f.declared_income, f.found_income)::text
FROM tssa_found f
WHERE greatest(f.declared_income, f.found_income) >= f.criterion * f.members
UNION ALL
SELECT f.case_id, '{Ground.LARGE_TRANSACTIONS.value}', 'transactions', NULL, '',
       t.total::text
FROM tssa_found f
JOIN (SELECT request_id, sum(amount) AS total FROM bridge_answers
      WHERE source = 'transactions' GROUP BY request_id) t ON t.request_id = f.case_id
WHERE t.total > f.living_minimum
      * {dated("tssa_large_transactions_living_minimums", "f.applied_on")}
UNION ALL
SELECT a.request_id, '{Ground.VEHICLE.value}', 'vehicles', a.person_id, '', a.detail
FROM bridge_answers a WHERE a.source = 'vehicles' AND a.kind = 'vehicle'
UNION ALL
SELECT a.request_id, '{Ground.REAL_ESTATE.value}', 'real_estate', NULL, '',
       a.kind || ': ' || string_agg(DISTINCT a.detail, '; ')
FROM bridge_answers a WHERE a.source = 'real_estate'
GROUP BY a.request_id, a.kind HAVING count(DISTINCT a.detail) >= 2
UNION ALL
SELECT f.case_id, '{Ground.UTILITIES.value}', 'utilities', NULL, '',
       round(u.amount / greatest(f.members, 1), 2)::text
FROM tssa_found f
JOIN bridge_answers u ON u.request_id = f.case_id AND u.source = 'utilities'
WHERE u.amount / greatest(f.members, 1)
      >= f.living_minimum * {dated("tssa_utilities_share", "f.applied_on")}
UNION ALL
SELECT a.request_id, '{Ground.REFUSED_JOBS.value}', 'employment', a.person_id, '',
       a.amount::text
FROM tssa_found f JOIN bridge_answers a ON a.request_id = f.case_id
WHERE a.source = 'employment' AND a.kind = 'suitable_jobs_refused'
  AND a.amount >= {dated("tssa_refused_jobs", "f.applied_on")}
UNION ALL
SELECT i.case_id, '{Ground.IDLE_MEMBER.value}', 'employment', i.person_id, '',
       'idle'
FROM tssa_idle i
WHERE NOT i.excused_as_carer
"""  # noqa: S608

_DISCREPANCIES_INSERT = f"""
INSERT INTO vemtas_discrepancy (case_id, ground, source, person_id, declared, found)
SELECT * FROM ({_GROUNDS}) g
"""  # noqa: S608

# Able-bodied members who neither work nor seek work, with no valid reason of their own;
# a household that cares for someone excuses one of them (the eldest) as the carer.
_IDLE_SQL = f"""
CREATE TEMP TABLE tssa_idle ON COMMIT DROP AS
WITH idle AS (
    SELECT s.request_id AS case_id, s.person_id, p.birth_date
    FROM bridge_subjects s
    JOIN tssa_batch b ON b.id = s.request_id
    JOIN registry_person p ON p.id = s.person_id
    WHERE p.birth_date <= (b.applied_on - make_interval(years =>
              {dated("tssa_able_bodied_age_from_years", "b.applied_on")}::int))::date
      AND p.birth_date > (b.applied_on - make_interval(years =>
              {dated("tssa_able_bodied_age_to_years", "b.applied_on")}::int))::date
      AND NOT EXISTS (
          SELECT 1 FROM bridge_answers a
          WHERE a.request_id = s.request_id AND a.person_id = s.person_id
            AND ((a.source = 'employment' AND a.kind IN ('employed', 'job_seeker',
                                                         'insured_job_seeker'))
                 OR (a.source = 'civil_registry'
                     AND a.kind IN ('dead', 'imprisoned', 'missing'))
                 OR (a.source = 'health'
                     AND a.amount >= {dated("tssa_unable_to_work_percent", "b.applied_on")})
                 OR (a.source = 'education' AND a.kind = 'full_time_study'
                     AND p.birth_date > (b.applied_on - make_interval(years =>
                         {dated("tssa_student_age_limit_years", "b.applied_on")}::int))::date)
                 OR (a.source = 'income' AND a.kind = 'unemployment_insurance')))
),
cared AS (
    SELECT DISTINCT s.request_id AS case_id
    FROM bridge_subjects s
    JOIN tssa_batch b ON b.id = s.request_id
    JOIN registry_person p ON p.id = s.person_id
    LEFT JOIN bridge_answers h ON h.request_id = s.request_id AND h.person_id = s.person_id
         AND h.source = 'health'
    WHERE p.birth_date > (b.applied_on - make_interval(years =>
              {dated("tssa_care_child_age_years", "b.applied_on")}::int))::date
       OR h.amount >= {dated("tssa_care_impairment_percent", "b.applied_on")}
       OR (h.amount IS NOT NULL AND p.birth_date > (b.applied_on - interval '18 years')::date)
)
SELECT i.case_id, i.person_id,
       c.case_id IS NOT NULL AND row_number() OVER (PARTITION BY i.case_id
                                                   ORDER BY i.birth_date, i.person_id) = 1
           AS excused_as_carer
FROM idle i LEFT JOIN cared c ON c.case_id = i.case_id
"""  # noqa: S608


def cases_cross_check(*, case_ids: list[int] | None = None, limit: int = BATCH_SIZE,
                      on: dt.date | None = None) -> CheckOutcome:
    """Cross-check up to ``limit`` pending cases (or those named) and decide those that can be.

    Side effects, in one transaction: the claimed cases' discrepancies, state and
    figures; refusals with their e-application, decision-log entries and SMS; the
    assessments of cases going to a home visit; the awards of eligible cases
    through the proactive engine (with SMS, bank card request and payment schedule).
    A case whose sources did not all answer only waits, with ``waiting_for`` and
    ``retry_at`` set.
    """
    started = timezone.now()
    on = on or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        ids = _claim(cursor, case_ids=case_ids, limit=limit)
        if not ids:
            return CheckOutcome(0, 0, 0, 0, 0, 0, {}, 0.0)
        subjects_prepare(cursor)
        cursor.execute("DROP TABLE IF EXISTS pg_temp.tssa_batch, pg_temp.tssa_found, "
                       "pg_temp.tssa_idle, pg_temp.tssa_report")
        cursor.execute(
            "CREATE TEMP TABLE tssa_batch ON COMMIT DROP AS "
            "SELECT id, applicant_id, household_id, applied_on, declared_income, "
            "declared_business, visit_required, application_id FROM vemtas_case "
            "WHERE id = ANY(%s)", [ids])
        cursor.execute(
            """
            INSERT INTO bridge_subjects (request_id, person_id, household_id, since, until)
            SELECT b.id, m.person_id, b.household_id,
                   (b.applied_on - interval '12 months')::date, b.applied_on
            FROM tssa_batch b JOIN vemtas_casemember m ON m.case_id = b.id AND m.confirmed
            """)
        answers = sources_ask(cursor)
        if answers.unavailable:
            waiting = _wait(cursor, ids, sorted(answers.unavailable))
            return CheckOutcome(len(ids), waiting, 0, 0, 0, 0, answers.unavailable,
                                (timezone.now() - started).total_seconds())
        cursor.execute("CREATE INDEX ON bridge_answers (request_id, person_id)")
        cursor.execute("ANALYZE bridge_answers")
        params = {**dated_arguments(), "own": OWN_BENEFITS}
        cursor.execute(_REPORT_SQL)
        cursor.execute(_FINDINGS_SQL, params)
        cursor.execute(_IDLE_SQL, params)
        cursor.execute(_DISCREPANCIES_INSERT, params)
        discrepancies = cursor.rowcount
        cursor.execute(
            """
            UPDATE vemtas_case c
            SET found_income = f.found_income, members_counted = f.members,
                criterion = f.criterion,
                findings = coalesce(r.findings, '{}'::jsonb),
                income_counted = greatest(f.declared_income, f.found_income),
                amount = greatest(0, f.criterion * f.members
                                     - greatest(f.declared_income, f.found_income)),
                checked_at = statement_timestamp(), attempts = c.attempts + 1,
                waiting_for = '{}', retry_at = NULL,
                state = CASE
                    WHEN EXISTS (SELECT 1 FROM vemtas_discrepancy d WHERE d.case_id = c.id)
                        THEN 'refused'
                    WHEN c.visit_required THEN 'visit'
                    ELSE 'eligible' END,
                false_declaration = EXISTS (
                    SELECT 1 FROM vemtas_discrepancy d WHERE d.case_id = c.id
                      AND d.ground = ANY(%(false)s)),
                decided_at = CASE WHEN EXISTS (SELECT 1 FROM vemtas_discrepancy d
                                               WHERE d.case_id = c.id)
                                  THEN statement_timestamp() END
            FROM tssa_found f LEFT JOIN tssa_report r ON r.request_id = f.case_id
            WHERE f.case_id = c.id
            """, {"false": [ground.value for ground in FALSE_DECLARATION_GROUNDS]})
        refused = cases_refuse(case_ids=ids, decided_by="rule:vemtas.cross_check")
        cursor.execute(
            """
            INSERT INTO vemtas_assessment (case_id, state, members_present, conditions,
                                           matches_declaration, disagreement, manifest,
                                           created_at)
            SELECT id, 'unassigned', NULL, '', NULL, '', '', statement_timestamp()
            FROM vemtas_case WHERE id = ANY(%s) AND state = 'visit'
            ON CONFLICT (case_id) DO NOTHING
            """, [ids])
        visit = cursor.rowcount
        awarded = cases_award(case_ids=ids, on=on)
    return CheckOutcome(len(ids), 0, refused, visit, awarded, discrepancies, {},
                        (timezone.now() - started).total_seconds())


def _claim(cursor: Any, *, case_ids: list[int] | None, limit: int) -> list[int]:
    named = "AND id = ANY(%(ids)s)" if case_ids is not None else \
        "AND (retry_at IS NULL OR retry_at <= statement_timestamp())"
    cursor.execute(
        f"""
        SELECT id FROM vemtas_case
        WHERE state IN ('checking', 'waiting') {named}
        ORDER BY retry_at NULLS FIRST, id
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
        """, {"ids": case_ids, "limit": limit})  # noqa: S608
    return [row[0] for row in cursor.fetchall()]


def _wait(cursor: Any, ids: list[int], sources: list[str]) -> int:
    cursor.execute(
        """
        UPDATE vemtas_case
        SET state = 'waiting', attempts = attempts + 1, waiting_for = %(sources)s,
            retry_at = statement_timestamp()
                       + least(%(first)s * power(2, attempts), %(most)s) * interval '1 second'
        WHERE id = ANY(%(ids)s)
        """, {"ids": ids, "sources": sources, "first": FIRST_RETRY_SECONDS,
              "most": MAX_RETRY_SECONDS})
    return cursor.rowcount
