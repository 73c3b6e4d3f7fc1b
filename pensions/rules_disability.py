"""Disability labour pension: capital ÷ a coefficient by the age at onset, period by period.

The pension follows the expert commission's findings. Each finding is one
period of the award, from the day it was decided to the day before it lapses
(``valid_until`` is the first day a finding no longer holds). A finding decided
before the previous one lapsed, or within a short grace after, renews it: the
pension continues with a new period, and the engine ends the previous period
the day before. A lapsed finding with no renewal ends the pension; a later
finding starts a new chain.

The registry holds findings, not a separate date of onset: the onset is the
first finding of the chain of renewals. The coefficient and the required
insurance period follow the age at onset, and the capital and insurance period
count the record up to the onset's year: work after the disability began does
not make the pension, and a renewal at another percentage does not change how
it is worked out (only the minimum pension or indexation can move its amount).

After consecutive fixed-term findings for the years the assessment criteria
name for the degree (disability_indefinite_after_years), the status is
indefinite: the period of the finding decided once the run has lasted that
long has no end, whatever term the finding names. The chain is read from the
recorded terms, so a finding decided after such a status's recorded term (plus
the grace) starts a new chain; the commission recording the indefinite status
itself (a finding without valid_until) avoids that.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.parameter_labels import Unit, format_quantity
from dost.entitlements.parameters import history, parameter_on
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    CAPITAL_PARAMETERS,
    LABOUR_PENSION_REPLACES,
    LABOUR_PENSIONS,
    RETIREMENT_AGE_PARAMETERS,
    capital_indexation,
    capital_of,
    retirement_band,
    retirement_months,
    table_arrays,
    table_lookup,
)
from pensions.explain import (
    day,
    explain_indexations,
    from_parameter,
    money,
    months,
    number,
    percent_points,
    years,
)

BENEFIT = "disability_pension"
# One labour pension at a time: the others this one replaces when it is higher.
_OTHER_LABOUR_PENSIONS = ", ".join(f"'{benefit}'" for benefit in LABOUR_PENSIONS
                                   if benefit != BENEFIT)

# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
DISABILITY_SQL = f"""
WITH findings AS MATERIALIZED (
    -- The findings of the living beneficiaries that have taken effect by the scan date,
    -- one a day: a finding recorded again for the same day corrects the first. (The band
    -- only narrows the search to those not yet retired; the exact test comes below.)
    SELECT DISTINCT ON (s.person_id, s.determined_on)
           s.person_id, p.birth_date, p.sex, s.percent, s.determined_on, s.valid_until
    FROM registry_person p
    JOIN registry_disabilitystatus s ON s.person_id = p.id AND s.determined_on <= %(on)s
    WHERE p.death_date IS NULL AND {{population}}
      AND {retirement_band("p.birth_date", reached_after="%(on)s")}
    ORDER BY s.person_id, s.determined_on, s.recorded_at DESC, s.id DESC
),
linked AS (
    -- A finding holds while the day is before its valid_until (the day it lapses). It
    -- renews the one before it when decided by that day, or within the grace after it;
    -- after a finding without a term, any later one is a reassessment that renews it.
    SELECT f.*,
           lag(f.determined_on) OVER w AS previous_on,
           lag(f.valid_until) OVER w AS previous_lapses_on,
           lag(f.determined_on) OVER w IS NOT NULL
           AND (lag(f.valid_until) OVER w IS NULL
                OR f.determined_on <= lag(f.valid_until) OVER w
                                      + %(disability_renewal_grace_days)s::int) AS renews,
           lead(f.determined_on) OVER w IS NULL AS latest
    FROM findings f
    WINDOW w AS (PARTITION BY f.person_id ORDER BY f.determined_on)
),
chained AS (
    -- Gaps and islands: a chain starts at a finding that renews nothing, and the onset of
    -- the disability is the start of the chain, the latest such day so far.
    SELECT l.*,
           max(l.determined_on) FILTER (WHERE NOT l.renews)
               OVER (PARTITION BY l.person_id ORDER BY l.determined_on) AS onset
    FROM linked l
),
degrees AS (
    -- The same degree by degree (each lowest percentage in the indefinite-status table):
    -- a run is a chain of findings all at that degree or a higher one.
    SELECT c.person_id, c.determined_on, b.percent_from,
           c.renews AND coalesce(lag(c.percent >= b.percent_from) OVER w, false) AS continues
    FROM chained c
    CROSS JOIN (SELECT DISTINCT unnest(%(disability_indefinite__percents)s::int[])
                    AS percent_from) b
    WINDOW w AS (PARTITION BY c.person_id, b.percent_from ORDER BY c.determined_on)
),
runs AS (
    SELECT d.person_id, d.determined_on, d.percent_from,
           max(d.determined_on) FILTER (WHERE NOT d.continues)
               OVER (PARTITION BY d.person_id, d.percent_from ORDER BY d.determined_on)
               AS run_start
    FROM degrees d
),
periods AS (
    -- The pension follows the finding in effect: the last one decided, which replaced any
    -- earlier one whatever that one's term. Its period runs to the day before it lapses,
    -- with no end when the finding has none, or when the run of findings before it at its
    -- degree lasted the years after which the law makes the status indefinite.
    SELECT c.person_id, c.birth_date, c.sex, c.percent, c.determined_on, c.valid_until,
           c.onset, c.renews, c.previous_on, c.previous_lapses_on,
           extract(year FROM age(c.onset, c.birth_date))::int AS age_at_onset,
           th.percent_from AS indefinite_from, th.years AS indefinite_after_years,
           u.run_start, x.by_run AS indefinite_by_run,
           -- A renewal decided late, within the grace, continues from the day the
           -- previous finding lapsed: the day after its period ended.
           CASE WHEN c.renews AND c.previous_lapses_on < c.determined_on
                THEN c.previous_lapses_on ELSE c.determined_on END AS period_start,
           CASE WHEN c.valid_until IS NULL OR x.by_run THEN NULL
                ELSE c.valid_until - 1 END AS period_end
    FROM chained c
    -- The thresholds in force on the day of the finding, for its degree.
    LEFT JOIN LATERAL (
        SELECT t.percent_from, t.years
        FROM unnest(%(disability_indefinite__starts)s::date[],
                    %(disability_indefinite__percents)s::int[],
                    %(disability_indefinite__years)s::int[]) AS t(starts_on, percent_from, years)
        WHERE t.percent_from <= c.percent
          AND t.starts_on = (SELECT max(v.starts_on)
                             FROM unnest(%(disability_indefinite__starts)s::date[]) AS v(starts_on)
                             WHERE v.starts_on <= c.determined_on)
        ORDER BY t.percent_from DESC LIMIT 1
    ) th ON true
    LEFT JOIN runs u ON u.person_id = c.person_id AND u.determined_on = c.determined_on
                    AND u.percent_from = th.percent_from
    CROSS JOIN LATERAL (
        SELECT coalesce(c.valid_until IS NOT NULL
                        AND c.determined_on >= u.run_start + make_interval(years => th.years),
                        false) AS by_run
    ) x
    WHERE c.latest
),
candidates AS (
    SELECT e.*,
           {table_lookup("disability_min_insurance_months", "e.age_at_onset", value_type="int")}
               AS required_months,
           {table_lookup("disability_pension_coefficients", "e.age_at_onset",
                         value_type="numeric")} AS coefficient
    FROM periods e
    {retirement_months("e")}
    WHERE (e.period_end IS NULL OR e.period_end >= %(on)s)
      -- Disability before 18 is covered by the social benefit, not by this pension.
      AND e.age_at_onset >= %(disability_pension_min_age_years)s
      -- At retirement age the old-age pension takes over (pensions.old_age, or
      -- pensions.old_age_transition for someone already drawing this pension):
      -- splitting by age keeps the outcome independent of the order rules run in.
      AND r.reached_on > %(on)s
      -- This finding's period is awarded already, or a later one is.
      AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                      WHERE w.person_id = e.person_id AND w.benefit = 'disability_pension'
                        AND w.basis_person_id IS NULL AND w.period_start >= e.period_start
                      OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
    -- OFFSET 0 keeps PostgreSQL from merging this selection into the outer query: the
    -- capital below is computed only for the people who pass the tests above.
    OFFSET 0
)
SELECT e.person_id, NULL::bigint AS basis_person_id, a.amount,
       -- After a higher labour pension that ran out during the finding, not over it.
       greatest(e.period_start, h.higher_ended_on + 1) AS period_start, e.period_end,
       jsonb_build_object(
           'percent', e.percent, 'determined_on', e.determined_on,
           'valid_until', e.valid_until, 'period_end', e.period_end,
           'onset', e.onset, 'age_at_onset', e.age_at_onset,
           'renews', CASE WHEN e.renews THEN e.previous_on END,
           'previous_valid_until', CASE WHEN e.renews THEN e.previous_lapses_on END,
           'continued_from', CASE WHEN e.period_start < e.determined_on THEN e.period_start END,
           'renewal_grace_days', %(disability_renewal_grace_days)s,
           'indefinite_from_percent', CASE WHEN e.indefinite_by_run THEN e.indefinite_from END,
           'indefinite_after_years',
               CASE WHEN e.indefinite_by_run THEN e.indefinite_after_years END,
           'run_start', CASE WHEN e.indefinite_by_run THEN e.run_start END,
           'pension_capital', round(cap.capital, 2),
           'insured_months', round(cap.insurance_months, 1),
           'required_months', e.required_months, 'coefficient', e.coefficient,
           'capital_pension', round(cap.capital / e.coefficient, 2),
           'minimum_pension', %(minimum_pension)s,
           'replaced_benefit', h.running_benefit, 'replaced_amount', h.running_amount)
           AS facts
