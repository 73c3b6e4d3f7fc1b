"""Social benefits of the State Social Protection Fund (Law on social benefits).

Unlike the labour pensions, these rest on no insurance record: a death, a
disability finding, children, or age. Each rule's SQL selects, for the
beneficiaries ``p`` in ``{population}``, the periods of a right that is
running on ``%(on)s`` and not awarded yet:

- funeral grant on a pensioner's death, and funeral allowance on anyone
  else's (lump sums, to one relative per death);
- disability benefit by degree for adults, and the benefit for a child with
  disability, following the expert commission's findings;
- the benefit for mothers of five or more children, per child;
- the loss-of-breadwinner social benefit, for children of a deceased parent
  who left no survivor's labour pension;
- the old-age social benefit, for people of retirement age with no labour
  pension.

A monthly right is offered as periods: a new period from each change of the
amount the law makes (a dated parameter's new value) and, for the mothers'
benefit, from each change of the children it is paid for. Only periods that
start after the latest one already awarded for the same right are offered: the
engine ends the running period the day before the new one starts, and a period
already awarded, or already ended by a later one, is never offered again.

A right that ended before the scan date (a finding that ran out, a child who
turned 18) is not looked for: rules offer rights in force on the scan date,
with arrears from their start.

Not yet covered: full-time students to 23 and older children disabled before 18
(loss of breadwinner); a relative caring for the deceased's children under 8;
the social benefit instead of a survivor's pension smaller than it; the
old-age social benefit 5 years early for mothers of five or more children; a
child's death that ends the mothers' benefit before the period's planned end. (A
labour pension awarded later ends the disability and old-age social benefits: the
labour pension rules name them in ``replaces``.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.entitlements.models import Frequency
from dost.entitlements.parameter_labels import ParameterLabel, Unit, register_parameter_labels
from dost.entitlements.parameters import history
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    CAPITAL_PARAMETERS,
    LABOUR_PENSIONS,
    OLD_AGE_PARAMETERS,
    REACHING_RETIREMENT_SQL,
    RETIREMENT_AGE_PARAMETERS,
    capital_indexation,
    capital_of,
    old_age_entitled,
    retirement_band,
    retirement_months,
)
from pensions.explain import (
    Facts,
    awarded_amount,
    day,
    explain_retirement_age,
    from_parameter,
    money,
    months,
    percent_points,
    years,
)

LEGAL_SOURCE = "Law on social benefits of 2006-02-07 No. 55-IIIQ"

FUNERAL_BENEFITS = ("funeral_grant", "funeral_allowance")
DISABILITY_BENEFIT_AMOUNTS = ("disability_benefit_81_100", "disability_benefit_61_80",
                              "disability_benefit_31_60")
CHILD_AGE_LIMIT = "%(social_benefit_child_age_limit_years)s::int"

_LABOUR_PENSIONS = ", ".join(f"'{benefit}'" for benefit in LABOUR_PENSIONS)
_FUNERAL_BENEFITS = ", ".join(f"'{benefit}'" for benefit in FUNERAL_BENEFITS)

# The SQL helpers below take aliases and names written in this module, never input;
# every value travels as a query parameter.


def _dated(name: str, on: str) -> str:
    """The value of the dated parameter ``name`` in force on the date expression ``on``
    (NULL before its first value)."""
    return f"""(SELECT t.v FROM unnest(%({name}__starts)s::date[],
                                   %({name}__values)s::numeric[]) AS t(s, v)
             WHERE t.s <= {on} ORDER BY t.s DESC LIMIT 1)"""  # noqa: S608


def _law_periods(start: str, end: str) -> str:
    """A ``CROSS JOIN LATERAL`` cutting a right that runs from ``start`` to ``end`` (date
    expressions; ``end`` may be NULL) at each change of the law in (start, ``%(on)s``]:
    ``period_start`` and ``period_end`` of each piece. Needs ``%(law_dates)s``."""
    return f"""
    CROSS JOIN LATERAL (
        SELECT b.starts_on AS period_start,
               coalesce(lead(b.starts_on) OVER (ORDER BY b.starts_on) - 1, {end})
                   AS period_end
        FROM (SELECT {start} AS starts_on
              UNION
              SELECT t.d FROM unnest(%(law_dates)s::date[]) AS t(d)
              WHERE t.d > {start} AND t.d <= %(on)s
                AND ({end} IS NULL OR t.d <= {end})) b
    ) lp"""  # noqa: S608


def _no_award_from(benefit: str, person: str, basis: str, start: str) -> str:
    """No period of the right (``benefit`` to ``person`` on the basis of ``basis``) starts
    on or after ``start``: a re-run offers nothing, and a period already ended by a later
    one is never offered again."""
    # OFFSET 0 keeps the look-up a per-person index probe (see dost.entitlements.rules).
    return f"""NOT EXISTS (SELECT 1 FROM entitlements_award w
                       WHERE w.person_id = {person} AND w.benefit = '{benefit}'
                         AND w.basis_person_id IS NOT DISTINCT FROM {basis}
                         AND w.period_start >= {start} OFFSET 0)"""  # noqa: S608


def _draws_labour_pension(person: str) -> str:
    """``person`` draws a labour pension on the scan date. (An award keeps the status
    ``awarded`` after its period has run out, so the period is checked too.)"""
    return f"""EXISTS (SELECT 1 FROM entitlements_award h
                   WHERE h.person_id = {person} AND h.benefit IN ({_LABOUR_PENSIONS})
                     AND h.status = 'awarded'
                     AND (h.period_end IS NULL OR h.period_end >= %(on)s) OFFSET 0)"""  # noqa: S608


def _law_dates(*names: str) -> list[dt.date]:
    """Every day on which one of the amounts ``names`` took a new value."""
    return sorted({value.starts_on for name in names for value in history(name)})


# ---------------------------------------------------------------- funeral benefits

# The one relative a funeral benefit goes to. The law pays whoever bore the funeral's
# cost, which the registry does not hold, so the closest living relative stands in:
# the spouse married at the death, else the eldest child adult at the death, else a
# parent (the mother first). The choice depends on the deceased's relatives alone, not on
# which of them a scan chunk or a life event holds: whichever relative is looked at
# first, the same one is chosen, and only the chunk that holds them awards it.
def _funeral_sql(*, pensioner: bool, amount: str, first_death: str, facts: str) -> str:
    drawn = "IS NOT NULL" if pensioner else "IS NULL"
    return f"""
