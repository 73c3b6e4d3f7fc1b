"""Survivor's labour pension, for the dependants of an insured person who died.

The deceased's would-be old-age amount (capital ÷ expected payment months, at
least the minimum pension) is shared equally among the dependants. The equal
split is an estimate: the law's own shares were not checked.

Dependants here: children under the age limit at the death and still under it,
and a spouse (married at the death) at retirement age who does not already
draw an old-age pension of their own. Not yet covered: older children disabled
before 18, students to 23, parents, a spouse with a 61-100 % impairment, a
relative caring for young children, and the condition of 4 insured months per
year of working age.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    CAPITAL_PARAMETERS,
    REACHING_RETIREMENT_SQL,
    capital_indexation,
    capital_of,
    retirement_months,
)
from pensions.explain import explain_indexations

# The share depends on every dependant of the deceased, so they are counted
# from the deceased outwards, whether or not they fall in {population}: a scan
# splits the population into id ranges, and siblings in two ranges must get the
# same share. {population} appears twice: to find the deceased the beneficiaries
# in it may draw on, and to award only those beneficiaries.
# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
SURVIVOR_SQL = f"""
WITH deceased AS (
    SELECT DISTINCT d.id, d.fin, d.first_name, d.last_name, d.death_date
    FROM registry_person p
    JOIN registry_familyrelation r ON r.person_id = p.id AND r.kind IN ('parent', 'spouse')
    JOIN registry_person d ON d.id = r.relative_id
    WHERE {{population}} AND p.death_date IS NULL AND d.death_date <= %(on)s
),
insured AS (
    SELECT d.*, cap.capital, cap.insured_years,
           greatest(cap.capital / %(expected_payment_months)s, %(minimum_pension)s)
               AS full_pension
    FROM deceased d
    {capital_of("d.id")}
    WHERE cap.insurance_months >= %(survivor_min_insured_months)s
),
dependants AS (
    SELECT i.id AS deceased_id, c.id AS person_id, 'child' AS relation,
           greatest(i.death_date, c.birth_date) AS period_start,
           (c.birth_date + make_interval(years => %(survivor_child_age_limit_years)s))::date - 1
               AS period_end
    FROM insured i
    JOIN registry_familyrelation r ON r.relative_id = i.id AND r.kind = 'parent'
    JOIN registry_person c ON c.id = r.person_id
    WHERE c.death_date IS NULL AND c.birth_date <= %(on)s
      AND (r.until IS NULL OR r.until >= i.death_date)
      AND c.birth_date > i.death_date - make_interval(years => %(survivor_child_age_limit_years)s)
      -- A child past the limit today would get a pension that has already ended.
      AND c.birth_date > %(on)s::date - make_interval(years => %(survivor_child_age_limit_years)s)
    UNION ALL
    SELECT i.id, s.id, 'spouse',
           greatest(i.death_date, (s.birth_date + make_interval(months => r.months))::date),
           NULL::date
    FROM insured i
    JOIN registry_familyrelation m ON m.relative_id = i.id AND m.kind = 'spouse'
    JOIN registry_person s ON s.id = m.person_id
    {retirement_months("s")}
    WHERE s.death_date IS NULL AND (m.until IS NULL OR m.until >= i.death_date)
      AND s.birth_date <= %(on)s::date - make_interval(months => r.months)
      -- One labour pension per person: a spouse already drawing their own old-age
      -- pension keeps it (taking this one instead would be their choice, on application).
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.person_id = s.id AND w.benefit = 'old_age_pension'
                        AND w.status = 'awarded')
),
shares AS (
    SELECT deceased_id, count(*) AS dependants FROM dependants GROUP BY deceased_id
)
SELECT p.id AS person_id, i.id AS basis_person_id,
       round(i.full_pension / n.dependants, 2) AS amount,
       x.period_start, x.period_end,
       jsonb_build_object(
           'deceased_fin', i.fin, 'deceased_name', i.first_name || ' ' || i.last_name,
           'death_date', i.death_date, 'relation', x.relation, 'dependants', n.dependants,
           'share', round(i.full_pension / n.dependants, 2),
           'full_pension', round(i.full_pension, 2), 'pension_capital', round(i.capital, 2),
           'insured_years', round(i.insured_years, 1),
           'minimum_pension', %(minimum_pension)s, 'period_end', x.period_end) AS facts
FROM dependants x
JOIN registry_person p ON p.id = x.person_id
JOIN insured i ON i.id = x.deceased_id
JOIN shares n ON n.deceased_id = x.deceased_id
WHERE {{population}}
  AND NOT EXISTS (SELECT 1 FROM entitlements_award a
                  WHERE a.benefit = 'survivor_pension' AND a.person_id = p.id
                    AND a.basis_person_id = i.id)
"""  # noqa: S608


def explain_survivor(facts: dict[str, Any]) -> list[str]:
    values = {"name": facts["deceased_name"], "fin": facts["deceased_fin"],
              "date": facts["death_date"], "years": facts["insured_years"]}
    if facts["relation"] == "child":
        who = _("%(name)s (FIN %(fin)s), your parent, died on %(date)s after %(years)s years "
                "of insurance.") % values
    else:
        who = _("%(name)s (FIN %(fin)s), your spouse, died on %(date)s after %(years)s years "
                "of insurance, and you have reached retirement age.") % values
    sentences = [
        who,
        _("Their pension capital of %(capital)s AZN ÷ the expected payment months, at least "
          "the minimum pension of %(minimum)s AZN, gives %(full)s AZN a month.")
        % {"capital": facts["pension_capital"], "minimum": facts["minimum_pension"],
           "full": facts["full_pension"]},
        _("It is shared equally among the %(count)s dependants: %(share)s AZN each. The equal "
          "split is an estimate of the law's shares.")
        % {"count": facts["dependants"], "share": facts["share"]},
    ]
    if facts.get("period_end"):
        sentences.append(_("As a child of the deceased you receive it until %(date)s, the day "
                           "before you reach the age limit.") % {"date": facts["period_end"]})
    return [*sentences, *explain_indexations(facts)]


def register_rules() -> None:
    register(Rule(
        code="pensions.survivor",
        benefit="survivor_pension",
        title=_("survivor's labour pension"),
        legal_source="Law on labour pensions, survivor's pension (dsmf.gov.az)",
        frequency=Frequency.MONTHLY,
        sql=SURVIVOR_SQL,
        # A death is a recorded fact; time alone brings a widow(er) to the retirement age.
        wake_sql=REACHING_RETIREMENT_SQL,
        watches=("pension_capital_indexation",),
        parameters=(*CAPITAL_PARAMETERS, "retirement_age_men_months",
                    "retirement_age_women_months", "expected_payment_months", "minimum_pension",
                    "survivor_min_insured_months", "survivor_child_age_limit_years"),
        prepare=capital_indexation,
        explain=explain_survivor,
    ))