FROM candidates e
-- The capital and the insurance period as they stood at the onset: work after the
-- disability began does not make the pension, and a renewal does not move the onset.
{capital_of("e.person_id", until="e.onset")}
CROSS JOIN LATERAL (
    SELECT round(greatest(cap.capital / e.coefficient, %(minimum_pension)s), 2) AS amount
) a
-- One labour pension at a time: the other labour pensions held during this period.
LEFT JOIN LATERAL (
    SELECT (array_agg(h.amount ORDER BY h.amount DESC)
                FILTER (WHERE h.period_end IS NULL OR h.period_end >= %(on)s))[1]
               AS running_amount,
           (array_agg(h.benefit ORDER BY h.amount DESC)
                FILTER (WHERE h.period_end IS NULL OR h.period_end >= %(on)s))[1]
               AS running_benefit,
           max(h.period_end) FILTER (WHERE h.period_end < %(on)s AND h.amount >= a.amount)
               AS higher_ended_on
    FROM entitlements_award h
    WHERE h.person_id = e.person_id AND h.benefit IN ({_OTHER_LABOUR_PENSIONS})
      AND h.status = 'awarded'
      AND (h.period_end IS NULL OR h.period_end >= e.period_start)
      AND (e.period_end IS NULL OR h.period_start <= e.period_end)
) h ON true
-- An age outside the tables has no coefficient in law: no pension rather than a guess.
WHERE e.coefficient IS NOT NULL AND e.required_months IS NOT NULL
  AND cap.insurance_months >= e.required_months
  -- Offered only when higher than the labour pension drawn now, which it then replaces.
  AND (h.running_amount IS NULL OR a.amount > h.running_amount)
