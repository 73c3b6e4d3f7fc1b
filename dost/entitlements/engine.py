"""Runs rules over the population: one SQL statement per rule and chunk.

Each statement selects the newly entitled, inserts their awards (the unique
constraint turns a repeat into nothing), and in the same statement, hence the
same transaction, queues the SMS and the bank requests or payment schedule
for exactly the awards it created: the outbox.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from dost.entitlements.parameters import history, parameter_on
from dost.entitlements.rules import Rule

_AWARD_SQL = """
WITH candidates AS (
{rule_sql}
),
new_awards AS (
    INSERT INTO entitlements_award
        (person_id, benefit, basis_person_id, rule, amount, frequency, period_start,
         period_end, parameters, facts, scan_run_id)
    SELECT c.person_id, %(_benefit)s, c.basis_person_id, %(_rule)s, c.amount, %(_frequency)s,
           c.period_start, c.period_end, %(_parameters)s::jsonb, c.facts, %(_scan_run)s
    FROM candidates c
    ON CONFLICT DO NOTHING
    RETURNING id, person_id, amount, period_start, period_end
),
recipients AS (
    SELECT a.*, p.phone, p.language, p.bank_account
    FROM new_awards a JOIN registry_person p ON p.id = a.person_id
),
sms AS (
    INSERT INTO notifications_smsmessage (person_id, phone, language, template, context,
                                          dedupe_key)
    SELECT person_id, phone, language, 'award_granted',
           jsonb_build_object('benefit', %(_benefit)s::text, 'amount', amount::text,
                              'award_id', id),
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
    RETURNING 1
),
schedules AS (
    INSERT INTO payments_paymentschedule (person_id, reference, monthly_amount, starts_on,
                                          ends_on)
    SELECT person_id, 'award:' || id, amount, date_trunc('month', period_start)::date,
           period_end
    FROM recipients WHERE %(_frequency)s = 'monthly' AND amount > 0
    RETURNING 1
)
SELECT (SELECT count(*) FROM new_awards), (SELECT count(*) FROM sms),
       (SELECT count(*) FROM bank), (SELECT count(*) FROM schedules)
"""

RANGE_FILTER = "p.id >= %(_lo)s AND p.id < %(_hi)s"
PEOPLE_FILTER = "p.id = ANY(%(_people)s)"


@dataclass(frozen=True)
class RuleOutcome:
    awarded: int
    sms: int
    bank_requests: int
    schedules: int


def rule_arguments(rule: Rule, on: dt.date) -> dict[str, Any]:
    """Everything the rule's SQL needs as of ``on``: looked up once, not per person."""
    used = {name: parameter_on(name, on) for name in rule.parameters}
    arguments: dict[str, Any] = {"on": on}
    arguments.update({name: value.value for name, value in used.items()})
    recorded = {name: value.as_fact() for name, value in used.items()}
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
    """Award ``rule`` to everyone newly entitled on ``on`` among ids [lo, hi) or ``people``."""
    if people is None and (lo is None or hi is None):
        raise ValueError("Give either an id range or a list of people.")
    population = PEOPLE_FILTER if people is not None else RANGE_FILTER
    sql = _AWARD_SQL.format(rule_sql=rule.sql.replace("{population}", population))
    params = dict(arguments or rule_arguments(rule, on))
    params.update({"_benefit": rule.benefit, "_rule": rule.code, "_frequency": rule.frequency,
                   "_scan_run": scan_run_id, "_lo": lo, "_hi": hi, "_people": people})
    with transaction.atomic(), connection.cursor() as cursor:
        # A rule's estimated cost over a chunk makes PostgreSQL compile it to machine
        # code first, which takes longer than running it (seconds per chunk, measured).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        awarded, sms, bank, schedules = cursor.fetchone()
        if awarded:
            _deliver_after_commit()
    return RuleOutcome(awarded, sms, bank, schedules)


def _deliver_after_commit() -> None:
    from dost.notifications.tasks import schedule_delivery as schedule_sms
    from dost.payments.tasks import schedule_delivery as schedule_bank

    schedule_sms()
    schedule_bank()
