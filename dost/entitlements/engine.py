"""Runs rules over the population: two SQL statements per rule and chunk.

The first selects the newly entitled into a temporary table; the second inserts
their awards (the unique constraint on a right's period turns a repeat into
nothing), and in the same statement, hence the same transaction:

- ends the earlier period of the same right (a survivor's share re-split, a
  renewed disability finding) and the pensions the new award replaces (a
  higher labour pension), with their payment schedules;
- works out the arrears of an award that starts in an earlier month, less what
  the periods it replaces already paid for those months;
- queues the SMS and the bank requests or payment schedule for exactly the
  awards it created: the outbox;
- appends every decision (award, change, switch) to the hash-chained decision
  log, the hashes computed in SQL; the batch is closed in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from dost.audit.decisions import decision_batch_close, decision_batch_open, entry_insert_sql
from dost.entitlements.parameters import history, parameter_on
from dost.entitlements.rules import Rule
from dost.payments.services import schedules_end_sql

# Months from the first of ``a`` to the first of ``b``, both dates.
_MONTHS = "((extract(year FROM {b}) - extract(year FROM {a})) * 12 " \
          "+ extract(month FROM {b}) - extract(month FROM {a}))::int"

def _same_right(new: str) -> str:
    """The award ``o`` is the same right (benefit and basis person) as the row ``new``."""
    return (f"(o.benefit = %(_benefit)s"
            f" AND o.basis_person_id IS NOT DISTINCT FROM {new}.basis_person_id)")


def _ends(new: str) -> str:
    """The award ``o`` is one the new award ``new`` (a row with ``person_id``,
    ``basis_person_id`` and ``period_start``) ends: still running monthly when it starts,
    and either the same right's earlier period or a benefit the rule replaces."""
    return f"""(o.person_id = {new}.person_id AND o.status = 'awarded'
            AND o.frequency = 'monthly'
            AND (o.period_end IS NULL OR o.period_end >= {new}.period_start)
            AND (({_same_right(new)} AND o.period_start < {new}.period_start)
                 OR (o.benefit = ANY(%(_replaces)s) AND NOT {_same_right(new)})))"""


# The decisions a rule's statement takes: its awards, and the periods they end.
_DECISIONS = """
        SELECT 'award' AS kind, a.person_id, a.id AS award_id, %(_benefit)s AS subject,
               %(_rule)s AS decided_by,
               jsonb_build_object('amount', a.amount::text, 'period_start', a.period_start,
                                  'period_end', a.period_end, 'arrears', a.arrears::text,
                                  'basis_person', a.basis_person_id) AS details,
               audit_facts_hash(a.facts, %(_parameters)s::jsonb) AS facts_hash
        FROM new_awards a
        UNION ALL
        SELECT CASE e.end_reason WHEN 'switch' THEN 'switch' ELSE 'change' END, e.person_id,
               e.id, e.benefit, %(_rule)s,
               jsonb_build_object('period_end', e.period_end, 'reason', e.end_reason,
                                  'replaced_by', e.replaced_by),
               audit_facts_hash(NULL, %(_parameters)s::jsonb)
        FROM ended e
"""

