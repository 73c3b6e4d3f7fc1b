"""Incremental scans: after a completed scan, look again only at who may have changed.

Between two scans, a person's entitlement under a rule can change for three
reasons only:

1. a fact about them or a relative was recorded: a life event, an import, a
   correction (facts carry ``recorded_at``; BRIN indexes find the recent ones
   cheaply, since rows arrive in time order);
2. time passed: they or a relative reached an age, or a dated fact took effect
   (a birth, a death, a disability determination, the end of an award's period:
   a fact may be recorded before the day it takes effect, or a scan be run as of
   a later day);
3. the law changed: a parameter got a new value, or 1 January indexed every
   pension capital.

(3) sends the rule over the whole population again. (1) and the generic part
of (2) are found here, one step out through family relations because rules
look at parents, children and spouses; the rule's own ``wake_sql`` adds those
whom time alone may make entitled. The result is exact, not a heuristic: a
person outside these sets is judged on the same facts, the same law and the
same time-dependent conditions as by the previous scan, which found them not
entitled (or awarded them already).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from dost.entitlements.models import ScanRun
from dost.entitlements.parameters import history
from dost.entitlements.rules import Rule
from dost.entitlements.stops import DEATH_STOP

# Past this share of the population (and this many people), one pass over everyone
# is cheaper than a list.
MAX_RECHECK_SHARE = 0.2
MAX_RECHECK_ALWAYS = 10_000

_CHANGED_SQL = """
WITH changed AS (
    SELECT id FROM registry_person
    WHERE recorded_at >= %(at)s OR updated_at >= %(at)s
       OR (birth_date > %(since)s AND birth_date <= %(on)s)
       OR (death_date > %(since)s AND death_date <= %(on)s)
    UNION SELECT person_id FROM registry_familyrelation WHERE recorded_at >= %(at)s
    UNION SELECT relative_id FROM registry_familyrelation WHERE recorded_at >= %(at)s
    UNION SELECT person_id FROM registry_employmentspell WHERE recorded_at >= %(at)s
    UNION SELECT person_id FROM registry_contribution WHERE recorded_at >= %(at)s
    UNION SELECT person_id FROM registry_disabilitystatus
          WHERE recorded_at >= %(at)s OR (determined_on > %(since)s AND determined_on <= %(on)s)
    UNION SELECT unnest(people) FROM bridge_inboundevent WHERE received_at >= %(at)s
    UNION SELECT person_id FROM entitlements_award
          WHERE period_end >= %(since)s AND period_end < %(on)s
)
SELECT id FROM changed
UNION SELECT r.relative_id FROM registry_familyrelation r JOIN changed c ON c.id = r.person_id
UNION SELECT r.person_id FROM registry_familyrelation r JOIN changed c ON c.id = r.relative_id
"""


@dataclass(frozen=True)
class Resumption:
    """What a scan may take over from the last completed one."""

    previous: ScanRun
    changed: frozenset[int]


def previous_scan(on: dt.date) -> ScanRun | None:
    """The latest completed scan as of ``on`` or earlier in the same year.

    Only a DONE scan: a running or failed one has chunks not done, people it
    has not looked at yet, so nothing may be taken over from it (a failed scan
    resumed to its end counts once it is done). Across 1 January the
    indexation changes every pension capital, so the first scan of a year
    looks at everyone.
    """
    return (ScanRun.objects.filter(status=ScanRun.Status.DONE, on__lte=on,
                                   on__year=on.year)
            .order_by("-on", "-started_at").first())


def resumption(on: dt.date) -> Resumption | None:
    previous = previous_scan(on)
    if previous is None:
        return None
    with connection.cursor() as cursor:
        recorded_since = previous.started_at - dt.timedelta(
            seconds=settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS)
        cursor.execute(_CHANGED_SQL, {"at": recorded_since, "since": previous.on, "on": on})
        changed = frozenset(row[0] for row in cursor.fetchall())
    return Resumption(previous=previous, changed=changed)


def people_to_stop(resumed: Resumption | None, *, population: int) -> list[int] | None:
    """The people whose death a scan must look for on ``on``, or None for everyone.

    A death took effect or was recorded since the previous scan only for people in
    ``resumed.changed`` (a death dated in (since, on], or a record updated since);
    the previous scan stopped every earlier one, provided it ran the death stop.
    """
    if resumed is None or DEATH_STOP not in resumed.previous.rules:
        return None
    if len(resumed.changed) > max(population * MAX_RECHECK_SHARE, MAX_RECHECK_ALWAYS):
        return None
    return sorted(resumed.changed)


def law_changed(rule: Rule, since: dt.date, on: dt.date) -> bool:
    """Whether a parameter the rule depends on took a new value in (since, on]."""
    return any(since < value.starts_on <= on for name in rule.law for value in history(name))


def people_to_recheck(rule: Rule, resumed: Resumption | None, *, on: dt.date,
                      arguments: dict[str, Any], population: int) -> list[int] | None:
    """The people ``rule`` must look at on ``on``, or None for everyone."""
    if resumed is None or rule.wake_sql is None or rule.code not in resumed.previous.rules:
        return None
    since = resumed.previous.on
    if law_changed(rule, since, on):
        return None
    people = set(resumed.changed)
    if rule.wake_sql:
        with connection.cursor() as cursor:
            cursor.execute(rule.wake_sql, {**arguments, "since": since, "on": on,
                                           "since_at": resumed.previous.started_at})
            people.update(row[0] for row in cursor.fetchall())
    if len(people) > max(population * MAX_RECHECK_SHARE, MAX_RECHECK_ALWAYS):
        return None
    return sorted(people)