WITH deceased AS (
    SELECT DISTINCT d.id, d.fin, d.first_name, d.last_name, d.death_date,
           pension.benefit AS pension
    FROM (
        -- The deaths the people in the population may receive a benefit for: their
        -- spouse's or parent's (as the spouse or child), or their child's (as a parent).
        SELECT r.relative_id AS id
        FROM registry_person p
        JOIN registry_familyrelation r ON r.person_id = p.id AND r.kind IN ('spouse', 'parent')
        WHERE {{population}} AND p.death_date IS NULL
        UNION ALL
        SELECT r.person_id
        FROM registry_person p
        JOIN registry_familyrelation r ON r.relative_id = p.id AND r.kind = 'parent'
        WHERE {{population}} AND p.death_date IS NULL
    ) x
    JOIN registry_person d ON d.id = x.id
    -- A pensioner: drawing a labour pension whose period covered the day of the death
    -- (stopped by that death, or not stopped yet).
    LEFT JOIN LATERAL (
        SELECT w.benefit FROM entitlements_award w
        WHERE w.person_id = d.id AND w.benefit IN ({_LABOUR_PENSIONS})
          AND w.period_start <= d.death_date
          AND (w.period_end IS NULL OR w.period_end >= d.death_date)
          AND (w.status = 'awarded' OR (w.status = 'stopped' AND w.end_reason = 'death'))
        ORDER BY w.period_start DESC, w.id DESC LIMIT 1
    ) pension ON true
    WHERE d.death_date <= %(on)s AND d.death_date >= {first_death}
      AND pension.benefit {drawn}
      -- One benefit per death, whoever received it.
      AND NOT EXISTS (SELECT 1 FROM entitlements_award f
                      WHERE f.basis_person_id = d.id AND f.benefit IN ({_FUNERAL_BENEFITS})
                        AND f.status <> 'annulled'
                      OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
),
relatives AS (
    SELECT d.id AS deceased_id, s.id AS person_id, 'spouse' AS relation, 1 AS closeness,
           m.since AS married_since, NULL::date AS birth_date, 0 AS mother_first
    FROM deceased d
    JOIN registry_familyrelation m ON m.person_id = d.id AND m.kind = 'spouse'
    JOIN registry_person s ON s.id = m.relative_id
    WHERE s.death_date IS NULL AND (m.until IS NULL OR m.until >= d.death_date)
      AND (m.since IS NULL OR m.since <= d.death_date)
    UNION ALL
    SELECT d.id, c.id, 'child', 2, NULL, c.birth_date, 0
    FROM deceased d
    JOIN registry_familyrelation r ON r.relative_id = d.id AND r.kind = 'parent'
    JOIN registry_person c ON c.id = r.person_id
    WHERE c.death_date IS NULL
      AND c.birth_date <= (d.death_date
                           - make_interval(years => %(funeral_recipient_adult_age_years)s::int))
                          ::date
    UNION ALL
    SELECT d.id, g.id, 'parent', 3, NULL, NULL, CASE g.sex WHEN 'F' THEN 0 ELSE 1 END
    FROM deceased d
    JOIN registry_familyrelation r ON r.person_id = d.id AND r.kind = 'parent'
    JOIN registry_person g ON g.id = r.relative_id
    WHERE g.death_date IS NULL
),
recipients AS (
    SELECT DISTINCT ON (deceased_id) deceased_id, person_id, relation
    FROM relatives
    ORDER BY deceased_id, closeness, married_since DESC NULLS LAST, birth_date, mother_first,
             person_id
)
SELECT p.id AS person_id, d.id AS basis_person_id, {amount} AS amount,
       d.death_date AS period_start, NULL::date AS period_end,
       jsonb_build_object(
           'deceased_fin', d.fin, 'deceased_name', d.first_name || ' ' || d.last_name,
           'death_date', d.death_date, 'relation', x.relation{facts}) AS facts
FROM recipients x
JOIN deceased d ON d.id = x.deceased_id
JOIN registry_person p ON p.id = x.person_id
WHERE {{population}}
"""  # noqa: S608


_MINIMUM_AT_DEATH = _dated("minimum_pension", "d.death_date")
FUNERAL_GRANT_SQL = _funeral_sql(
    pensioner=True,
    amount=f"round(%(funeral_grant_minimum_pensions)s * {_MINIMUM_AT_DEATH}, 2)",
    first_death="(%(minimum_pension__starts)s::date[])[1]",
    facts=f""", 'pension', d.pension, 'minimum_pension', {_MINIMUM_AT_DEATH},
           'minimum_pensions', %(funeral_grant_minimum_pensions)s""",
)
FUNERAL_ALLOWANCE_SQL = _funeral_sql(
    pensioner=False,
    amount=_dated("funeral_allowance", "d.death_date"),
    first_death="(%(funeral_allowance__starts)s::date[])[1]",
    facts="",
)

RELATIONS = {
    "spouse": gettext_lazy("their spouse"),
    "child": gettext_lazy("their eldest adult child"),
    "parent": gettext_lazy("their parent"),
}
PENSIONS = {
    "old_age_pension": gettext_lazy("an old-age labour pension"),
    "disability_pension": gettext_lazy("a disability labour pension"),
    "survivor_pension": gettext_lazy("a survivor's labour pension"),
}


def _death_and_recipient(facts: Facts) -> list[str]:
    return [
        _("%(name)s (FIN %(fin)s) died on %(date)s.")
        % {"name": facts["deceased_name"], "fin": facts["deceased_fin"],
           "date": day(facts["death_date"])},
        _("The benefit goes to whoever paid for the funeral. The registry does not record "
          "who did, so it is granted to the closest living relative on record: you, as "
          "%(relation)s. If another relative paid, contact a DOST centre.")
        % {"relation": RELATIONS.get(facts["relation"], facts["relation"])},
    ]


def explain_funeral_grant(facts: Facts) -> list[str]:
    return [
        *_death_and_recipient(facts),
        _("They were drawing %(pension)s, so the funeral grant is %(times)s × the minimum "
          "pension in force on that day, %(minimum)s: %(amount)s.")
        % {"pension": PENSIONS.get(facts["pension"], facts["pension"]),
           "times": facts["minimum_pensions"],
           "minimum": money(facts, "minimum_pension", "minimum_pension"),
           "amount": awarded_amount(facts)},
    ]


def explain_funeral_allowance(facts: Facts) -> list[str]:
    return [
        *_death_and_recipient(facts),
        _("They drew no labour pension, so the funeral allowance in force on that day is "
          "paid: %(amount)s.")
        % {"amount": from_parameter(awarded_amount(facts), facts, "funeral_allowance")},
    ]


# ---------------------------------------------------------------- disability benefits

# The latest finding of the expert commission in force on the scan date: a renewal
# replaces the one before it.
_CURRENT_FINDING = """
    JOIN LATERAL (SELECT s.percent, s.determined_on, s.valid_until
                  FROM registry_disabilitystatus s
                  WHERE s.person_id = p.id AND s.determined_on <= %(on)s
                    AND (s.valid_until IS NULL OR s.valid_until > %(on)s)
                  ORDER BY s.determined_on DESC, s.id DESC LIMIT 1) d ON true"""

# Degrees of the criteria of 2022-07-01 (as dost.registry.models.DisabilityStatus.degree).
_DEGREE = "CASE WHEN d.percent >= 81 THEN 1 WHEN d.percent >= 61 THEN 2 ELSE 3 END"

DISABILITY_BENEFIT_SQL = f"""
SELECT e.id AS person_id, NULL::bigint AS basis_person_id,
       CASE e.degree WHEN 1 THEN {_dated("disability_benefit_81_100", "lp.period_start")}
                     WHEN 2 THEN {_dated("disability_benefit_61_80", "lp.period_start")}
                     ELSE {_dated("disability_benefit_31_60", "lp.period_start")} END AS amount,
       lp.period_start, lp.period_end,
       jsonb_build_object(
           'percent', e.percent, 'degree', e.degree::text, 'determined_on', e.determined_on,
           'valid_until', e.valid_until, 'adult_on', e.adult_on,
           'period_start', lp.period_start, 'period_end', lp.period_end) AS facts
FROM (
    SELECT p.id, d.percent, d.determined_on, d.valid_until, {_DEGREE} AS degree,
           (p.birth_date + make_interval(years => {CHILD_AGE_LIMIT}))::date AS adult_on
    FROM registry_person p
    {_CURRENT_FINDING}
    WHERE p.death_date IS NULL AND {{population}}
      AND p.birth_date <= (%(on)s::date - make_interval(years => {CHILD_AGE_LIMIT}))::date
      -- The social benefit is for those with no labour pension: the disability pension,
      -- or another labour pension, is paid instead.
      AND NOT {_draws_labour_pension("p.id")}
) e
-- From the finding, from the 18th birthday (the child's benefit is paid before it), and
-- not before the law's first amount.
CROSS JOIN LATERAL (SELECT greatest(e.determined_on, e.adult_on,
                                    (%(law_dates)s::date[])[1]) AS starts) s
{_law_periods("s.starts", "e.valid_until")}
WHERE s.starts <= %(on)s
  AND {_no_award_from("disability_benefit", "e.id", "NULL", "lp.period_start")}
"""  # noqa: S608

# For a scan after a completed one: those turning 18 with a finding in force.
DISABILITY_BENEFIT_WAKE_SQL = f"""
SELECT p.id FROM registry_person p
WHERE p.death_date IS NULL
  AND p.birth_date > (%(since)s::date - make_interval(years => {CHILD_AGE_LIMIT}))::date
  AND p.birth_date <= (%(on)s::date - make_interval(years => {CHILD_AGE_LIMIT}))::date
  AND EXISTS (SELECT 1 FROM registry_disabilitystatus s
              WHERE s.person_id = p.id AND s.determined_on <= %(on)s
                AND (s.valid_until IS NULL OR s.valid_until > %(on)s))
"""  # noqa: S608

# The beneficiary is the child, not a parent: the right is the child's own (a parent's
# death, divorce or loss of parental rights changes who is paid for the child, not
# whether the child is entitled), the finding and the age limit are the child's, and
# per-person stops and the unique key then follow the child. Who collects the money
# for a minor is a matter of payment, as for a survivor's pension to a child.
CHILD_DISABILITY_BENEFIT_SQL = f"""
SELECT e.id AS person_id, NULL::bigint AS basis_person_id,
       {_dated("child_disability_benefit", "lp.period_start")} AS amount,
       lp.period_start, lp.period_end,
       jsonb_build_object(
           'percent', e.percent, 'determined_on', e.determined_on,
           'valid_until', e.valid_until, 'adult_on', e.adult_on,
           'period_start', lp.period_start, 'period_end', lp.period_end) AS facts
FROM (
    SELECT p.id, d.percent, d.determined_on, d.valid_until,
           (p.birth_date + make_interval(years => {CHILD_AGE_LIMIT}))::date AS adult_on
    FROM registry_person p
    {_CURRENT_FINDING}
    WHERE p.death_date IS NULL AND {{population}}
      AND p.birth_date > (%(on)s::date - make_interval(years => {CHILD_AGE_LIMIT}))::date
) e
-- Until the finding's end or the day before the 18th birthday, whichever comes first.
CROSS JOIN LATERAL (SELECT greatest(e.determined_on, (%(law_dates)s::date[])[1]) AS starts,
                           least(e.valid_until, e.adult_on - 1) AS ends) s
{_law_periods("s.starts", "s.ends")}
WHERE s.starts <= %(on)s
  AND {_no_award_from("child_disability_benefit", "e.id", "NULL", "lp.period_start")}
"""  # noqa: S608

DEGREES = {"1": gettext_lazy("I (81-100 %)"), "2": gettext_lazy("II (61-80 %)"),
           "3": gettext_lazy("III (31-60 %)")}
DEGREE_AMOUNTS = dict(zip(("1", "2", "3"), DISABILITY_BENEFIT_AMOUNTS, strict=True))


def _period(facts: Facts) -> list[str]:
    if facts.get("period_end"):
        return [_("This amount is paid from %(start)s to %(end)s.")
                % {"start": day(facts["period_start"]), "end": day(facts["period_end"])}]
    return [_("This amount is paid from %(start)s.") % {"start": day(facts["period_start"])}]


def _finding(facts: Facts) -> str:
    if facts.get("valid_until"):
        return (_("The medical-social expert commission found a %(percent)s impairment on "
                  "%(date)s, valid until %(until)s.")
                % {"percent": percent_points(facts["percent"]),
                   "date": day(facts["determined_on"]), "until": day(facts["valid_until"])})
    return (_("The medical-social expert commission found a %(percent)s impairment on "
              "%(date)s, with no end date.")
            % {"percent": percent_points(facts["percent"]), "date": day(facts["determined_on"])})


def explain_disability_benefit(facts: Facts) -> list[str]:
    degree = str(facts["degree"])
    return [
        _finding(facts),
        _("You are an adult and draw no labour pension, so you receive the social benefit "
          "for degree %(degree)s of disability: %(amount)s a month.")
        % {"degree": DEGREES.get(degree, degree),
           "amount": from_parameter(awarded_amount(facts), facts,
                                    DEGREE_AMOUNTS.get(degree, ""))},
        *_period(facts),
    ]


def explain_child_disability_benefit(facts: Facts) -> list[str]:
    return [
        _finding(facts),
        _("A child with disability under 18 receives %(amount)s a month, until the finding "
          "ends or the day before the 18th birthday (%(adult)s), whichever comes first.")
        % {"amount": from_parameter(awarded_amount(facts), facts, "child_disability_benefit"),
           "adult": day(facts["adult_on"])},
        *_period(facts),
    ]


# ---------------------------------------------------------------- mothers of five or more

MIN_AGE = "%(large_family_mother_child_min_age_years)s::int"
AGE_LIMIT = "%(large_family_mother_child_age_limit_years)s::int"

# Her children count from the minimum age while alive (the right arises when the child
# that makes the number reaches it), and are paid for until the age limit. Every day
# that changes the amount (a child reaching either age or dying, a new rate) starts a
# period; a period ends the day before the next change, planned ones included, so the
# period in force ends by itself when the last child paid for comes of age.
LARGE_FAMILY_SQL = f"""
WITH mothers AS (
    SELECT p.id
    FROM registry_person p
    CROSS JOIN LATERAL (
        SELECT count(*) AS children
        FROM registry_familyrelation r
        JOIN registry_person c ON c.id = r.person_id
        WHERE r.relative_id = p.id AND r.kind = 'parent' AND c.death_date IS NULL
          AND c.birth_date <= (%(on)s::date - make_interval(years => {MIN_AGE}))::date
    ) k
    WHERE {{population}} AND p.sex = 'F' AND p.death_date IS NULL
      AND k.children >= %(large_family_mother_children_count)s
),
kids AS (
    SELECT m.id AS mother_id, c.death_date,
           (c.birth_date + make_interval(years => {MIN_AGE}))::date AS counts_from,
           (c.birth_date + make_interval(years => {AGE_LIMIT}))::date AS paid_until
    FROM mothers m
    JOIN registry_familyrelation r ON r.relative_id = m.id AND r.kind = 'parent'
    JOIN registry_person c ON c.id = r.person_id
),
changes AS (
    SELECT mother_id, counts_from AS changes_on FROM kids
    UNION SELECT mother_id, paid_until FROM kids
    UNION SELECT mother_id, death_date FROM kids WHERE death_date IS NOT NULL
    UNION SELECT m.id, t.d FROM mothers m
          CROSS JOIN unnest(%(large_family_mother_benefit__starts)s::date[]) AS t(d)
),
counted AS (
    -- One hash join of each mother's few changes with her few children (a lateral
    -- search of the kids CTE per change would scan all of it every time).
    SELECT c.mother_id, c.changes_on,
           count(*) FILTER (WHERE k.counts_from <= c.changes_on
                              AND (k.death_date IS NULL OR k.death_date > c.changes_on))
               AS children,
           count(*) FILTER (WHERE k.counts_from <= c.changes_on AND k.paid_until > c.changes_on
                              AND (k.death_date IS NULL OR k.death_date > c.changes_on))
               AS paid_for
    FROM changes c
    JOIN kids k ON k.mother_id = c.mother_id
    GROUP BY c.mother_id, c.changes_on
),
states AS (
    SELECT n.*, {_dated("large_family_mother_benefit", "n.changes_on")} AS rate
    FROM counted n
),
amounts AS (
    SELECT s.*, CASE WHEN s.children >= %(large_family_mother_children_count)s
                          AND s.paid_for > 0 THEN s.rate * s.paid_for END AS amount
    FROM states s
),
steps AS (
    SELECT a.*, lag(a.amount) OVER (PARTITION BY a.mother_id ORDER BY a.changes_on) AS amount_before
    FROM amounts a
),
periods AS (
    SELECT s.mother_id, s.changes_on AS period_start, s.amount, s.children, s.paid_for, s.rate,
           lead(s.changes_on) OVER (PARTITION BY s.mother_id ORDER BY s.changes_on) - 1
               AS period_end
    FROM steps s
    WHERE s.amount IS DISTINCT FROM s.amount_before
),
spells AS (
    -- The last gap in entitlement that began by the scan date: a window over each mother's
    -- few periods, rather than a search of every period for every period.
    SELECT p.*, max(p.period_start) FILTER (WHERE p.amount IS NULL
                                              AND p.period_start <= %(on)s)
                    OVER (PARTITION BY p.mother_id) AS last_gap
    FROM periods p
)
SELECT x.mother_id AS person_id, NULL::bigint AS basis_person_id, x.amount,
       x.period_start, x.period_end,
       jsonb_build_object(
           'children', x.children, 'paid_for', x.paid_for, 'rate', x.rate,
           'children_required', %(large_family_mother_children_count)s,
           'child_min_age', {MIN_AGE}, 'child_age_limit', {AGE_LIMIT},
           'period_start', x.period_start, 'period_end', x.period_end) AS facts
FROM spells x
WHERE x.amount IS NOT NULL AND x.period_start <= %(on)s
  -- Only the spell of entitlement running on the scan date.
  AND (x.last_gap IS NULL OR x.last_gap < x.period_start)
  AND {_no_award_from("large_family_mother_benefit", "x.mother_id", "NULL",
                      "x.period_start")}
"""  # noqa: S608

# For a scan after a completed one: mothers of enough children, one of whom reached
# either age.
LARGE_FAMILY_WAKE_SQL = f"""
SELECT m.id FROM registry_person c
JOIN registry_familyrelation r ON r.person_id = c.id AND r.kind = 'parent'
JOIN registry_person m ON m.id = r.relative_id
WHERE ((c.birth_date > (%(since)s::date - make_interval(years => {MIN_AGE}))::date
        AND c.birth_date <= (%(on)s::date - make_interval(years => {MIN_AGE}))::date)
       OR (c.birth_date > (%(since)s::date - make_interval(years => {AGE_LIMIT}))::date
           AND c.birth_date <= (%(on)s::date - make_interval(years => {AGE_LIMIT}))::date))
  AND m.sex = 'F' AND m.death_date IS NULL
  AND (SELECT count(*) FROM registry_familyrelation k
       WHERE k.relative_id = m.id AND k.kind = 'parent')
      >= %(large_family_mother_children_count)s
"""  # noqa: S608


def explain_large_family(facts: Facts) -> list[str]:
    return [
        _("You have %(children)s living children aged %(age)s or more; the benefit is for "
          "mothers of at least %(required)s children.")
        % {"children": facts["children"], "age": years(facts["child_min_age"]),
           "required": facts["children_required"]},
        _("It is paid for each child under %(limit)s: %(count)s × %(rate)s = %(amount)s a "
          "month.")
        % {"limit": years(facts["child_age_limit"]), "count": facts["paid_for"],
           "rate": money(facts, "rate", "large_family_mother_benefit"),
           "amount": awarded_amount(facts)},
        *_period(facts),
    ]


# ---------------------------------------------------------------- loss of breadwinner

# A child under 18 of a parent who died without the insurance record a survivor's
# labour pension needs (pensions.survivor's own test, so the two never both apply,
# whichever runs first). One benefit per child: for the parent who died first; none
# when either parent left a survivor's pension, which the child draws instead.
LOSS_OF_BREADWINNER_SQL = f"""
WITH orphans AS (
    SELECT p.id, p.birth_date, d.id AS deceased_id, d.fin, d.first_name, d.last_name,
           d.death_date
    FROM registry_person p
    JOIN registry_familyrelation r ON r.person_id = p.id AND r.kind = 'parent'
    JOIN registry_person d ON d.id = r.relative_id
    WHERE {{population}} AND p.death_date IS NULL
      AND p.birth_date > (%(on)s::date - make_interval(years => {CHILD_AGE_LIMIT}))::date
      AND d.death_date <= %(on)s
      AND (r.until IS NULL OR r.until >= d.death_date)
),
records AS (
    SELECT o.deceased_id, cap.insurance_months
    FROM (SELECT DISTINCT deceased_id FROM orphans) o
    {capital_of("o.deceased_id")}
),
breadwinners AS (
    SELECT DISTINCT ON (o.id) o.*, k.insurance_months
    FROM orphans o
    JOIN records k ON k.deceased_id = o.deceased_id
    WHERE NOT EXISTS (SELECT 1 FROM orphans o2
                      JOIN records k2 ON k2.deceased_id = o2.deceased_id
                      WHERE o2.id = o.id
                        AND k2.insurance_months >= %(survivor_min_insured_months)s)
    ORDER BY o.id, o.death_date, o.deceased_id
)
SELECT b.id AS person_id, b.deceased_id AS basis_person_id,
       {_dated("loss_of_breadwinner_benefit", "lp.period_start")} AS amount,
       lp.period_start, lp.period_end,
       jsonb_build_object(
           'deceased_fin', b.fin, 'deceased_name', b.first_name || ' ' || b.last_name,
           'death_date', b.death_date, 'insured_months', round(b.insurance_months, 1),
           'required_months', %(survivor_min_insured_months)s,
           'period_start', lp.period_start, 'period_end', lp.period_end) AS facts
FROM breadwinners b
CROSS JOIN LATERAL (
    SELECT greatest(b.death_date, b.birth_date, (%(law_dates)s::date[])[1]) AS starts,
           (b.birth_date + make_interval(years => {CHILD_AGE_LIMIT}))::date - 1 AS ends
) s
{_law_periods("s.starts", "s.ends")}
WHERE s.starts <= %(on)s
  AND NOT EXISTS (SELECT 1 FROM entitlements_award o
                  WHERE o.person_id = b.id AND o.benefit = 'loss_of_breadwinner_benefit'
                    AND o.basis_person_id <> b.deceased_id AND o.status <> 'annulled'
                  OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
  AND {_no_award_from("loss_of_breadwinner_benefit", "b.id", "b.deceased_id",
                      "lp.period_start")}
"""  # noqa: S608


def explain_loss_of_breadwinner(facts: Facts) -> list[str]:
    return [
        _("%(name)s (FIN %(fin)s), your parent, died on %(date)s.")
        % {"name": facts["deceased_name"], "fin": facts["deceased_fin"],
           "date": day(facts["death_date"])},
        _("Their insurance period of %(months)s is less than the %(required)s "
          "a survivor's labour pension needs, so you receive the social benefit for the loss "
          "of a breadwinner instead: %(amount)s a month, until the day before your 18th "
          "birthday.")
        % {"months": months(facts["insured_months"]),
           "required": months(facts["required_months"]),
           "amount": from_parameter(awarded_amount(facts), facts,
                                    "loss_of_breadwinner_benefit")},
        *_period(facts),
    ]


# ---------------------------------------------------------------- old-age social benefit

# The age is the labour pension's retirement age (the Law on social benefits, art.
# 1.0.2, refers to arts. 7 and 8 of the Law on labour pensions; the separate ages of 67
# for men and 62 for women ended on 2020-01-01), by the same cohort rule. Those whose
# record gives an old-age labour pension are left to pensions.old_age: the two never
# both apply, whichever runs first.
OLD_AGE_SOCIAL_SQL = f"""
SELECT a.id AS person_id, NULL::bigint AS basis_person_id,
       {_dated("old_age_social_benefit", "lp.period_start")} AS amount,
       lp.period_start, lp.period_end,
       jsonb_build_object(
           'birth_date', a.birth_date, 'sex', a.sex,
           'retirement_age_months', a.retirement_months, 'reached_on', a.reached_on,
           'pension_capital', round(cap.capital, 2),
           'insured_years', round(cap.insured_years, 1),
           'period_start', lp.period_start, 'period_end', lp.period_end) AS facts
FROM (
    SELECT p.id, p.sex, p.birth_date, r.months AS retirement_months, r.reached_on
    FROM registry_person p
    {retirement_months("p")}
    WHERE p.death_date IS NULL AND {{population}}
      AND {retirement_band("p.birth_date", reached_by="%(on)s")}
      AND r.reached_on <= %(on)s
      AND NOT {_draws_labour_pension("p.id")}
    -- A fence: the cheap tests first, the capital below only for those who pass them.
    OFFSET 0
) a
{capital_of("a.id")}
CROSS JOIN LATERAL (SELECT greatest(a.reached_on, (%(law_dates)s::date[])[1]) AS starts) s
{_law_periods("s.starts", "NULL::date")}
WHERE NOT {old_age_entitled("cap.capital", "cap.insured_years")}
  AND s.starts <= %(on)s
  AND {_no_award_from("old_age_social_benefit", "a.id", "NULL", "lp.period_start")}
"""  # noqa: S608


def explain_old_age_social(facts: Facts) -> list[str]:
    return [
        explain_retirement_age(facts),
        _("Your pension capital of %(capital)s and insurance period of %(years)s give "
          "no labour pension, so you receive the old-age social benefit: %(amount)s a month.")
        % {"capital": money(facts, "pension_capital"), "years": years(facts["insured_years"]),
           "amount": from_parameter(awarded_amount(facts), facts, "old_age_social_benefit")},
        *_period(facts),
    ]


# ---------------------------------------------------------------- arguments and registry

def disability_benefit_arguments(on: dt.date) -> dict[str, Any]:
    return {"law_dates": _law_dates(*DISABILITY_BENEFIT_AMOUNTS)}


def child_disability_benefit_arguments(on: dt.date) -> dict[str, Any]:
    return {"law_dates": _law_dates("child_disability_benefit")}


def loss_of_breadwinner_arguments(on: dt.date) -> dict[str, Any]:
    return {**capital_indexation(on), "law_dates": _law_dates("loss_of_breadwinner_benefit")}


def old_age_social_arguments(on: dt.date) -> dict[str, Any]:
    return {**capital_indexation(on), "law_dates": _law_dates("old_age_social_benefit")}


PARAMETER_LABELS = {
    "funeral_grant_minimum_pensions": ParameterLabel(
        gettext_lazy("Funeral grant on a pensioner's death, in minimum pensions"), Unit.NUMBER),
    "funeral_allowance": ParameterLabel(
        gettext_lazy("Funeral allowance"), Unit.MONEY, dated_by="death_date"),
    "funeral_recipient_adult_age_years": ParameterLabel(
        gettext_lazy("Age a child must have reached to receive a funeral benefit"), Unit.YEARS),
    "disability_benefit_81_100": ParameterLabel(
        # xgettext:no-python-format
        gettext_lazy("Disability benefit, 81-100 % impairment"), Unit.MONEY,
        dated_by="period_start", concerns=("degree", "1")),
    "disability_benefit_61_80": ParameterLabel(
        # xgettext:no-python-format
        gettext_lazy("Disability benefit, 61-80 % impairment"), Unit.MONEY,
        dated_by="period_start", concerns=("degree", "2")),
    "disability_benefit_31_60": ParameterLabel(
        # xgettext:no-python-format
        gettext_lazy("Disability benefit, 31-60 % impairment"), Unit.MONEY,
        dated_by="period_start", concerns=("degree", "3")),
    "social_benefit_child_age_limit_years": ParameterLabel(
        gettext_lazy("Age until which a child receives a child's social benefit"), Unit.YEARS),
    "child_disability_benefit": ParameterLabel(
        gettext_lazy("Benefit for a child with disability"), Unit.MONEY,
        dated_by="period_start"),
    "large_family_mother_benefit": ParameterLabel(
        gettext_lazy("Benefit per child for a mother of five or more children"), Unit.MONEY,
        dated_by="period_start"),
    "large_family_mother_children_count": ParameterLabel(
        gettext_lazy("Children a mother must have for the benefit"), Unit.COUNT),
    "large_family_mother_child_min_age_years": ParameterLabel(
        gettext_lazy("Age from which a child counts"), Unit.YEARS),
    "large_family_mother_child_age_limit_years": ParameterLabel(
        gettext_lazy("Age until which the benefit is paid for a child"), Unit.YEARS),
    "loss_of_breadwinner_benefit": ParameterLabel(
        gettext_lazy("Social benefit for the loss of a breadwinner"), Unit.MONEY,
        dated_by="period_start"),
    "old_age_social_benefit": ParameterLabel(
        gettext_lazy("Old-age social benefit"), Unit.MONEY, dated_by="period_start"),
}


def register_rules() -> None:
    register(Rule(
        code="pensions.funeral_grant",
        benefit="funeral_grant",
        title=gettext_lazy("funeral grant on a pensioner's death"),
        legal_source=f"{LEGAL_SOURCE} (funeral benefit on a pensioner's death: 3 × the "
                     "minimum pension)",
        frequency=Frequency.ONCE,
        sql=FUNERAL_GRANT_SQL,
        parameters=("funeral_grant_minimum_pensions", "funeral_recipient_adult_age_years"),
        dated_parameters=("minimum_pension",),
        arises_from_death=True,
        # A death is a recorded fact, rechecked with the deceased's relatives.
        wake_sql="",
        explain=explain_funeral_grant,
    ))
    register(Rule(
        code="pensions.funeral_allowance",
        benefit="funeral_allowance",
        title=gettext_lazy("funeral allowance"),
        legal_source=f"{LEGAL_SOURCE} (funeral allowance)",
        frequency=Frequency.ONCE,
        sql=FUNERAL_ALLOWANCE_SQL,
        parameters=("funeral_recipient_adult_age_years",),
        dated_parameters=("funeral_allowance",),
        arises_from_death=True,
        wake_sql="",
        explain=explain_funeral_allowance,
    ))
    register(Rule(
        code="pensions.disability_benefit",
        benefit="disability_benefit",
        title=gettext_lazy("social benefit for persons with disabilities"),
        legal_source=f"{LEGAL_SOURCE} (disability benefit by degree)",
        frequency=Frequency.MONTHLY,
        sql=DISABILITY_BENEFIT_SQL,
        parameters=("social_benefit_child_age_limit_years",),
        dated_parameters=DISABILITY_BENEFIT_AMOUNTS,
        prepare=disability_benefit_arguments,
        wake_sql=DISABILITY_BENEFIT_WAKE_SQL,
        explain=explain_disability_benefit,
    ))
    register(Rule(
        code="pensions.child_disability_benefit",
        benefit="child_disability_benefit",
        title=gettext_lazy("benefit for a child with disability under 18"),
        legal_source=f"{LEGAL_SOURCE} (benefit for a child with disability under 18)",
        frequency=Frequency.MONTHLY,
        sql=CHILD_DISABILITY_BENEFIT_SQL,
        parameters=("social_benefit_child_age_limit_years",),
        dated_parameters=("child_disability_benefit",),
        prepare=child_disability_benefit_arguments,
        # A finding is a recorded fact; time alone only ends the right (at 18).
        wake_sql="",
        explain=explain_child_disability_benefit,
    ))
    register(Rule(
        code="pensions.large_family_mother_benefit",
        benefit="large_family_mother_benefit",
        title=gettext_lazy("benefit for mothers of five or more children"),
        legal_source="Presidential decree of 2013-12-27 and order of 2019-02-25 (monthly "
                     "benefit per child to mothers of five or more children)",
        frequency=Frequency.MONTHLY,
        sql=LARGE_FAMILY_SQL,
        parameters=("large_family_mother_children_count",
                    "large_family_mother_child_min_age_years",
                    "large_family_mother_child_age_limit_years"),
        dated_parameters=("large_family_mother_benefit",),
        wake_sql=LARGE_FAMILY_WAKE_SQL,
        explain=explain_large_family,
    ))
    register(Rule(
        code="pensions.loss_of_breadwinner_benefit",
        benefit="loss_of_breadwinner_benefit",
        title=gettext_lazy("social benefit for the loss of a breadwinner"),
        legal_source=f"{LEGAL_SOURCE} (loss-of-breadwinner benefit)",
        frequency=Frequency.MONTHLY,
        sql=LOSS_OF_BREADWINNER_SQL,
        parameters=(*CAPITAL_PARAMETERS, "social_benefit_child_age_limit_years",
                    "survivor_min_insured_months"),
        dated_parameters=("loss_of_breadwinner_benefit",),
        prepare=loss_of_breadwinner_arguments,
        watches=("pension_capital_indexation",),
        arises_from_death=True,
        # A death is a recorded fact; time alone only ends the right (at 18).
        wake_sql="",
        explain=explain_loss_of_breadwinner,
    ))
    register(Rule(
        code="pensions.old_age_social_benefit",
        benefit="old_age_social_benefit",
        title=gettext_lazy("old-age social benefit"),
        legal_source=f"{LEGAL_SOURCE} (old-age benefit, art. 1.0.2: the age of arts. 7-8 of "
                     "the Law on labour pensions)",
        frequency=Frequency.MONTHLY,
        sql=OLD_AGE_SOCIAL_SQL,
        parameters=OLD_AGE_PARAMETERS,
        dated_parameters=(*RETIREMENT_AGE_PARAMETERS, "old_age_social_benefit"),
        prepare=old_age_social_arguments,
        watches=("pension_capital_indexation",),
        wake_sql=REACHING_RETIREMENT_SQL,
        explain=explain_old_age_social,
    ))
    register_parameter_labels(PARAMETER_LABELS)
