"""A rise of the minimum pension lifts every pension in payment below it, from its date.

The old-age and disability labour pensions are at least the minimum pension
(presidential decrees fix it, from a stated day). Awards made after a rise
already count it; this rule gives those decided before a new period of the same
right from the day of the rise, at the new minimum, and the engine ends the
earlier period the day before, with the months since owed as arrears. The
survivor's pension is a share of the deceased's pension and is not lifted share
by share.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.parameters import parameter_on
from dost.entitlements.rules import Rule, register, rule_for_code
from pensions.explain import amount, day

LIFTED_PENSIONS = {
    "old_age_pension": _("old-age labour pension"),
    "disability_pension": _("disability labour pension"),
}

# {benefit} is one of LIFTED_PENSIONS, written here, never input.
_LIFT_SQL = """
SELECT a.person_id, a.basis_person_id, %(minimum_pension)s AS amount,
       %(minimum_pension_from)s::date AS period_start, a.period_end,
       a.facts || jsonb_build_object('lifted_to_minimum', jsonb_build_object(
           'from', %(minimum_pension_from)s::date, 'before', a.amount::text,
           'after', %(minimum_pension)s::text, 'rule', a.rule)) AS facts
FROM entitlements_award a
JOIN registry_person p ON p.id = a.person_id
WHERE {population} AND a.benefit = '{benefit}' AND a.status = 'awarded'
  AND a.amount < %(minimum_pension)s
  AND a.period_start < %(minimum_pension_from)s
  AND (a.period_end IS NULL OR a.period_end >= %(minimum_pension_from)s)
  AND (p.death_date IS NULL OR p.death_date >= %(minimum_pension_from)s)
"""


def minimum_from(on: dt.date) -> dict[str, Any]:
    """The day the minimum pension in force on ``on`` took effect."""
    return {"minimum_pension_from": parameter_on("minimum_pension", on).starts_on}


def explain_lift(facts: dict[str, Any]) -> list[str]:
    lifted = facts["lifted_to_minimum"]
    try:
        original = rule_for_code(lifted["rule"])
    except LookupError:
        reasons: list[str] = []
    else:
        reasons = [str(line) for line in original.explain(facts)] if original.explain else []
    return [
        *reasons,
        _("The minimum pension rose to %(after)s on %(date)s, so your pension of %(before)s "
          "is raised to it from that day.")
        % {"after": amount(lifted["after"]), "date": day(lifted["from"]),
           "before": amount(lifted["before"])},
    ]


def register_rules() -> None:
    for benefit, title in LIFTED_PENSIONS.items():
        register(Rule(
            code=f"pensions.minimum_lift.{benefit}",
            benefit=benefit,
            title=title,
            legal_source="Law on labour pensions (the minimum pension); presidential decrees "
                         "raising it",
            frequency=Frequency.MONTHLY,
            sql=_LIFT_SQL.replace("{benefit}", benefit),
            parameters=("minimum_pension",),
            prepare=minimum_from,
            # Only a new minimum lifts anyone, and a change of a parameter sends the rule
            # over everyone.
            wake_sql="",
            explain=explain_lift,
        ))