_AWARD_SQL = """
WITH candidates AS (
    SELECT * FROM rule_candidates
),
priced AS MATERIALIZED (
    SELECT c.*, pay.pay_from,
           CASE WHEN %(_frequency)s = 'monthly' THEN greatest(0,
               c.amount * greatest(0, 1 + {months_due})
               - coalesce(paid.amount, 0))
           ELSE 0 END AS arrears
    -- Whether an earlier period of the same right is offered in this statement too (a
    -- first scan long after the right arose offers every period since): that one pays
    -- the month this one begins in, as it would had it been awarded first.
    FROM (SELECT c.*, lag(c.period_start) OVER (PARTITION BY c.person_id, c.basis_person_id
                                                ORDER BY c.period_start) AS offered_before
          FROM candidates c) c
    -- The periods this award ends: the same right's earlier period, and the pensions
    -- it replaces. The month they were last paid for is not paid again.
    LEFT JOIN LATERAL (
        SELECT max(o.id) AS replaced,
               max(date_trunc('month', greatest(c.period_start, o.period_start) - 1)::date)
                   AS last_month
        FROM entitlements_award o
        WHERE {ends_c}
    ) old ON %(_frequency)s = 'monthly'
    CROSS JOIN LATERAL (
        SELECT greatest(date_trunc('month', c.period_start)::date,
                        (old.last_month + interval '1 month')::date,
                        CASE WHEN c.offered_before IS NOT NULL
                             THEN (date_trunc('month', c.period_start - 1)
                                   + interval '1 month')::date END) AS pay_from
    ) pay
    -- What the replaced periods were already paid for the months this award now pays.
    LEFT JOIN LATERAL (
        SELECT sum(m.amount) AS amount
        FROM entitlements_award o
        JOIN payments_paymentschedule s ON s.reference = 'award:' || o.id
        JOIN payments_payment m ON m.schedule_id = s.id
        WHERE old.replaced IS NOT NULL AND {ends_c}
          AND m.month >= pay.pay_from AND m.month < date_trunc('month', %(on)s::date)
          AND m.status IN ('sent', 'paid')
    ) paid ON true
),
new_awards AS (
    INSERT INTO entitlements_award
        (person_id, benefit, basis_person_id, rule, amount, frequency, period_start,
         period_end, parameters, facts, scan_run_id, arrears)
    SELECT c.person_id, %(_benefit)s, c.basis_person_id, %(_rule)s, c.amount, %(_frequency)s,
           c.period_start, c.period_end, %(_parameters)s::jsonb, c.facts, %(_scan_run)s,
           c.arrears
    FROM priced c
    -- The period's key, named: the deferred one-labour-pension constraint cannot be an
    -- arbiter, and must raise rather than silently drop an award.
    ON CONFLICT (person_id, benefit, basis_person_id, period_start) DO NOTHING
    RETURNING id, person_id, basis_person_id, amount, period_start, period_end, arrears, facts
),
-- Rows inserted above are invisible to this UPDATE (one snapshot), so it never ends
-- the awards it is ending others for.
ended AS (
    UPDATE entitlements_award o
    SET period_end = greatest(n.period_start, o.period_start) - 1,
        period_end_before = coalesce(o.period_end_before, o.period_end),
        -- Another right it replaces is superseded; the same right's earlier period just ends.
        status = CASE WHEN {same_right_n} THEN o.status ELSE 'superseded' END,
        end_reason = CASE WHEN {same_right_n} THEN 'new_period' ELSE 'switch' END
    FROM (SELECT person_id, basis_person_id, min(period_start) AS period_start,
                 min(id) AS award_id
          FROM new_awards GROUP BY person_id, basis_person_id) n
    WHERE %(_frequency)s = 'monthly' AND {ends_n}
    RETURNING o.id, o.person_id, o.benefit, o.amount, o.period_end, o.status, o.end_reason,
              n.award_id AS replaced_by
),
{ended_schedules},
recipients AS (
    SELECT a.*, c.pay_from, p.phone, p.language, p.bank_account,
           switched.benefit AS switched_from
    FROM new_awards a
    JOIN registry_person p ON p.id = a.person_id
    -- A join, not a subquery per award: a re-split may end many periods at once.
    LEFT JOIN (SELECT DISTINCT ON (e.replaced_by) e.replaced_by, e.benefit FROM ended e
               WHERE e.end_reason = 'switch' ORDER BY e.replaced_by, e.benefit) switched
           ON switched.replaced_by = a.id
    JOIN priced c ON c.person_id = a.person_id AND c.period_start = a.period_start
                 AND c.basis_person_id IS NOT DISTINCT FROM a.basis_person_id
),
sms AS (
    INSERT INTO notifications_smsmessage (person_id, phone, language, template, context,
                                          dedupe_key)
    SELECT person_id, phone, language,
           CASE WHEN switched_from IS NULL THEN 'award_granted' ELSE 'award_switched' END,
           jsonb_build_object('benefit', %(_benefit)s::text, 'amount', amount::text,
                              'award_id', id, 'from', period_start, 'replaced', switched_from,
                              'arrears', arrears::text),
           'award:' || id
    FROM recipients WHERE phone <> ''
    RETURNING 1
),
bank AS (
    INSERT INTO payments_bankrequest (person_id, reference, kind, amount, iban)
    SELECT person_id, 'award:' || id || ':account', 'open_account', 0, ''
    FROM recipients WHERE bank_account = ''
    UNION ALL
    SELECT person_id, 'award:' || id, 'payment', amount, bank_account
    FROM recipients WHERE %(_frequency)s = 'once'
    UNION ALL
    SELECT person_id, 'award:' || id || ':arrears', 'payment', arrears, bank_account
    FROM recipients WHERE arrears > 0
    RETURNING 1
),
schedules AS (
    INSERT INTO payments_paymentschedule (person_id, reference, monthly_amount, starts_on,
                                          ends_on)
    SELECT person_id, 'award:' || id, amount, pay_from, period_end
    FROM recipients WHERE %(_frequency)s = 'monthly' AND amount > 0
    RETURNING 1
),
decisions AS (
{decisions}
    RETURNING 1
)
SELECT (SELECT count(*) FROM new_awards), (SELECT count(*) FROM sms),
       (SELECT count(*) FROM bank), (SELECT count(*) FROM schedules),
       (SELECT count(*) FROM ended), (SELECT count(*) FROM decisions)
""".replace("{ends_c}", _ends("c")).replace("{ends_n}", _ends("n")).replace(
    "{same_right_n}", _same_right("n")).replace(
    "{ended_schedules}", schedules_end_sql(ended="ended")).replace(
    "{decisions}", entry_insert_sql(select_sql=_DECISIONS)).replace("{months_due}", _MONTHS.format(
    a="pay.pay_from",
    b="least(date_trunc('month', %(on)s::date) - interval '1 month', "
      "date_trunc('month', coalesce(c.period_end, 'infinity'::date)))"))

