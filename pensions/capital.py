"""Pension capital: the indexation factors and the SQL that every pension rule shares.

The SQL helpers below take table aliases and column names written in the rule
modules, never anything a user typed; values always travel as query parameters.

The capital of a person is the sum of their yearly contributions, each indexed
from its year to the scan date, plus the credit for service before 2006. The
same formula is written once in SQL here, for the rules that run over the whole
population, and once in Python in ``pensions.selectors.pension_capital``, for
the citizen's statement; a test keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dost.entitlements.parameters import history

CAPITAL_SYSTEM_START = dt.date(2006, 1, 1)

# Parameters every rule that computes a capital or an old-age amount must list.
CAPITAL_PARAMETERS = ("pre_2006_service_capital_per_year",)
OLD_AGE_PARAMETERS = ("retirement_age_men_months", "retirement_age_women_months",
                      "expected_payment_months", "minimum_pension", "old_age_insurance_years",
                      *CAPITAL_PARAMETERS)

# Monthly pensions that replace one another: a person draws one of them at a time.
REPLACEABLE_PENSIONS = ("disability_pension", "survivor_pension")


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


def capital_of(person: str, alias: str = "cap", *, until: str | None = None) -> str:
    """A ``CROSS JOIN LATERAL`` giving the pension capital of the id column ``person``.

    Columns: ``capital`` (indexed to ``%(on)s``), ``insured_months`` (from
    contributions), ``years_before_2006`` (service converted to capital),
    ``insurance_months`` (both together, the insurance period in months) and
    ``insured_years``. Needs the parameters in ``CAPITAL_PARAMETERS`` and the
    arrays of ``capital_indexation``. Contributions of a year without a factor
    (before 2005, or after the scan date) count as insured months but not as
    capital: the capital system did not exist then, or has not indexed them yet.

    ``until`` (a date expression) counts only the record built up to that day,
    by its calendar year for contributions: a disability pension rests on the
    insurance earned before the disability, not on work done after it.
    """
    years = f" AND c.year <= extract(year FROM {until})::int" if until else ""
    service_end = f"least(coalesce(s.ended_on, %(on)s), {until}, date '2006-01-01')" if until \
        else "least(coalesce(s.ended_on, %(on)s), date '2006-01-01')"
    service_start = f"least({until}, date '2006-01-01')" if until else "date '2006-01-01'"
    return f"""
    CROSS JOIN LATERAL (
        SELECT k.contribution_capital
                   + k.years_before_2006 * %(pre_2006_service_capital_per_year)s
                     * (%(index_factors)s::numeric[])[array_position(%(index_years)s::int[], 2006)]
                   AS capital,
               k.insured_months, k.years_before_2006,
               k.insured_months + k.years_before_2006 * 12 AS insurance_months,
               k.insured_months / 12.0 + k.years_before_2006 AS insured_years
        FROM (
            SELECT coalesce(paid.capital, 0) AS contribution_capital,
                   coalesce(paid.months, 0) AS insured_months,
                   coalesce((SELECT sum({service_end} - s.started_on)
                             FROM registry_employmentspell s
                             WHERE s.person_id = {person}
                               AND s.started_on < {service_start}), 0)
                       / 365.25 AS years_before_2006
            -- One pass over the person's contributions. The factors are one per year
            -- from the first of index_years: a subscript finds a year's factor without
            -- a join per person, and a year without one (NULL) adds nothing.
            FROM (SELECT sum(c.amount * (%(index_factors)s::numeric[])
                                 [c.year - (%(index_years)s::int[])[1] + 1]) AS capital,
                         sum(c.insured_months) AS months
                  FROM registry_contribution c
                  WHERE c.person_id = {person}{years}) paid
        ) k
    ) {alias}"""  # noqa: S608 (column names from the rule modules, never input)


def retirement_months(person: str, alias: str = "r") -> str:
    """A ``CROSS JOIN LATERAL`` giving ``months``, the retirement age of ``person`` (a table
    alias) on ``%(on)s`` by their sex; needs the two retirement-age parameters."""
    return f"""
    CROSS JOIN LATERAL (SELECT CASE {person}.sex WHEN 'M' THEN %(retirement_age_men_months)s
                               ELSE %(retirement_age_women_months)s END AS months) {alias}"""


def holds_replaceable_pension(person: str) -> str:
    """True when ``person`` (an id column) draws a disability or survivor's pension on ``%(on)s``.

    An award keeps the status ``awarded`` after its period has run out (a
    child's survivor's pension at 18), so the period is checked too.
    """
    benefits = ", ".join(f"'{benefit}'" for benefit in REPLACEABLE_PENSIONS)
    return f"""EXISTS (SELECT 1 FROM entitlements_award h
                   WHERE h.person_id = {person} AND h.benefit IN ({benefits})
                     AND h.status = 'awarded'
                     AND (h.period_end IS NULL OR h.period_end >= %(on)s))"""  # noqa: S608


# The facts an old-age amount rests on, as jsonb_build_object pairs, for a
# capital_of() alias ``cap``: the explanation (explain_old_age_amount) reads them.
OLD_AGE_AMOUNT_FACTS = """'pension_capital', round(cap.capital, 2),
           'insured_years', round(cap.insured_years, 1),
           'capital_pension', round(cap.capital / %(expected_payment_months)s, 2),
           'minimum_pension', %(minimum_pension)s"""


def old_age_amount(capital: str) -> str:
    """The old-age amount for a capital expression: capital ÷ expected payment months,
    at least the minimum pension."""
    return (f"round(greatest({capital} / %(expected_payment_months)s, %(minimum_pension)s), 2)")


def old_age_entitled(capital: str, insured_years: str) -> str:
    """Capital enough for the minimum pension, or a long enough insurance period."""
    return (f"({capital} / %(expected_payment_months)s >= %(minimum_pension)s"
            f" OR {insured_years} >= %(old_age_insurance_years)s)")


def table_arrays(name: str, table: dict[Any, Any], *, integer_values: bool) -> dict[str, list]:
    """A parameter stored as an age → value mapping, as two sorted arrays for SQL.

    SQL looks up the entry of the greatest age not above the person's age.
    """
    ages = sorted(int(age) for age in table)
    by_age = {int(age): value for age, value in table.items()}
    values = [int(by_age[age]) if integer_values else Decimal(str(by_age[age])) for age in ages]
    return {f"{name}__ages": ages, f"{name}__values": values}


def table_lookup(name: str, age: str, *, value_type: str) -> str:
    """SQL for the value of table parameter ``name`` at ``age`` (see ``table_arrays``)."""
    return f"""(SELECT t.value FROM unnest(%({name}__ages)s::int[],
                                    %({name}__values)s::{value_type}[]) AS t(age, value)
             WHERE t.age <= {age} ORDER BY t.age DESC LIMIT 1)"""  # noqa: S608


# For a scan after a completed one (``Rule.wake_sql``): the living who reach the
# retirement age for their sex in (since, on]. The outer band on birth dates lets
# the birth-date index narrow the search to a year or two of births.
REACHING_RETIREMENT_SQL = f"""
SELECT p.id FROM registry_person p
{retirement_months("p")}
WHERE p.death_date IS NULL
  AND p.birth_date > %(since)s::date - make_interval(
        months => greatest(%(retirement_age_men_months)s, %(retirement_age_women_months)s))
  AND p.birth_date <= %(on)s::date - make_interval(
        months => least(%(retirement_age_men_months)s, %(retirement_age_women_months)s))
  AND p.birth_date > %(since)s::date - make_interval(months => r.months)
  AND p.birth_date <= %(on)s::date - make_interval(months => r.months)
"""  # noqa: S608 (composed from this module's fragments; values are parameters)
