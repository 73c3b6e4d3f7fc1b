"""From a disability or survivor's pension to the old-age pension at retirement age.

A person drawing a disability or survivor's pension who reaches retirement age
gets the old-age pension only when it is higher; otherwise they keep what they
have. The switch happens from the day the old-age pension arose (the day of
retirement, or 1 January of the scan's year: the yearly indexation of the
capital is what may have made it the higher one). The engine ends the replaced
pension the day before in the same statement, and pays the difference for the
months since as arrears; the month of the switch is paid by the replaced one.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    LABOUR_PENSION_REPLACES,
    OLD_AGE_AMOUNT_FACTS,
    OLD_AGE_PARAMETERS,
    REACHING_RETIREMENT_SQL,
    REPLACEABLE_PENSIONS,
    RETIREMENT_AGE_PARAMETERS,
    capital_indexation,
    capital_of,
    old_age_amount,
    old_age_entitled,
    retirement_band,
    retirement_months,
)
from pensions.explain import (
    day,
    explain_indexations,
    explain_old_age_amount,
    explain_retirement_age,
    money,
)

_REPLACEABLE = ", ".join(f"'{benefit}'" for benefit in REPLACEABLE_PENSIONS)

# For a scan after a completed one: those reaching the retirement age, and those
# granted a pension this rule may replace since the last scan began (a survivor's
# pension may be awarded at retirement age, after this rule's turn in that scan).
WAKE_SQL = f"""
{REACHING_RETIREMENT_SQL}
UNION
SELECT h.person_id FROM entitlements_award h
WHERE h.benefit IN ({_REPLACEABLE}) AND h.decided_at >= %(since_at)s
"""  # noqa: S608

# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
TRANSITION_SQL = f"""
SELECT a.id AS person_id, NULL::bigint AS basis_person_id,
       {old_age_amount("cap.capital")} AS amount,
       a.starts_on AS period_start, NULL::date AS period_end,
       jsonb_build_object(
           'birth_date', a.birth_date, 'sex', a.sex,
           'retirement_age_months', a.retirement_months, 'reached_on', a.reached_on,
           {OLD_AGE_AMOUNT_FACTS},
           'replaced_award', a.replaced_id, 'replaced_benefit', a.replaced_benefit,
           'replaced_amount', a.replaced_amount, 'replaced_from', a.starts_on) AS facts
FROM (
    SELECT p.id, p.sex, p.birth_date, r.months AS retirement_months, r.reached_on,
           -- From the day the higher pension arose: the day of retirement, or 1 January
           -- of this year, since the yearly indexation of the capital is what may have made
           -- the old-age pension the higher one (the comparison holds for this year).
           greatest(r.reached_on, date_trunc('year', %(on)s::date)::date) AS starts_on,
           h.id AS replaced_id, h.benefit AS replaced_benefit, h.amount AS replaced_amount
    FROM registry_person p
    -- Someone drawing both is compared with the higher of the two.
    JOIN LATERAL (SELECT h.id, h.benefit, h.amount FROM entitlements_award h
                  WHERE h.person_id = p.id AND h.benefit IN ({_REPLACEABLE})
                    AND h.status = 'awarded'
                    AND (h.period_end IS NULL OR h.period_end >= %(on)s)
                  ORDER BY h.amount DESC, h.id LIMIT 1) h ON true
    {retirement_months("p")}
    WHERE p.death_date IS NULL AND {{population}}
      AND {retirement_band("p.birth_date", reached_by="%(on)s")} AND r.reached_on <= %(on)s
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.benefit = 'old_age_pension' AND w.person_id = p.id
                        AND w.basis_person_id IS NULL
                      OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
    -- OFFSET 0 keeps PostgreSQL from merging this selection into the outer query: the
    -- cheap tests above then run first, and the capital below is computed only for
    -- the people who pass them, not for everyone of the age.
    OFFSET 0
) a
{capital_of("a.id")}
WHERE {old_age_entitled("cap.capital", "cap.insured_years")}
  AND {old_age_amount("cap.capital")} > a.replaced_amount
"""  # noqa: S608

REPLACED_TITLES = {
    "disability_pension": _("disability labour pension"),
    "survivor_pension": _("survivor's labour pension"),
}


def explain_transition(facts: dict[str, Any]) -> list[str]:
    replaced = REPLACED_TITLES.get(facts["replaced_benefit"], facts["replaced_benefit"])
    return [
        explain_retirement_age(facts),
        *explain_old_age_amount(facts),
        _("This is more than your %(pension)s of %(amount)s, which the old-age pension "
          "replaces from %(date)s.")
        % {"pension": replaced, "amount": money(facts, "replaced_amount"),
           "date": day(facts["replaced_from"])},
        *explain_indexations(facts),
    ]


def register_rules() -> None:
    register(Rule(
        code="pensions.old_age_transition",
        benefit="old_age_pension",
        replaces=LABOUR_PENSION_REPLACES,
        title=_("old-age labour pension"),
        legal_source="Law on labour pensions, arts. 7-8 (one labour pension at a time: the "
                     "higher one)",
        frequency=Frequency.MONTHLY,
        sql=TRANSITION_SQL,
        parameters=OLD_AGE_PARAMETERS,
        dated_parameters=RETIREMENT_AGE_PARAMETERS,
        prepare=capital_indexation,
        watches=("pension_capital_indexation",),
        wake_sql=WAKE_SQL,
        explain=explain_transition,
    ))
