"""The registry of entitlement rules that apps plug in from their ``rules.py``.

A rule is a set-based SQL selection of the people newly entitled on a date,
with the amount computed in the same statement. Its SQL returns the columns
``person_id, basis_person_id, amount, period_start, period_end, facts`` and
contains ``{population}``, which the engine replaces by a filter on the
beneficiary alias ``p`` (a chunk of ids, or the people an event touched).

Parameters are looked up once per run, never per person: ``parameters``
are passed as ``%(name)s`` (value in force on the scan date) and
``dated_parameters`` as ``%(name__starts)s`` / ``%(name__values)s`` arrays,
for amounts that depend on the date of the event (a birth before a law
change gets the old amount). ``prepare`` may add derived values; ``watches``
names parameters it reads, so a change of them is noticed.

``replaces`` names other benefits a person cannot hold at the same time
(one labour pension at a time): the rule's SQL offers an award only when it is
the better one, and the engine ends what it replaces the day before it starts.
``arises_from_death`` marks rules whose awards rest on the death of the basis
person (survivor's pensions, funeral grants): if the civil registry annuls the
death, they are annulled.

A rule's look-ups of awards ("already awarded?", "drawing a labour pension?") end
in ``OFFSET 0``, which keeps each one a probe of the person's (or basis person's)
awards by index. Without it PostgreSQL turns them into joins planned on the
statistics of the award table, which a first scan outgrows within minutes: with
none yet of the rule's own benefit, it took the benefit's awards for one row and
compared every candidate with every one of them (a 1 s chunk took 16 s, 1M people).

``wake_sql`` lets a scan after a completed one look only at who may have
changed (see ``dost.entitlements.incremental``). It selects a column ``id``
of the people who may become entitled by the passage of time alone between
``%(since)s`` (exclusive) and ``%(on)s`` (inclusive) with facts and law
unchanged: those reaching an age, say (``%(since_at)s`` is when the previous
scan started, for awards made since that another rule builds on). ``""``
means time alone never makes anyone entitled; ``None`` (the default) makes
every scan run the rule over the whole population.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from dost.entitlements.models import Frequency


@dataclass(frozen=True)
class Rule:
    code: str
    benefit: str
    title: str | Promise
    legal_source: str
    frequency: str
    sql: str
    parameters: tuple[str, ...] = ()
    dated_parameters: tuple[str, ...] = ()
    prepare: Callable[[dt.date], dict[str, Any]] | None = None
    watches: tuple[str, ...] = ()
    wake_sql: str | None = None
    replaces: tuple[str, ...] = ()
    arises_from_death: bool = False
    explain: Callable[[dict[str, Any]], list[str]] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.frequency not in Frequency.values:
            raise ValueError(f"{self.code}: unknown frequency {self.frequency}")
        if "{population}" not in self.sql:
            raise ValueError(f"{self.code}: the SQL must filter on {{population}}")
        if self.wake_sql and "{population}" in self.wake_sql:
            raise ValueError(f"{self.code}: wake_sql selects people, it takes no population")

    @property
    def law(self) -> tuple[str, ...]:
        """Every parameter the rule's outcome depends on."""
        return (*self.parameters, *self.dated_parameters, *self.watches)


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule (from an AppConfig.ready()); a code may be registered once."""
    from dost.notifications.templates import register_benefit_title

    existing = _RULES.get(rule.code)
    if existing is not None and existing != rule:
        raise ValueError(f"Rule {rule.code} is registered twice.")
    _RULES[rule.code] = rule
    register_benefit_title(rule.benefit, rule.title)
    return rule


def all_rules() -> list[Rule]:
    return list(_RULES.values())


def rule_for_benefit(benefit: str) -> Rule | None:
    return next((rule for rule in _RULES.values() if rule.benefit == benefit), None)


def rule_for_code(code: str) -> Rule:
    try:
        return _RULES[code]
    except KeyError as exc:
        raise LookupError(f"No rule {code} is registered.") from exc
