"""Proactive rules of the State Social Protection Fund: pensions and the childbirth allowance.

Each rule's SQL selects, for the beneficiaries ``p`` in ``{population}``, the
people newly entitled on ``%(on)s`` who hold no such award yet, and computes
the amount and the facts the decision relied on in the same statement.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.parameters import history
from dost.entitlements.rules import Rule, register

CAPITAL_SYSTEM_START = dt.date(2006, 1, 1)


def capital_indexation(on: dt.date) -> dict[str, Any]:
    """Factor by which a contribution of each past year has grown by ``on``.

    Capital paid in year y is indexed on every 1 January after it, up to the
    scan date, by the rate in force that day.
    """
    rates = {value.starts_on.year: value.value for value in history("pension_capital_indexation")
             if value.starts_on.month == 1 and value.starts_on.day == 1}
    years = list(range(CAPITAL_SYSTEM_START.year - 1, on.year + 1))
    factors = []
    for year in years:
        factor = Decimal(1)
        for later in range(year + 1, on.year + 1):
            rate = rates.get(later, _rate_in_force(rates, later))
            factor *= 1 + rate
        factors.append(factor.quantize(Decimal("0.000001")))
    return {"index_years": years, "index_factors": factors}


def _rate_in_force(rates: dict[int, Decimal], year: int) -> Decimal:
    earlier = [rate_year for rate_year in rates if rate_year <= year]
    return rates[max(earlier)] if earlier else Decimal(0)


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
                    AND a.basis_person_id = c.id)
"""

OLD_AGE_SQL = """
SELECT e.id AS person_id, NULL::bigint AS basis_person_id,
       round(greatest(e.capital / %(expected_payment_months)s, %(minimum_pension)s), 2)
           AS amount,
       e.reached_on AS period_start, NULL::date AS period_end,
       jsonb_build_object(
           'birth_date', e.birth_date, 'sex', e.sex,
           'retirement_age_months', e.retirement_months, 'reached_on', e.reached_on,
           'pension_capital', round(e.capital, 2), 'insured_years', round(e.insured_years, 1),
           'capital_pension', round(e.capital / %(expected_payment_months)s, 2),
           'minimum_pension', %(minimum_pension)s) AS facts
FROM (
    SELECT q.*, q.contribution_capital
               + q.years_before_2006 * %(pre_2006_service_capital_per_year)s
                 * (%(index_factors)s::numeric[])[array_position(%(index_years)s::int[], 2006)]
               AS capital,
           q.insured_months / 12.0 + q.years_before_2006 AS insured_years
    FROM (
        SELECT a.id, a.sex, a.birth_date, a.retirement_months, a.reached_on,
               coalesce((SELECT sum(c.amount * f.factor)
                         FROM registry_contribution c
                         JOIN unnest(%(index_years)s::int[], %(index_factors)s::numeric[])
                              AS f(year, factor) ON f.year = c.year
                         WHERE c.person_id = a.id), 0) AS contribution_capital,
               coalesce((SELECT sum(c.insured_months) FROM registry_contribution c
                         WHERE c.person_id = a.id), 0) AS insured_months,
               coalesce((SELECT sum(least(coalesce(s.ended_on, %(on)s), date '2006-01-01')
                                    - s.started_on)
                         FROM registry_employmentspell s
                         WHERE s.person_id = a.id AND s.started_on < date '2006-01-01'), 0)
                   / 365.25 AS years_before_2006
        FROM (
            SELECT p.id, p.sex, p.birth_date, r.months AS retirement_months,
                   (p.birth_date + make_interval(months => r.months))::date AS reached_on
            FROM registry_person p
            CROSS JOIN LATERAL (SELECT CASE p.sex WHEN 'M' THEN %(retirement_age_men_months)s
                                       ELSE %(retirement_age_women_months)s END AS months) r
            WHERE p.death_date IS NULL AND {population}
              AND p.birth_date <= %(on)s::date - make_interval(months => r.months)
              AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                              WHERE w.benefit = 'old_age_pension' AND w.person_id = p.id
                                AND w.basis_person_id IS NULL)
        ) a
    ) q
) e
WHERE e.capital / %(expected_payment_months)s >= %(minimum_pension)s
   OR e.insured_years >= %(old_age_insurance_years)s
"""


def explain_childbirth(facts: dict[str, Any]) -> list[str]:
    return [_("A child, %(name)s, was born on %(date)s and you are recorded as the mother.")
            % {"name": facts["child_name"], "date": facts["child_birth_date"]}]


def explain_old_age(facts: dict[str, Any]) -> list[str]:
    months = int(facts["retirement_age_months"])
    return [
        _("You reached the retirement age of %(years)s years and %(months)s months on %(date)s.")
        % {"years": months // 12, "months": months % 12, "date": facts["reached_on"]},
        _("Your pension capital is %(capital)s AZN and your insurance period %(years)s years.")
        % {"capital": facts["pension_capital"], "years": facts["insured_years"]},
        _("Capital ÷ expected payment months gives %(amount)s AZN; the minimum pension is "
          "%(minimum)s AZN, and you receive the higher of the two.")
        % {"amount": facts["capital_pension"], "minimum": facts["minimum_pension"]},
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
        explain=explain_childbirth,
    ))
    register(Rule(
        code="pensions.old_age",
        benefit="old_age_pension",
        title=_("old-age labour pension"),
        legal_source="Law on labour pensions, arts. 7-8",
        frequency=Frequency.MONTHLY,
        sql=OLD_AGE_SQL,
        parameters=("retirement_age_men_months", "retirement_age_women_months",
                    "expected_payment_months", "minimum_pension", "old_age_insurance_years",
                    "pre_2006_service_capital_per_year"),
        prepare=capital_indexation,
        explain=explain_old_age,
    ))