"""  # noqa: S608


def disability_arguments(on: dt.date) -> dict[str, Any]:
    """Indexation factors, the two age tables and the indefinite-status thresholds as
    arrays SQL can search."""
    arguments = capital_indexation(on)
    arguments.update(table_arrays("disability_min_insurance_months",
                                  parameter_on("disability_min_insurance_months", on).value,
                                  integer_values=True))
    arguments.update(table_arrays("disability_pension_coefficients",
                                  parameter_on("disability_pension_coefficients", on).value,
                                  integer_values=False))
    arguments.update(indefinite_thresholds())
    return arguments


def indefinite_thresholds() -> dict[str, list]:
    """Every dated version of the indefinite-status table, one row per degree: the
    threshold that applies is the one in force on the day of the finding, not of the scan.
    """
    rows = [(value.starts_on, int(percent_from), int(years))
            for value in history("disability_indefinite_after_years")
            for percent_from, years in value.value.items()]
    return {"disability_indefinite__starts": [row[0] for row in rows],
            "disability_indefinite__percents": [row[1] for row in rows],
            "disability_indefinite__years": [row[2] for row in rows]}


REPLACED_TITLES = {
    "old_age_pension": _("old-age labour pension"),
    "survivor_pension": _("survivor's labour pension"),
}


def explain_finding(facts: dict[str, Any]) -> list[str]:
    """The finding the period follows and, for a renewal, the onset the pension rests on."""
    found = {"percent": percent_points(facts["percent"]), "date": day(facts["determined_on"])}
    if not facts.get("renews"):
        return [_("The medical-social expert commission found a %(percent)s impairment on "
                  "%(date)s, when you were %(age)s years old.")
                % {**found, "age": facts["age_at_onset"]}]
    if facts.get("continued_from"):
        renewal = (_("On %(date)s the medical-social expert commission renewed your disability "
                     "finding of %(previous)s, at %(percent)s, after it had lapsed on "
                     "%(lapsed)s. A renewal within %(grace)s of the lapse continues the "
                     "pension, so it is paid from %(from)s without a break.")
                   % {**found, "previous": day(facts["renews"]),
                      "lapsed": day(facts["previous_valid_until"]),
                      "grace": from_parameter(
                          format_quantity(facts["renewal_grace_days"], Unit.DAYS), facts,
                          "disability_renewal_grace_days"),
                      "from": day(facts["continued_from"])})
    elif facts.get("previous_valid_until"):
        renewal = (_("On %(date)s the medical-social expert commission renewed your disability "
                     "finding of %(previous)s before it lapsed, at %(percent)s: the pension "
                     "continues without a break.")
                   % {**found, "previous": day(facts["renews"])})
    else:
        renewal = (_("On %(date)s the medical-social expert commission assessed your "
                     "disability again, at %(percent)s: the pension continues without a break.")
                   % found)
    return [renewal,
            _("It still rests on the disability that began on %(onset)s, when you were "
              "%(age)s years old: the amount depends on your age and insurance then, not on "
              "the percentage found since.")
            % {"onset": day(facts["onset"]), "age": facts["age_at_onset"]}]


def explain_period(facts: dict[str, Any]) -> list[str]:
    """Until when the pension is paid: the day before the finding lapses, or no end."""
    if "period_end" not in facts:
        # Decided before the periods followed the findings: the period ended on valid_until.
        if not facts.get("valid_until"):
            return []
        return [_("The pension is paid while the finding is valid, until %(date)s.")
                % {"date": day(facts["valid_until"])}]
    if facts.get("indefinite_after_years"):
        return [_("On %(date)s your disability status became indefinite: your findings at "
                  "%(degree)s or more had followed one another without a break since "
                  "%(since)s, and after %(years)s of consecutive fixed-term findings at that "
                  "degree the status is indefinite. So the pension has no end date, although "
                  "the finding names %(valid_until)s.")
                % {"date": day(facts["determined_on"]),
                   "degree": percent_points(facts["indefinite_from_percent"]),
                   "since": day(facts["run_start"]),
                   "years": years(facts["indefinite_after_years"]),
                   "valid_until": day(facts["valid_until"])}]
    if facts["period_end"]:
        return [_("The finding lapses on %(lapses)s: the pension is paid until the day before, "
                  "%(date)s, unless the commission renews the finding.")
                % {"lapses": day(facts["valid_until"]), "date": day(facts["period_end"])}]
    return []


def explain_disability(facts: dict[str, Any]) -> list[str]:
    sentences = [
        *explain_finding(facts),
        _("By then your insurance period was %(months)s; at that age at least %(required)s "
          "are needed.")
        % {"months": months(facts["insured_months"]),
           "required": from_parameter(months(facts["required_months"]), facts,
                                      "disability_min_insurance_months")},
        _("The pension capital you had built up by then, indexed to today, is %(capital)s; "
          "divided by the coefficient %(coefficient)s for that age it gives %(amount)s. The "
          "minimum pension is %(minimum)s, and you receive the higher of the two.")
        % {"capital": money(facts, "pension_capital"),
           "coefficient": from_parameter(number(facts["coefficient"]), facts,
                                         "disability_pension_coefficients"),
           "amount": money(facts, "capital_pension"),
           "minimum": money(facts, "minimum_pension", "minimum_pension")},
    ]
    sentences.extend(explain_period(facts))
    if facts.get("replaced_benefit"):
        sentences.append(
            _("This is more than your %(pension)s of %(amount)s, which it replaces.")
            % {"pension": REPLACED_TITLES.get(facts["replaced_benefit"],
                                              facts["replaced_benefit"]),
               "amount": money(facts, "replaced_amount")})
    return [*sentences, *explain_indexations(facts)]


def register_rules() -> None:
    register(Rule(
        code="pensions.disability",
        benefit=BENEFIT,
        replaces=LABOUR_PENSION_REPLACES,
        title=_("disability labour pension"),
        legal_source="Law on labour pensions, disability pension (dsmf.gov.az); criteria of "
                     "disability assessment of 2022-07-01 (Cabinet decision No. 187)",
        frequency=Frequency.MONTHLY,
        sql=DISABILITY_SQL,
        parameters=(*CAPITAL_PARAMETERS, "minimum_pension",
                    "disability_pension_min_age_years", "disability_min_insurance_months",
                    "disability_pension_coefficients", "disability_renewal_grace_days"),
        # The indefinite-status thresholds apply as of the day of each finding; their
        # whole history is recorded with the award (the SQL reads the rows that
        # disability_arguments derives from it).
        dated_parameters=(*RETIREMENT_AGE_PARAMETERS, "disability_indefinite_after_years"),
        prepare=disability_arguments,
        watches=("pension_capital_indexation",),
        # Only a finding taking effect (its determined_on, which dost.entitlements.incremental
        # rechecks for every rule) starts, renews or changes a period, and only on that day
        # does a run of findings make the status indefinite; a lapse needs no scan (the
        # period ends by itself), and a higher labour pension running out is an award's end,
        # rechecked too. Time alone only brings people closer to the retirement age, which
        # ends this rule.
        wake_sql="",
        explain=explain_disability,
    ))
