"""Early old-age pension for mothers of many children or of a child with disability.

A woman who raised 5 or more children to the age of 8 (adopted or taken into
guardianship before 8 included), or whose child has reached 8 and has a
current disability, may retire 5 years before the retirement age (law of
2024-04-19). The amount is the old-age amount. The award is an
``old_age_pension``, so the unique constraint on awards keeps her from ever
holding two old-age pensions, whichever rule finds her first.

Not yet covered: fathers (the law allows them only when the mother died, is
missing, lost parental rights, or the children stayed with him after a divorce;
the registry does not hold those facts yet).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.parameters import history
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    LABOUR_PENSION_REPLACES,
    OLD_AGE_AMOUNT_FACTS,
    OLD_AGE_PARAMETERS,
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
    age_text,
    day,
    explain_indexations,
    explain_old_age_amount,
    money,
    months,
)
from pensions.rules_transition import REPLACED_TITLES

_REPLACEABLE = ", ".join(f"'{benefit}'" for benefit in REPLACEABLE_PENSIONS)

# How much earlier than the retirement age the law lets her retire.
EARLY_BY = "%(early_retirement_children_months)s"

# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
EARLY_SQL = f"""
SELECT e.id AS person_id, NULL::bigint AS basis_person_id,
       {old_age_amount("cap.capital")} AS amount,
       greatest(e.reached_on, e.qualified_on, %(early_retirement_law_start)s::date)
           AS period_start,
       NULL::date AS period_end,
       jsonb_build_object(
           'birth_date', e.birth_date, 'sex', 'F',
           'retirement_age_months', e.early_months + %(early_retirement_children_months)s,
           'early_by_months', %(early_retirement_children_months)s,
           'reached_on', e.reached_on, 'children', e.children,
           'children_required', %(early_retirement_children_count)s,
           'child_age', %(early_retirement_child_age_years)s,
           'children_with_disability', e.children_with_disability,
           'replaced_benefit', held.benefit, 'replaced_amount', held.amount,
           {OLD_AGE_AMOUNT_FACTS}) AS facts
FROM (
    SELECT p.id, p.birth_date, k.children, k.children_with_disability, k.qualified_on,
           er.months AS early_months, er.reached_on
    FROM registry_person p
    -- The cohort rule of the full age, applied to the age less the early months: she
    -- may retire on the first day her age reaches the early age in force that day.
    {retirement_months("p", "er", earlier_by=EARLY_BY)}
    {retirement_months("p", "full_age")}
    CROSS JOIN LATERAL (
        SELECT count(*) AS children,
               count(*) FILTER (WHERE kid.disabled_since IS NOT NULL)
                   AS children_with_disability,
               -- The day the condition was first met: the required number of children
               -- had reached the age, or a child with disability had.
               least((array_agg(kid.of_age ORDER BY kid.of_age))
                         [%(early_retirement_children_count)s::int],
                     min(greatest(kid.of_age, kid.disabled_since))
                         FILTER (WHERE kid.disabled_since IS NOT NULL)) AS qualified_on
        FROM (
            SELECT DISTINCT ON (c.id) c.id,
                   (c.birth_date + make_interval(years => %(early_retirement_child_age_years)s))
                       ::date AS of_age,
                   CASE WHEN c.death_date IS NULL THEN dis.determined_on END AS disabled_since
            FROM registry_familyrelation r
            JOIN registry_person c ON c.id = r.person_id
            LEFT JOIN LATERAL (SELECT s.determined_on FROM registry_disabilitystatus s
                               WHERE s.person_id = c.id AND s.determined_on <= %(on)s
                                 AND (s.valid_until IS NULL OR s.valid_until > %(on)s)
                               ORDER BY s.determined_on DESC LIMIT 1) dis ON true
            WHERE r.relative_id = p.id AND r.kind IN ('parent', 'guardian')
              -- Raised by her: in the family before the age, and alive at it.
              AND coalesce(r.since, c.birth_date)
                  < c.birth_date + make_interval(years => %(early_retirement_child_age_years)s)
              AND c.birth_date
                  <= %(on)s::date - make_interval(years => %(early_retirement_child_age_years)s)
              AND (c.death_date IS NULL OR c.death_date
                   >= c.birth_date + make_interval(years => %(early_retirement_child_age_years)s))
        ) kid
    ) k
    WHERE p.sex = 'F' AND p.death_date IS NULL AND {{population}}
      AND {retirement_band("p.birth_date", reached_by="%(on)s", earlier_by=EARLY_BY)}
      AND er.reached_on <= %(on)s
      -- From the full retirement age on, pensions.old_age awards her pension: the two
      -- rules never compete for the same woman on the same day.
      AND {retirement_band("p.birth_date", reached_after="%(on)s")}
      AND full_age.reached_on > %(on)s
      AND (k.children >= %(early_retirement_children_count)s
           OR k.children_with_disability > 0)
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.benefit = 'old_age_pension' AND w.person_id = p.id
                        AND w.basis_person_id IS NULL
                      OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
    -- OFFSET 0 keeps PostgreSQL from merging this selection into the outer query: the
    -- cheap tests above then run first, and the capital below is computed only for
    -- the people who pass them, not for everyone of the age.
    OFFSET 0
) e
{capital_of("e.id")}
-- One labour pension at a time: a disability or survivor's pensioner switches to this
-- one only if it is higher (the engine then ends the other from the same day).
LEFT JOIN LATERAL (SELECT h.benefit, h.amount FROM entitlements_award h
                   WHERE h.person_id = e.id AND h.benefit IN ({_REPLACEABLE})
                     AND h.status = 'awarded'
                     AND (h.period_end IS NULL OR h.period_end >= %(on)s)
                   ORDER BY h.amount DESC, h.id LIMIT 1) held ON true
