"""Disability labour pension: capital ÷ a coefficient by the age at the finding.

The registry holds the expert commission's finding, not a separate date of
onset, so the age at onset is the age on the day the finding was determined.
The insurance period and the capital count the record up to the finding's
year: work after the disability began does not make the pension.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.parameters import parameter_on
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    CAPITAL_PARAMETERS,
    capital_indexation,
    capital_of,
    retirement_months,
    table_arrays,
    table_lookup,
)
from pensions.explain import explain_indexations

# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
DISABILITY_SQL = f"""
SELECT e.id AS person_id, NULL::bigint AS basis_person_id,
       round(greatest(cap.capital / e.coefficient, %(minimum_pension)s), 2) AS amount,
       e.determined_on AS period_start, e.valid_until AS period_end,
       jsonb_build_object(
           'percent', e.percent, 'determined_on', e.determined_on,
           'valid_until', e.valid_until, 'age_at_onset', e.age_at_onset,
           'pension_capital', round(cap.capital, 2),
           'insured_months', round(cap.insurance_months, 1),
           'required_months', e.required_months, 'coefficient', e.coefficient,
           'capital_pension', round(cap.capital / e.coefficient, 2),
           'minimum_pension', %(minimum_pension)s) AS facts
FROM (
    SELECT p.id, d.percent, d.determined_on, d.valid_until, o.age AS age_at_onset,
           {table_lookup("disability_min_insurance_months", "o.age", value_type="int")}
               AS required_months,
           {table_lookup("disability_pension_coefficients", "o.age", value_type="numeric")}
               AS coefficient
    FROM registry_person p
    {retirement_months("p")}
    -- The latest finding in force: a renewal replaces the one before it.
    JOIN LATERAL (SELECT s.percent, s.determined_on, s.valid_until
                  FROM registry_disabilitystatus s
                  WHERE s.person_id = p.id AND s.determined_on <= %(on)s
                    AND (s.valid_until IS NULL OR s.valid_until > %(on)s)
                  ORDER BY s.determined_on DESC LIMIT 1) d ON true
    CROSS JOIN LATERAL (SELECT extract(year FROM age(d.determined_on, p.birth_date))::int
                            AS age) o
    WHERE p.death_date IS NULL AND {{population}}
      -- Disability before 18 is covered by the social benefit, not by this pension.
      AND o.age >= %(disability_pension_min_age_years)s
      -- At retirement age the old-age pension takes over (pensions.old_age, or
      -- pensions.old_age_transition for someone already drawing this pension):
      -- splitting by age keeps the outcome independent of the order rules run in.
      AND p.birth_date > %(on)s::date - make_interval(months => r.months)
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.person_id = p.id AND w.benefit = 'disability_pension'
                        AND w.basis_person_id IS NULL)
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.person_id = p.id AND w.benefit = 'old_age_pension'
                        AND w.status = 'awarded')
    -- OFFSET 0 keeps PostgreSQL from merging this selection into the outer query: the
    -- cheap tests above then run first, and the capital below is computed only for
    -- the people who pass them, not for everyone of the age.
    OFFSET 0
) e
{capital_of("e.id", until="e.determined_on")}
-- An age outside the tables has no coefficient in law: no pension rather than a guess.
WHERE e.coefficient IS NOT NULL AND e.required_months IS NOT NULL
  AND cap.insurance_months >= e.required_months
"""  # noqa: S608


def disability_arguments(on: dt.date) -> dict[str, Any]:
    """Indexation factors, and the two age tables as arrays SQL can search."""
    arguments = capital_indexation(on)
    arguments.update(table_arrays("disability_min_insurance_months",
                                  parameter_on("disability_min_insurance_months", on).value,
                                  integer_values=True))
    arguments.update(table_arrays("disability_pension_coefficients",
                                  parameter_on("disability_pension_coefficients", on).value,
                                  integer_values=False))
    return arguments


def explain_disability(facts: dict[str, Any]) -> list[str]:
    sentences = [
        _("The medical-social expert commission found a %(percent)s%% impairment on %(date)s, "
          "when you were %(age)s years old.")
        % {"percent": facts["percent"], "date": facts["determined_on"],
           "age": facts["age_at_onset"]},
        _("By then your insurance period was %(months)s months; at that age at least "
          "%(required)s months are needed.")
        % {"months": facts["insured_months"], "required": facts["required_months"]},
        _("The pension capital you had built up by then, indexed to today, is %(capital)s AZN; "
          "divided by the coefficient %(coefficient)s for that age it gives %(amount)s AZN. The "
          "minimum pension is %(minimum)s AZN, and you receive the higher of the two.")
        % {"capital": facts["pension_capital"], "coefficient": facts["coefficient"],
           "amount": facts["capital_pension"], "minimum": facts["minimum_pension"]},
    ]
    if facts.get("valid_until"):
        sentences.append(_("The pension is paid while the finding is valid, until %(date)s.")
                         % {"date": facts["valid_until"]})
    return [*sentences, *explain_indexations(facts)]


def register_rules() -> None:
    register(Rule(
        code="pensions.disability",
        benefit="disability_pension",
        title=_("disability labour pension"),
        legal_source="Law on labour pensions, disability pension (dsmf.gov.az)",
        frequency=Frequency.MONTHLY,
        sql=DISABILITY_SQL,
        parameters=(*CAPITAL_PARAMETERS, "retirement_age_men_months",
                    "retirement_age_women_months", "minimum_pension",
                    "disability_pension_min_age_years", "disability_min_insurance_months",
                    "disability_pension_coefficients"),
        prepare=disability_arguments,
        watches=("pension_capital_indexation",),
        # A determination taking effect is a dated fact found for every rule; time
        # alone only brings people closer to the retirement age, which ends this rule.
        wake_sql="",
        explain=explain_disability,
    ))
