"""Death stops every award, and an annulled death undoes what the death did.

Both are set-based statements, like the rules: the stop runs in every scan chunk
and for the people a life event touched, so a death recorded by any route stops
the payments; the annulment runs for the one person the civil registry corrected.

Law on labour pensions (art. 33) and Law on social benefits: a pension or
benefit is paid up to the end of the month in which the beneficiary died and
stops from the first day of the following month.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection, transaction

from dost.audit.decisions import decision_batch_close, decision_batch_open, entry_insert_sql
from dost.entitlements.engine import PEOPLE_FILTER, RANGE_FILTER
from dost.payments.services import PLANNING_LOCK_KEY, schedules_end_sql

DEATH_STOP = "stops.death"

_STOP_DECISIONS = """
    SELECT 'stop' AS kind, s.person_id, s.id AS award_id, s.benefit AS subject,
           %(_rule)s AS decided_by, d.details, audit_facts_hash(d.details, NULL) AS facts_hash
    FROM stopped s
    CROSS JOIN LATERAL (SELECT jsonb_build_object(
        'reason', 'death', 'death_date', s.death_date, 'last_day_paid', s.period_end,
        'period_end_before', s.period_end_before) AS details) d
"""

_STOP_SQL = """
WITH deaths AS (
    SELECT p.id, p.death_date,
           (date_trunc('month', p.death_date) + interval '1 month - 1 day')::date AS last_day
    FROM registry_person p
    WHERE {population} AND p.death_date IS NOT NULL AND p.death_date <= %(on)s
),
stopped AS (
    UPDATE entitlements_award a
    SET status = 'stopped', end_reason = 'death', period_end_before = a.period_end,
        -- An award that was to start after the death is ended before it began.
        period_end = greatest(d.last_day, a.period_start - 1)
    FROM deaths d
    WHERE a.person_id = d.id AND a.status = 'awarded' AND a.frequency = 'monthly'
      AND (a.period_end IS NULL OR a.period_end > d.last_day)
    RETURNING a.id, a.person_id, a.benefit, a.period_end, a.period_end_before, d.death_date
),
{ended_schedules},
decisions AS (
{decisions}
    RETURNING 1
)
SELECT (SELECT count(*) FROM stopped), (SELECT count(*) FROM ended_schedules),
       (SELECT count(*) FROM cancelled_payments), (SELECT count(*) FROM decisions)
""".replace("{ended_schedules}", schedules_end_sql(ended="stopped")).replace(
    "{decisions}", entry_insert_sql(select_sql=_STOP_DECISIONS))


@dataclass(frozen=True)
class Stopped:
    awards: int
    schedules: int
    payments_cancelled: int


def stop_on_death(*, on: dt.date, lo: int | None = None, hi: int | None = None,
                  people: list[int] | None = None) -> Stopped:
    """Stop every monthly award of the people among ids [lo, hi) or ``people`` who died
    on or before ``on``.

    Side effects, in one transaction: each award still running after the month of
    death ends on that month's last day, with the status ``stopped`` and the reason
    ``death`` (the end it had is kept, to restore it if the death is annulled); its
    payment schedule ends that day and its queued payments for later months are
    deleted; one ``stop`` entry per award goes to the decision log. Running it again
    changes nothing.
    """
    if people is None and (lo is None or hi is None):
        raise ValueError("Give either an id range or a list of people.")
    population = PEOPLE_FILTER if people is not None else RANGE_FILTER
    with transaction.atomic():
        batch = decision_batch_open()
        with connection.cursor() as cursor:
            # Shared, as a single schedule stop takes it: planning must not plan a
            # month from a snapshot taken before this commit.
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PLANNING_LOCK_KEY])
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_STOP_SQL.format(population=population),
                           {"on": on, "_lo": lo, "_hi": hi, "_people": people,
                            "_batch": batch, "_rule": DEATH_STOP})
            awards, schedules, cancelled, decisions = cursor.fetchone()
        if decisions:
            decision_batch_close(batch)
    return Stopped(awards, schedules, cancelled)


_ANNUL_DECISIONS = """
    SELECT 'restore' AS kind, r.person_id, r.id AS award_id, r.benefit AS subject,
           %(_decided_by)s AS decided_by,
           jsonb_build_object('reason', 'death annulled', 'period_end', r.period_end,
                              'arrears', r.owed::text) AS details,
           audit_facts_hash(NULL, NULL) AS facts_hash
    FROM restored r
    UNION ALL
    SELECT 'annul', n.person_id, n.id, n.benefit, %(_decided_by)s,
           jsonb_build_object('reason', 'death annulled', 'deceased', %(person)s),
           audit_facts_hash(NULL, NULL)
    FROM annulled n
