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

from dost.entitlements.parameters import ParameterMissing, history

CAPITAL_SYSTEM_START = dt.date(2006, 1, 1)

# Parameters every rule that computes a capital or an old-age amount must list.
CAPITAL_PARAMETERS = ("pre_2006_service_capital_per_year",)
OLD_AGE_PARAMETERS = ("expected_payment_months", "minimum_pension", "old_age_insurance_years",
                      *CAPITAL_PARAMETERS)
# The retirement ages go to a rule's ``dated_parameters``, whole history: the age that
# applies is the one in force on the day a person reaches it, not on the scan date.
RETIREMENT_AGE_PARAMETERS = ("retirement_age_men_months", "retirement_age_women_months")

# Monthly pensions that replace one another: a person draws one of them at a time.
REPLACEABLE_PENSIONS = ("disability_pension", "survivor_pension")
# Labour pensions: one at a time, the highest (a database constraint,
# award_one_labour_pension, refuses two in force at once). Each rule's award
# replaces whichever of the others the person held.
LABOUR_PENSIONS = ("old_age_pension", *REPLACEABLE_PENSIONS)
# What a labour pension, once awarded, ends: the other labour pensions, and the social
# benefits paid only to people without one (Law on social benefits: the disability and
# the old-age social benefit are for those with no right to a labour pension).
LABOUR_PENSION_REPLACES = (*LABOUR_PENSIONS, "disability_benefit", "old_age_social_benefit")


def capital_indexation(on: dt.date) -> dict[str, Any]:
    """Factor by which a contribution of each past year has grown by ``on``.

    Capital paid in year y is indexed on every 1 January after it, up to the
    scan date, by the rate decreed for that year: the parameter's value from the
    latest 1 January on or before it (one recorded value may stand for a run of
    years, as the estimate for 2007-2022 does). Before the first recorded rate the
    capital system did not index. A year after the last recorded rate has no rate
    yet: its decree is awaited, and last year's rate is never assumed for it.

    Raises ``ParameterMissing`` naming the parameter and the year without a rate:
    the rules that need the capital hold until the decree is in the parameter file.
    """
    rates = {value.starts_on.year: value.value for value in history("pension_capital_indexation")
             if value.starts_on.month == 1 and value.starts_on.day == 1}
    if not rates or on.year > max(rates):
        raise ParameterMissing(f"pension_capital_indexation: no rate for {on.year}")
    years = list(range(CAPITAL_SYSTEM_START.year - 1, on.year + 1))
    rate_of_year = {}
    for year in years:
        decreed = [rate_year for rate_year in rates if rate_year <= year]
        rate_of_year[year] = rates[max(decreed)] if decreed else Decimal(0)
    factors = []
    for year in years:
        factor = Decimal(1)
        for later in range(year + 1, on.year + 1):
            factor *= 1 + rate_of_year[later]
        factors.append(factor.quantize(Decimal("0.000001")))
    return {"index_years": years, "index_factors": factors}


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


def _retirement_ages(person: str, part: str, sql_type: str) -> str:
    """The dated retirement ages for ``person``'s sex: ``part`` is ``starts`` or ``values``."""
    return (f"CASE {person}.sex WHEN 'M' THEN %(retirement_age_men_months__{part})s::{sql_type}[]"
            f" ELSE %(retirement_age_women_months__{part})s::{sql_type}[] END")


def retirement_months(person: str, alias: str = "r", *, earlier_by: str | None = None) -> str:
    """A ``CROSS JOIN LATERAL`` giving, for ``person`` (a table alias with ``sex`` and
    ``birth_date``), ``months``, the retirement age that applied to them, and ``reached_on``,
    the day they retired: the first day d on which birth + the age in force on d <= d.

    Needs ``RETIREMENT_AGE_PARAMETERS`` as the rule's ``dated_parameters``. Before the first
    recorded step its age applies, from the day it is reached (as
    ``pensions.calculator.retirement_date``, which a test keeps equal to this). ``earlier_by``
    (a months expression) lowers every step by as much, for an early retirement age. Only
    the person's ~10 steps are read; filter the population with ``retirement_band`` first.

    Step i applies on [start_i, start_i+1): the person retires under it on
    max(birth + age_i, start_i) if that comes before start_i+1, i.e. if birth + age_i
    does (start_i < start_i+1). The first such step is the one that applies.
    """
    age = f"a.months - {earlier_by}" if earlier_by else "a.months"
    reached = f"({person}.birth_date + make_interval(months => ({age})::int))::date"
    return f"""
    CROSS JOIN LATERAL (
        SELECT ({age})::int AS months,
               CASE WHEN a.step = 1 THEN {reached} ELSE greatest({reached}, a.starts_on) END
                   AS reached_on
        FROM (SELECT {_retirement_ages(person, "starts", "date")} AS starts,
                     {_retirement_ages(person, "values", "int")} AS ages) g
        CROSS JOIN LATERAL unnest(g.starts, g.ages) WITH ORDINALITY AS a(starts_on, months, step)
        WHERE a.step = cardinality(g.starts) OR {reached} < g.starts[a.step + 1]
        ORDER BY a.step LIMIT 1
    ) {alias}"""  # noqa: S608 (column names from the rule modules, never input)