RANGE_FILTER = "p.id >= %(_lo)s AND p.id < %(_hi)s"
PEOPLE_FILTER = "p.id = ANY(%(_people)s)"


@dataclass(frozen=True)
class RuleOutcome:
    awarded: int
    sms: int
    bank_requests: int
    schedules: int
    ended: int = 0
    decisions: int = 0


class RuleNotInForce(LookupError):
    """The scan date is before the law the rule applies came into force."""


def rule_arguments(rule: Rule, on: dt.date) -> dict[str, Any]:
    """Everything the rule's SQL needs as of ``on``: looked up once, not per person.

    Raises ``RuleNotInForce`` when a parameter has no value yet on ``on``, and
    ``ParameterMissing`` (from ``prepare``) when the law has not given a value
    the rule needs (a year's indexation rate): the rule then holds.
    """
    used = {}
    for name in rule.parameters:
        values = history(name)
        if not values or values[0].starts_on > on:
            raise RuleNotInForce(f"{rule.code}: {name} has no value on {on}.")
        used[name] = parameter_on(name, on)
    arguments: dict[str, Any] = {"on": on}
    arguments.update({name: value.value for name, value in used.items()})
    recorded: dict[str, Any] = {name: value.as_fact() for name, value in used.items()}
    for name in rule.dated_parameters:
        values = history(name)
        arguments[f"{name}__starts"] = [value.starts_on for value in values]
        arguments[f"{name}__values"] = [value.value for value in values]
        recorded[name] = [value.as_fact() for value in values if value.starts_on <= on]
    if rule.prepare is not None:
        arguments.update(rule.prepare(on))
    arguments["_parameters"] = json.dumps(recorded)
    return arguments