"""

_ANNUL_SQL = """
WITH to_restore AS (
    -- The months from the one after the last paid to the last before the current one,
    -- within the period the award had: owed at once.
    SELECT a.id,
           a.amount * greatest(0, 1 + ((extract(year FROM m.last_missed)
                                        - extract(year FROM m.first_missed)) * 12
                                       + extract(month FROM m.last_missed)
                                       - extract(month FROM m.first_missed))::int) AS owed
    FROM entitlements_award a
    CROSS JOIN LATERAL (
        SELECT (date_trunc('month', a.period_end) + interval '1 month')::date AS first_missed,
               least(date_trunc('month', %(on)s::date) - interval '1 month',
                     date_trunc('month', coalesce(a.period_end_before, 'infinity'::date)))::date
                   AS last_missed
    ) m
    WHERE a.person_id = %(person)s AND a.status = 'stopped' AND a.end_reason = 'death'
),
restored AS (
    UPDATE entitlements_award a
    SET status = 'awarded', end_reason = '', period_end = a.period_end_before,
        period_end_before = NULL, arrears = a.arrears + t.owed
    FROM to_restore t
    WHERE a.id = t.id
    RETURNING a.id, a.person_id, a.benefit, a.amount, a.period_end, t.owed
),
annulled AS (
    UPDATE entitlements_award a
    SET status = 'annulled', end_reason = 'annulled',
        period_end_before = coalesce(a.period_end_before, a.period_end),
        period_end = CASE WHEN a.frequency = 'monthly' THEN a.period_start - 1
                          ELSE a.period_end END
    WHERE a.basis_person_id = %(person)s AND a.rule = ANY(%(death_rules)s)
      AND a.status IN ('awarded', 'stopped')
    RETURNING a.id, a.person_id, a.benefit
),
schedules AS (
    UPDATE payments_paymentschedule s
    SET ends_on = r.period_end, status = 'active'
    FROM restored r
    WHERE s.reference = 'award:' || r.id
    RETURNING 1
),
annulled_schedules AS (
    UPDATE payments_paymentschedule s
    SET ends_on = s.starts_on - 1, status = 'stopped'
    FROM annulled n
    WHERE s.reference = 'award:' || n.id
    RETURNING s.id
),
cancelled_payments AS (
    DELETE FROM payments_payment m USING annulled_schedules s
    WHERE m.schedule_id = s.id AND m.status = 'queued'
    RETURNING 1
),
cancelled_requests AS (
    UPDATE payments_bankrequest q SET status = 'cancelled', updated_at = now()
    FROM annulled n
    WHERE q.status = 'queued'
      AND q.reference IN ('award:' || n.id, 'award:' || n.id || ':arrears')
    RETURNING 1
),
bank AS (
    INSERT INTO payments_bankrequest (person_id, reference, kind, amount, iban)
    SELECT r.person_id, 'award:' || r.id || ':restored:' || %(_batch)s, 'payment', r.owed,
           p.bank_account
    FROM restored r JOIN registry_person p ON p.id = r.person_id
    WHERE r.owed > 0
    RETURNING 1
),
decisions AS (
{decisions}
    RETURNING 1
)
SELECT (SELECT count(*) FROM restored), (SELECT count(*) FROM annulled),
       (SELECT count(*) FROM cancelled_requests), (SELECT count(*) FROM decisions)