def _ages_in_force(aggregate: str, *, first: str | None, last: str | None,
                   earlier_by: str | None) -> str:
    """The ``min`` or ``max`` retirement age of either sex in force on some day of
    [``first``, ``last``] (an open end when None), less ``earlier_by``: one value per
    statement (an InitPlan), which the birth-date index can then use."""
    steps = " UNION ALL ".join(
        f"""SELECT x.starts_on, x.months, x.step,
                   (%({name}__starts)s::date[])[x.step + 1] AS next_start
            FROM unnest(%({name}__starts)s::date[], %({name}__values)s::int[])
                 WITH ORDINALITY AS x(starts_on, months, step)"""  # noqa: S608 (no input)
        for name in RETIREMENT_AGE_PARAMETERS)
    # The first step also applies before it starts (see retirement_months).
    in_force = [f"(a.step = 1 OR a.starts_on <= {last})" if last else "true",
                f"(a.next_start IS NULL OR a.next_start > {first})" if first else "true"]
    less = f" - {earlier_by}" if earlier_by else ""
    return f"""((SELECT {aggregate}(a.months) FROM ({steps}) a
                WHERE {' AND '.join(in_force)}){less})::int"""  # noqa: S608 (no input)


def retirement_band(birth: str, *, reached_after: str | None = None,
                    reached_by: str | None = None, earlier_by: str | None = None) -> str:
    """Conditions on the birth-date column ``birth`` that everyone whose ``reached_on``
    (``retirement_months``) falls in (``reached_after``, ``reached_by``] meets, for either sex.

    They only narrow the search (the birth-date index can serve them) before the per-person
    look-up decides. For d = reached_on: birth + age(d) <= d <= reached_by, and, d being the
    first such day, birth + age(d - 1) > d - 1 >= reached_after; so only the ages in force
    on some day of [reached_after, reached_by] bound the birth date, which keeps the band of
    a scan's wake query to a month or two of births. Adding months clips to a month's end
    (1960-08-31 + 6 months = 1961-02-28), so the upper bound is taken on whole months: birth
    + m months falls in the birth month + m.
    """
    if reached_after is None and reached_by is None:
        raise ValueError("Give the band at least one end.")
    conditions = []
    if reached_by is not None:
        lowest = _ages_in_force("min", first=reached_after, last=reached_by,
                                earlier_by=earlier_by)
        conditions.append(f"{birth} < (date_trunc('month', {reached_by}::timestamp)"
                          f" + make_interval(months => 1 - {lowest}))::date")
    if reached_after is not None:
        highest = _ages_in_force("max", first=reached_after, last=reached_by,
                                 earlier_by=earlier_by)
        conditions.append(f"{birth} > ({reached_after}::date"
                          f" - make_interval(months => {highest}))::date")
    return "(" + " AND ".join(conditions) + ")"


def holds_replaceable_pension(person: str) -> str:
    """True when ``person`` (an id column) draws a disability or survivor's pension on ``%(on)s``.

    An award keeps the status ``awarded`` after its period has run out (a
    child's survivor's pension at 18), so the period is checked too.
    """
    benefits = ", ".join(f"'{benefit}'" for benefit in REPLACEABLE_PENSIONS)
    # OFFSET 0 keeps the look-up a per-person index probe (see dost.entitlements.rules).
    return f"""EXISTS (SELECT 1 FROM entitlements_award h
                   WHERE h.person_id = {person} AND h.benefit IN ({benefits})
                     AND h.status = 'awarded'
                     AND (h.period_end IS NULL OR h.period_end >= %(on)s) OFFSET 0)"""  # noqa: S608


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


# For a scan after a completed one (``Rule.wake_sql``): the living who retired, by the
# cohort rule of ``retirement_months``, in (since, on]. The band on birth dates lets the
# birth-date index narrow the search to a few years of births before the per-person look-up.
REACHING_RETIREMENT_SQL = f"""
SELECT p.id FROM registry_person p
{retirement_months("p")}
WHERE p.death_date IS NULL
  AND {retirement_band("p.birth_date", reached_after="%(since)s", reached_by="%(on)s")}
  AND r.reached_on > %(since)s AND r.reached_on <= %(on)s
"""  # noqa: S608 (composed from this module's fragments; values are parameters)