def run_rule(rule: Rule, *, on: dt.date, lo: int | None = None, hi: int | None = None,
             people: list[int] | None = None, scan_run_id: int | None = None,
             arguments: dict[str, Any] | None = None) -> RuleOutcome:
    """Award ``rule`` to everyone newly entitled on ``on`` among ids [lo, hi) or ``people``.

    Must run inside a transaction (it opens one if there is none): the awards, their
    outbox rows and their decision-log batch commit together.
    """
    if people is None and (lo is None or hi is None):
        raise ValueError("Give either an id range or a list of people.")
    population = PEOPLE_FILTER if people is not None else RANGE_FILTER
    select_sql = rule.sql.replace("{population}", population)
    params = dict(arguments or rule_arguments(rule, on))
    params.update({"_benefit": rule.benefit, "_rule": rule.code, "_frequency": rule.frequency,
                   "_replaces": list(rule.replaces), "_scan_run": scan_run_id, "_lo": lo,
                   "_hi": hi, "_people": people})
    with transaction.atomic():
        params["_batch"] = decision_batch_open()
        with connection.cursor() as cursor:
            # A rule's estimated cost over a chunk makes PostgreSQL compile it to machine
            # code first, which takes longer than running it (seconds per chunk, measured).
            cursor.execute("SET LOCAL jit = off")
            _award_statistics_refresh(cursor)
            # The rule's selection runs as a statement of its own: inside the statement
            # that writes, PostgreSQL plans it worse (measured on the old-age rule over
            # 100k people: 3.3 s there, 1.2 s alone). A life event runs every rule in one
            # transaction, hence the drop.
            cursor.execute("DROP TABLE IF EXISTS pg_temp.rule_candidates")
            cursor.execute(f"CREATE TEMP TABLE rule_candidates ON COMMIT DROP AS {select_sql}",
                           params)
            cursor.execute(_AWARD_SQL, params)
            awarded, sms, bank, schedules, ended, decisions = cursor.fetchone()
        if decisions:
            decision_batch_close(params["_batch"])
        if awarded:
            _deliver_after_commit()
    return RuleOutcome(awarded, sms, bank, schedules, ended, decisions)


def _award_statistics_refresh(cursor: Any) -> None:
    """Bring the planner's statistics of the awards up to date when they have fallen behind.

    Every rule looks the awards up (already awarded? drawing a pension? which periods
    does this one end?). A first scan fills the table within minutes, faster than
    autovacuum analyses it, and with statistics of a much smaller (or an emptied) table
    PostgreSQL takes those look-ups for a handful of rows and plans them as repeated
    scans: the same chunk then ran in 1 s or in 12 s. Analysing here, once the table has
    doubled since it was last analysed, keeps every chunk on the plan the table's size
    calls for; it costs a sample of the key columns, not a read of the table, a few
    times in a first scan and not at all in a day's.

    Growth is read from the table's size against the pages ANALYZE recorded, both
    current at once: the activity statistics (``n_mod_since_analyze``) are a snapshot
    held for the whole transaction, so a scan run in one transaction would analyse on
    every chunk. A worker finding another analysing moves on.
    """
    cursor.execute(
        """
        SELECT CASE WHEN pg_relation_size(c.oid) / current_setting('block_size')::int
                         > greatest(%(least)s, c.relpages * (1 + %(share)s))
                    THEN pg_try_advisory_xact_lock(%(lock)s) ELSE false END
        FROM pg_class c WHERE c.oid = 'entitlements_award'::regclass
        """,
        {"least": _STALE_AFTER_PAGES, "share": _STALE_AFTER_SHARE, "lock": _ANALYZE_LOCK},
    )
    row = cursor.fetchone()
    if row and row[0]:
        # The columns rules look awards up by, not the facts and parameters: a sample of
        # those documents costs more than the rest of the table.
        cursor.execute("ANALYZE entitlements_award (person_id, basis_person_id, benefit, "
                       "status, frequency, period_start, period_end, end_reason)")


# As autovacuum's analyze threshold, but for a table written in bulk: about 5,000 awards
# (8 to a page), then twice as many as at the last analysis. (Every fifth more cost
# 4 s of a 1M-person first scan in analyses, for no faster plans.)
_STALE_AFTER_PAGES = 625
_STALE_AFTER_SHARE = 1.0
# An advisory lock key of its own (the bytes of "award st").
_ANALYZE_LOCK = 0x6177617264207374


def _deliver_after_commit() -> None:
    from dost.notifications.tasks import schedule_delivery as schedule_sms
    from dost.payments.tasks import schedule_delivery as schedule_bank

    schedule_sms()
    schedule_bank()
