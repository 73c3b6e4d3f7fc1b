"""Proactive rules of the State Social Protection Fund: pensions and the childbirth allowance.

Each rule's SQL selects, for the beneficiaries ``p`` in ``{population}``, the
people newly entitled on ``%(on)s`` who hold no such award yet, and computes
the amount and the facts the decision relied on in the same statement.

The childbirth allowance and the old-age pension live here; the disability,
survivor's, early old-age and transition rules have a module each, and
``register_rules`` registers them all from ``PensionsConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.rules import Rule, register
from pensions import (
    rules_disability,
    rules_early,
    rules_minimum,
    rules_social,
    rules_survivor,
    rules_transition,
)
from pensions.capital import (
    LABOUR_PENSION_REPLACES,
    OLD_AGE_AMOUNT_FACTS,
    OLD_AGE_PARAMETERS,
    REACHING_RETIREMENT_SQL,
    REPLACEABLE_PENSIONS,
    RETIREMENT_AGE_PARAMETERS,
    capital_indexation,
    capital_of,
    holds_replaceable_pension,
    old_age_amount,
    old_age_entitled,
    retirement_band,
    retirement_months,
)
from pensions.explain import (
    awarded_amount,
    day,
    explain_indexations,
    explain_old_age_amount,
    explain_retirement_age,
    from_parameter,
)

__all__ = ["capital_indexation", "register_rules"]

CHILDBIRTH_SQL = """
SELECT p.id AS person_id, c.id AS basis_person_id,
       (SELECT v FROM unnest(%(childbirth_allowance__starts)s::date[],
                             %(childbirth_allowance__values)s::numeric[]) AS t(s, v)
        WHERE s <= c.birth_date ORDER BY s DESC LIMIT 1) AS amount,
       c.birth_date AS period_start, NULL::date AS period_end,
       jsonb_build_object('child_fin', c.fin, 'child_name', c.first_name,
                          'child_birth_date', c.birth_date, 'mother_fin', p.fin) AS facts
FROM registry_familyrelation r
JOIN registry_person c ON c.id = r.person_id
JOIN registry_person p ON p.id = r.relative_id
WHERE r.kind = 'parent' AND p.sex = 'F' AND p.death_date IS NULL
  AND c.birth_date <= %(on)s
  AND c.birth_date > %(on)s::date - %(childbirth_claim_window_days)s::int
  AND c.birth_date >= (%(childbirth_allowance__starts)s::date[])[1]
  AND {population}
  AND NOT EXISTS (SELECT 1 FROM entitlements_award a
                  WHERE a.benefit = 'childbirth_allowance' AND a.person_id = p.id
                    AND a.basis_person_id = c.id
                  OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
"""

_REPLACEABLE = ", ".join(f"'{benefit}'" for benefit in REPLACEABLE_PENSIONS)

# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
OLD_AGE_SQL = f"""
SELECT a.id AS person_id, NULL::bigint AS basis_person_id,
       {old_age_amount("cap.capital")} AS amount,
       a.starts_on AS period_start, NULL::date AS period_end,
       jsonb_build_object(
           'birth_date', a.birth_date, 'sex', a.sex,
           'retirement_age_months', a.retirement_months, 'reached_on', a.reached_on,
           {OLD_AGE_AMOUNT_FACTS}) AS facts
FROM (
    SELECT p.id, p.sex, p.birth_date, r.months AS retirement_months, r.reached_on,
           -- A disability or survivor's pension that ran on past the retirement day, and
           -- has run out since, was the person's one labour pension until it ended.
           greatest(r.reached_on,
                    (SELECT max(h.period_end) + 1 FROM entitlements_award h
                     WHERE h.person_id = p.id AND h.benefit IN ({_REPLACEABLE})
                       AND h.status = 'awarded' AND h.period_end >= r.reached_on))
               AS starts_on
    FROM registry_person p
    {retirement_months("p")}
    WHERE p.death_date IS NULL AND {{population}}
      -- Retired by the age in force on the day they reached it, even if no scan saw
      -- that day: the pension starts then (reached_on), not on the scan date.
      AND {retirement_band("p.birth_date", reached_by="%(on)s")}
      AND r.reached_on <= %(on)s
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.benefit = 'old_age_pension' AND w.person_id = p.id
                        AND w.basis_person_id IS NULL
                      OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
      -- A disability or survivor's pensioner moves to the old-age pension only when it
      -- is higher: pensions.old_age_transition decides that, comparing the two amounts.
      AND NOT {holds_replaceable_pension("p.id")}
    -- A fence: rule out those already awarded before computing anyone's capital,
    -- which the planner would otherwise push below the anti-join.
    OFFSET 0
) a
{capital_of("a.id")}
WHERE {old_age_entitled("cap.capital", "cap.insured_years")}
"""  # noqa: S608


def explain_childbirth(facts: dict[str, Any]) -> list[str]:
    return [
        _("A child, %(name)s, was born on %(date)s and you are recorded as the mother.")
        % {"name": facts["child_name"], "date": day(facts["child_birth_date"])},
        _("The allowance for a child born on that day is %(amount)s, paid once.")
        % {"amount": from_parameter(awarded_amount(facts), facts, "childbirth_allowance")},
    ]


def explain_old_age(facts: dict[str, Any]) -> list[str]:
    return [
        explain_retirement_age(facts),
        *explain_old_age_amount(facts),
        *explain_indexations(facts),
    ]


def register_rules() -> None:
    register(Rule(
        code="pensions.childbirth_allowance",
        benefit="childbirth_allowance",
        title=_("lump-sum childbirth allowance"),
        legal_source="Law on social benefits, art. 9",
        frequency=Frequency.ONCE,
        sql=CHILDBIRTH_SQL,
        parameters=("childbirth_claim_window_days",),
        dated_parameters=("childbirth_allowance",),
        # A birth is a recorded fact; time only closes the claim window.
        wake_sql="",
        explain=explain_childbirth,
    ))
    register(Rule(
        code="pensions.old_age",
        benefit="old_age_pension",
        replaces=LABOUR_PENSION_REPLACES,
        title=_("old-age labour pension"),
        legal_source="Law on labour pensions, arts. 7-8",
        frequency=Frequency.MONTHLY,
        sql=OLD_AGE_SQL,
        parameters=OLD_AGE_PARAMETERS,
        dated_parameters=RETIREMENT_AGE_PARAMETERS,
        prepare=capital_indexation,
        watches=("pension_capital_indexation",),
        # (Those whose disability or survivor's pension ran out, dost.entitlements.incremental
        # finds for every rule.)
        wake_sql=REACHING_RETIREMENT_SQL,
        explain=explain_old_age,
    ))
    rules_disability.register_rules()
    rules_survivor.register_rules()
    rules_early.register_rules()
    rules_transition.register_rules()
    # After the rules it lifts, so that each benefit's title is looked up from them.
    rules_minimum.register_rules()
    # Last: the social benefits go to those the labour pensions above leave out.
    rules_social.register_rules()