""".replace("{decisions}", entry_insert_sql(select_sql=_ANNUL_DECISIONS))


@dataclass(frozen=True)
class Annulment:
    restored: int
    annulled: int
    requests_cancelled: int


def death_annul_awards(*, person_id: int, on: dt.date, death_rules: list[str],
                       decided_by: str) -> Annulment:
    """Undo what a death recorded by mistake did to the awards.

    Side effects, in one transaction: the person's awards stopped by the death run
    again to the end they had, their schedules resume, and the months missed are
    owed at once (added to the award's arrears and queued as one payment); awards
    of ``death_rules`` made because of this death (survivor's shares, funeral
    grants) are annulled: their schedules end before they began, their queued
    payments are deleted and their queued bank requests cancelled. Every change
    goes to the decision log as ``restore`` or ``annul``.
    """
    with transaction.atomic():
        batch = decision_batch_open()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PLANNING_LOCK_KEY])
            cursor.execute(_ANNUL_SQL, {"on": on, "person": person_id,
                                        "death_rules": death_rules, "_batch": batch,
                                        "_decided_by": decided_by})
            restored, annulled, cancelled, decisions = cursor.fetchone()
        if decisions:
            decision_batch_close(batch)
    return Annulment(restored, annulled, cancelled)


_FACT_ENDED_DECISIONS = """
    SELECT 'stop' AS kind, s.person_id, s.id AS award_id, s.benefit AS subject,
           %(_decided_by)s AS decided_by, d.details, audit_facts_hash(d.details, NULL) AS facts_hash
    FROM stopped s
    CROSS JOIN LATERAL (SELECT %(_details)s::jsonb || jsonb_build_object(
        'last_day_paid', s.period_end, 'period_end_before', s.period_end_before) AS details) d
"""

_FACT_ENDED_SQL = """
WITH stopped AS (
    UPDATE entitlements_award a
    SET status = 'stopped', end_reason = 'fact_ended', period_end_before = a.period_end,
        period_end = greatest(%(last_day)s, a.period_start - 1)
    WHERE a.person_id = %(person)s AND a.benefit = ANY(%(benefits)s)
      AND a.status = 'awarded' AND a.frequency = 'monthly'
      AND (a.period_end IS NULL OR a.period_end > %(last_day)s)
    RETURNING a.id, a.person_id, a.benefit, a.period_end, a.period_end_before
),
{ended_schedules},
decisions AS (
{decisions}
    RETURNING 1
)
SELECT (SELECT count(*) FROM stopped), (SELECT count(*) FROM ended_schedules),
       (SELECT count(*) FROM cancelled_payments), (SELECT count(*) FROM decisions)
""".replace("{ended_schedules}", schedules_end_sql(ended="stopped")).replace(
    "{decisions}", entry_insert_sql(select_sql=_FACT_ENDED_DECISIONS))


def stop_on_fact_ended(*, person_id: int, benefits: list[str], last_day: dt.date,
                       decided_by: str, details: dict) -> Stopped:
    """Stop the person's monthly awards of ``benefits`` after ``last_day``: the fact they
    rested on no longer holds from the next day (a repeat assessment found no disability).

    The rules cannot do it themselves: an award's period was fixed from the fact as it
    stood, and a fact that ends early leaves no new fact for a rule to act on. Side
    effects, in one transaction, as a death's stop: the period ends on ``last_day``
    (status ``stopped``, reason ``fact_ended``, the end it had kept), the payment
    schedule ends with it and its queued later payments are deleted, and one ``stop``
    entry per award, with ``details``, goes to the decision log.
    """
    with transaction.atomic():
        batch = decision_batch_open()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PLANNING_LOCK_KEY])
            cursor.execute(_FACT_ENDED_SQL, {
                "on": last_day + dt.timedelta(days=1), "person": person_id,
                "benefits": benefits, "last_day": last_day, "_batch": batch,
                "_decided_by": decided_by, "_details": json.dumps(details, default=str)})
            awards, schedules, cancelled, decisions = cursor.fetchone()
        if decisions:
            decision_batch_close(batch)
    return Stopped(awards, schedules, cancelled)