WHERE {old_age_entitled("cap.capital", "cap.insured_years")}
  AND (held.amount IS NULL OR {old_age_amount("cap.capital")} > held.amount)
"""  # noqa: S608


# For a scan after a completed one: women reaching the early retirement age, and
# parents whose child reaches the age that counts (raised to it).
WAKE_SQL = f"""
SELECT p.id FROM registry_person p
{retirement_months("p", "er", earlier_by=EARLY_BY)}
WHERE p.sex = 'F' AND p.death_date IS NULL
  AND {retirement_band("p.birth_date", reached_after="%(since)s", reached_by="%(on)s",
                       earlier_by=EARLY_BY)}
  AND er.reached_on > %(since)s AND er.reached_on <= %(on)s
UNION
SELECT r.relative_id FROM registry_person c
JOIN registry_familyrelation r ON r.person_id = c.id AND r.kind IN ('parent', 'guardian')
WHERE c.birth_date > %(since)s::date - make_interval(years => %(early_retirement_child_age_years)s)
  AND c.birth_date <= %(on)s::date - make_interval(years => %(early_retirement_child_age_years)s)
"""  # noqa: S608 (composed from this package's fragments; values are parameters)


def early_arguments(on: dt.date) -> dict[str, Any]:
    """Indexation factors, and the day the law began: no early pension is paid before it."""
    arguments = capital_indexation(on)
    first = history("early_retirement_children_months")[0]
    arguments["early_retirement_law_start"] = first.starts_on
    return arguments


def explain_early(facts: dict[str, Any]) -> list[str]:
    age = int(facts["retirement_age_months"]) - int(facts["early_by_months"])
    if int(facts["children"]) >= int(facts["children_required"]):
        reason = _("You raised %(count)s children to the age of %(age)s.")
    else:
        reason = _("Your child with disability has reached the age of %(age)s.")
    return [
        reason % {"count": facts["children"], "age": facts["child_age"]},
        _("So you may retire %(early)s before the retirement age, at %(age)s, which you "
          "reached on %(date)s.")
        % {"early": months(facts["early_by_months"]), "age": age_text(age),
           "date": day(facts["reached_on"])},
        *explain_old_age_amount(facts),
        *explain_switch(facts),
        *explain_indexations(facts),
    ]


def explain_switch(facts: dict[str, Any]) -> list[str]:
    if not facts.get("replaced_benefit"):
        return []
    replaced = REPLACED_TITLES.get(facts["replaced_benefit"], facts["replaced_benefit"])
    return [_("This is more than your %(pension)s of %(amount)s, which it replaces from the "
              "same day: one labour pension is paid at a time, the higher one.")
            % {"pension": replaced, "amount": money(facts, "replaced_amount")}]


def register_rules() -> None:
    register(Rule(
        code="pensions.early_old_age_mothers",
        benefit="old_age_pension",
        replaces=LABOUR_PENSION_REPLACES,
        title=_("old-age labour pension"),
        legal_source="Law on labour pensions, as amended on 2024-04-19 (early pension for "
                     "parents of 5+ children or of a child with disability)",
        frequency=Frequency.MONTHLY,
        sql=EARLY_SQL,
        parameters=(*OLD_AGE_PARAMETERS, "early_retirement_children_months",
                    "early_retirement_children_count", "early_retirement_child_age_years"),
        dated_parameters=RETIREMENT_AGE_PARAMETERS,
        prepare=early_arguments,
        watches=("pension_capital_indexation",),
        wake_sql=WAKE_SQL,
        explain=explain_early,
    ))
