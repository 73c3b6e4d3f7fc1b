"""Survivor's labour pension, for the dependants of an insured person who died.

The deceased's would-be old-age amount (capital ÷ expected payment months, at
least the minimum pension) is shared equally among the dependants, each share
rounded down to the qəpik so that together they never exceed it. The equal
split is an estimate: the law's own shares were not checked.

Dependants here: children under the age limit, and after it while in full-time
study up to the student age limit; a spouse (married at the death) from the day
they reach retirement age; each until their own death. Whenever one joins or
leaves, the pension is shared again from that day: each share is a period of
the same right, and the engine ends the earlier period when the next is awarded.
A dependant drawing another labour pension (their own old-age pension) keeps it
unless this share is higher. Not yet covered: older children disabled before 18,
parents, a spouse with a 61-100 % impairment, a relative caring for young
children, and the condition of 4 insured months per year of working age.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dost.entitlements.models import Frequency
from dost.entitlements.rules import Rule, register
from pensions.capital import (
    CAPITAL_PARAMETERS,
    RETIREMENT_AGE_PARAMETERS,
    capital_indexation,
    capital_of,
    retirement_band,
    retirement_months,
)
from pensions.explain import day, explain_indexations, money, years

# The birthdays a child (alias c) reaches the age limit and the student age limit on.
CHILD_LIMIT = ("(c.birth_date + make_interval(years => %(survivor_child_age_limit_years)s))"
               "::date")
STUDENT_LIMIT = ("(c.birth_date + make_interval(years => %(survivor_student_age_limit_years)s))"
                 "::date")
STUDENT_YEARS = "make_interval(years => %(survivor_student_age_limit_years)s)"

# The shares depend on every dependant of the deceased, so they are counted
# from the deceased outwards, whether or not they fall in {population}: a scan
# splits the population into id ranges, and siblings in two ranges must get the
# same share. {population} appears twice: to find the deceased the beneficiaries
# in it may draw on, and to award only those beneficiaries. Whoever has drawn a
# period is read back from the awards, so a chunk run later agrees with one run
# earlier.
# Composed from this package's own SQL fragments: no input reaches the text;
# every value is a query parameter.
SURVIVOR_SQL = f"""
WITH reached AS (
    SELECT DISTINCT d.id
    FROM registry_person p
    JOIN registry_familyrelation r ON r.person_id = p.id AND r.kind IN ('parent', 'spouse')
    JOIN registry_person d ON d.id = r.relative_id
    WHERE {{population}} AND p.death_date IS NULL AND d.death_date <= %(on)s
),
-- With the other deceased parent or spouse of their possible dependants: someone who
-- is a dependant of two chooses one of them, and every chunk must see that choice.
-- (A child only of a parent who died before they reached the student age limit.)
deceased AS (
    SELECT d.id, d.fin, d.first_name, d.last_name, d.death_date
    FROM registry_person d
    WHERE d.id IN (SELECT id FROM reached)
    UNION
    SELECT d.id, d.fin, d.first_name, d.last_name, d.death_date
    FROM reached x
    JOIN registry_person xd ON xd.id = x.id
    JOIN registry_familyrelation r ON r.relative_id = x.id AND r.kind IN ('parent', 'spouse')
    JOIN registry_person c ON c.id = r.person_id
    JOIN registry_familyrelation o ON o.person_id = c.id AND o.relative_id <> x.id
                                  AND o.kind IN ('parent', 'spouse')
    JOIN registry_person d ON d.id = o.relative_id
    WHERE d.death_date <= %(on)s
      AND (r.kind = 'spouse' OR c.birth_date > xd.death_date - {STUDENT_YEARS})
      AND (o.kind = 'spouse' OR c.birth_date > d.death_date - {STUDENT_YEARS})
),
insured AS (
    -- Rounded first: the shares are cut from the amount the explanation shows.
    SELECT d.*, cap.capital, cap.insured_years,
           round(greatest(cap.capital / %(expected_payment_months)s, %(minimum_pension)s), 2)
               AS full_pension
    FROM deceased d
    {capital_of("d.id")}
    WHERE cap.insurance_months >= %(survivor_min_insured_months)s
),
-- When each relative is a dependant, in pieces: a child under the age limit; a child
-- in full-time study after it (one piece per study); a spouse married at the death,
-- from the day they reach the retirement age in force that day. Anyone only until
-- the day they die.
pieces AS (
    SELECT i.id AS deceased_id, c.id AS person_id, 'child' AS relation, false AS studying,
           greatest(i.death_date, c.birth_date) AS starts_on,
           least({CHILD_LIMIT} - 1, c.death_date) AS ends_on
    FROM insured i
    JOIN registry_familyrelation r ON r.relative_id = i.id AND r.kind = 'parent'
    JOIN registry_person c ON c.id = r.person_id
    WHERE r.until IS NULL OR r.until >= i.death_date
    UNION ALL
    SELECT i.id, c.id, 'child', true,
           greatest(i.death_date, s.started_on, {CHILD_LIMIT}),
           least(s.ended_on, c.death_date, {STUDENT_LIMIT} - 1)
    FROM insured i
    JOIN registry_familyrelation r ON r.relative_id = i.id AND r.kind = 'parent'
    JOIN registry_person c ON c.id = r.person_id
    JOIN registry_study s ON s.person_id = c.id AND s.full_time
    WHERE r.until IS NULL OR r.until >= i.death_date
    UNION ALL
    SELECT i.id, s.id, 'spouse', false, greatest(i.death_date, age.reached_on), s.death_date
    FROM insured i
    JOIN registry_familyrelation m ON m.relative_id = i.id AND m.kind = 'spouse'
    JOIN registry_person s ON s.id = m.person_id
    {retirement_months("s", "age")}
    WHERE m.until IS NULL OR m.until >= i.death_date
),
-- What each dependant has done with this right: drawn it from their first period on
-- and, if they switched to another labour pension since, no longer after that.
rights AS (
    SELECT a.basis_person_id AS deceased_id, a.person_id,
           min(a.period_start) AS taken_from, max(a.period_start) AS last_start,
           max(a.period_end) FILTER (WHERE a.status = 'superseded' OR a.end_reason = 'switch')
               AS left_on
    FROM insured i
    JOIN entitlements_award a ON a.benefit = 'survivor_pension' AND a.basis_person_id = i.id
    WHERE a.status <> 'annulled'
    GROUP BY a.basis_person_id, a.person_id
),
-- Pieces that touch merged into stretches (a child who goes on to study stays a
-- dependant without a break), cut where the dependant switched to another pension.
stretches AS (
    SELECT g.deceased_id, g.person_id, g.relation, g.studying, g.starts_on,
           least(g.ends_on, w.left_on) AS ends_on, w.taken_from, w.last_start
    FROM (
        SELECT deceased_id, person_id, relation, bool_or(studying) AS studying,
               min(starts_on) AS starts_on,
               CASE WHEN bool_or(ends_on IS NULL) THEN NULL ELSE max(ends_on) END AS ends_on
        FROM (
            SELECT k.*, sum(k.new_stretch) OVER (PARTITION BY k.deceased_id, k.person_id
                                                 ORDER BY k.starts_on, k.ends_on) AS stretch
            FROM (
                SELECT x.*,
                       CASE WHEN x.starts_on - 1 <= max(coalesce(x.ends_on, 'infinity'))
                                 OVER (PARTITION BY x.deceased_id, x.person_id
                                       ORDER BY x.starts_on, x.ends_on
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                            THEN 0 ELSE 1 END AS new_stretch
                FROM pieces x
                WHERE x.starts_on <= %(on)s AND x.starts_on <= coalesce(x.ends_on, 'infinity')
            ) k
        ) m
        GROUP BY deceased_id, person_id, relation, stretch
    ) g
    LEFT JOIN rights w ON w.deceased_id = g.deceased_id AND w.person_id = g.person_id
    WHERE w.left_on IS NULL OR w.left_on >= g.starts_on
),
-- The days the dependants change, up to the scan date: someone joins, or leaves (the
-- day after their last). Between two of them the pension is split the same way.
segments AS (
    SELECT deceased_id, on_day AS starts_on,
           lead(on_day) OVER (PARTITION BY deceased_id ORDER BY on_day) AS next_start
    FROM (SELECT DISTINCT s.deceased_id, b.on_day
          FROM stretches s
          CROSS JOIN LATERAL (VALUES (s.starts_on), (s.ends_on + 1)) b(on_day)
          WHERE b.on_day <= %(on)s) breaks
),
eligible AS (
    SELECT e.*, (floor(i.full_pension / e.eligible_count * 100) / 100)::numeric(12, 2)
               AS eligible_share
    FROM (
        SELECT g.deceased_id, g.starts_on, g.next_start, s.person_id, s.relation, s.studying,
               s.starts_on AS stretch_from, s.ends_on AS eligible_until, s.taken_from,
               s.last_start,
               count(*) OVER (PARTITION BY g.deceased_id, g.starts_on) AS eligible_count
        FROM segments g
        JOIN stretches s ON s.deceased_id = g.deceased_id AND s.starts_on <= g.starts_on
                        AND (s.ends_on IS NULL OR s.ends_on >= g.starts_on)
    ) e
    JOIN insured i ON i.id = e.deceased_id
),
-- One labour pension at a time. Someone drawing another one (their own old-age
-- pension) shares this one only if its latest share is higher, from the first period
-- in which it was; until then the others share without them. Someone who could draw
-- this and another survivor's pension, and draws neither yet, takes the higher one.
-- Whoever has drawn this pension counts from their first period on: the others'
-- shares were cut on that day, whatever has changed since.
members AS (
    SELECT m.*, count(*) OVER (PARTITION BY m.deceased_id, m.starts_on) AS dependants
    FROM (
        SELECT c.*,
               dense_rank() OVER (PARTITION BY c.person_id,
                                               c.taken_from IS NULL AND c.held IS NULL
                                  ORDER BY c.latest_share DESC, c.deceased_id) AS preference,
               min(c.starts_on) FILTER (WHERE c.eligible_share > c.held)
                   OVER (PARTITION BY c.deceased_id, c.person_id) AS higher_from
        FROM (
            -- Per dependant: their share in the latest period (everyone eligible
            -- counted), and the highest other labour pension they draw meanwhile.
            SELECT e.*,
                   first_value(e.eligible_share) OVER (PARTITION BY e.deceased_id, e.person_id
                                                       ORDER BY e.starts_on DESC)
                       AS latest_share,
                   max(h.amount) OVER (PARTITION BY e.deceased_id, e.person_id) AS held
            FROM eligible e
            LEFT JOIN LATERAL (
                SELECT max(o.amount) AS amount
                FROM entitlements_award o
                WHERE o.person_id = e.person_id AND o.status = 'awarded'
                  AND o.benefit IN ('old_age_pension', 'disability_pension', 'survivor_pension')
                  AND NOT (o.benefit = 'survivor_pension' AND o.basis_person_id = e.deceased_id)
                  AND (o.period_end IS NULL
                       OR o.period_end >= greatest(o.period_start, e.stretch_from))
                  AND (e.eligible_until IS NULL OR o.period_start <= e.eligible_until)
            ) h ON true
        ) c
    ) m
    WHERE CASE WHEN m.taken_from IS NOT NULL THEN m.starts_on >= m.taken_from
               WHEN m.held IS NOT NULL THEN m.latest_share > m.held
                                            AND m.starts_on >= m.higher_from
               ELSE m.preference = 1 END
),
offers AS (
    SELECT x.*, i.fin, i.first_name, i.last_name, i.death_date, i.full_pension, i.capital,
           i.insured_years,
           (floor(i.full_pension / x.dependants * 100) / 100)::numeric(12, 2) AS share,
           CASE WHEN x.next_start IS NOT NULL THEN x.next_start - 1 ELSE x.eligible_until END
               AS period_end
    FROM members x
    JOIN insured i ON i.id = x.deceased_id
    JOIN registry_person p ON p.id = x.person_id
    WHERE {{population}} AND p.death_date IS NULL
      -- Only periods after the last one awarded: a re-run offers nothing, and a period
      -- already ended by a later one is never offered again.
      AND (x.last_start IS NULL OR x.starts_on > x.last_start)
      -- Others awarded this period with another count (a fact recorded late changed who
      -- shares it): offering it would split more than the pension.
      AND NOT EXISTS (SELECT 1 FROM entitlements_award a
                      WHERE a.benefit = 'survivor_pension' AND a.basis_person_id = x.deceased_id
                        AND a.period_start = x.starts_on AND a.status <> 'annulled'
                        AND (a.facts ->> 'dependants')::int <> x.dependants
                      OFFSET 0)  -- a per-person probe (see dost.entitlements.rules)
),
-- A safety net for the exclusion of two labour pensions at once: whatever happens,
-- one deceased's periods per person and statement, the highest latest share.
ranked AS (
    SELECT o.*, dense_rank() OVER (PARTITION BY o.person_id
                                   ORDER BY o.offered_share DESC, o.deceased_id) AS rank
    FROM (SELECT f.*, first_value(f.share) OVER (PARTITION BY f.person_id, f.deceased_id
                                                 ORDER BY f.starts_on DESC) AS offered_share
          FROM offers f) o
)
SELECT x.person_id, x.deceased_id AS basis_person_id, x.share AS amount,
       x.starts_on AS period_start, x.period_end,
       jsonb_build_object(
           'deceased_fin', x.fin, 'deceased_name', x.first_name || ' ' || x.last_name,
           'death_date', x.death_date, 'relation', x.relation, 'studying', x.studying,
           'dependants', x.dependants, 'share', x.share, 'full_pension', x.full_pension,
           'pension_capital', round(x.capital, 2), 'insured_years', round(x.insured_years, 1),
           'minimum_pension', %(minimum_pension)s, 'period_start', x.starts_on,
           'period_end', x.period_end, 'eligible_until', x.eligible_until) AS facts
FROM ranked x
WHERE x.rank = 1
"""  # noqa: S608

# For a scan after a completed one: every dependant of a deceased whose dependants
# change in (since, on], since all their shares change. By time alone: a child
# reaching the age limit or the student age limit, a study starting or ending, a
# widow(er) reaching the retirement age, the end of the share of someone who switched
# to another pension. Also a dependant's death, a study recorded since the last scan:
# the incremental scan rechecks a changed person's relatives, one relation away, and
# the other dependants are two (through the deceased).
# Each age is searched in a band of birth dates the birth-date index serves (a day
# wider on each side: a birthday on 29 February falls on 28 February).
SURVIVOR_WAKE_SQL = f"""
WITH moved AS (
    SELECT r.relative_id AS deceased_id
    FROM registry_person c
    JOIN registry_familyrelation r ON r.person_id = c.id AND r.kind = 'parent'
    CROSS JOIN LATERAL (VALUES (%(survivor_child_age_limit_years)s),
                               (%(survivor_student_age_limit_years)s)) a(years)
    WHERE c.birth_date > (%(since)s::date - make_interval(years => a.years))::date - 1
      AND c.birth_date <= (%(on)s::date - make_interval(years => a.years))::date + 1
      AND (c.birth_date + make_interval(years => a.years))::date > %(since)s
      AND (c.birth_date + make_interval(years => a.years))::date <= %(on)s
    UNION
    SELECT r.relative_id
    FROM registry_study s
    JOIN registry_familyrelation r ON r.person_id = s.person_id AND r.kind = 'parent'
    WHERE s.recorded_at >= %(since_at)s
       OR (s.started_on > %(since)s AND s.started_on <= %(on)s)
       OR (s.ended_on >= %(since)s AND s.ended_on < %(on)s)
    UNION
    SELECT m.relative_id
    FROM registry_person w
    {retirement_months("w", "age")}
    JOIN registry_familyrelation m ON m.person_id = w.id AND m.kind = 'spouse'
    WHERE w.death_date IS NULL
      AND {retirement_band("w.birth_date", reached_after="%(since)s", reached_by="%(on)s")}
      AND age.reached_on > %(since)s AND age.reached_on <= %(on)s
    UNION
    SELECT r.relative_id
    FROM registry_person x
    JOIN registry_familyrelation r ON r.person_id = x.id AND r.kind IN ('parent', 'spouse')
    WHERE x.death_date IS NOT NULL
      AND ((x.death_date >= %(since)s AND x.death_date < %(on)s)
           OR x.updated_at >= %(since_at)s)
    UNION
    SELECT a.basis_person_id
    FROM entitlements_award a
    WHERE a.benefit = 'survivor_pension' AND (a.status = 'superseded' OR a.end_reason = 'switch')
      AND a.period_end >= %(since)s AND a.period_end < %(on)s
)
SELECT DISTINCT r.person_id AS id
FROM moved m
JOIN registry_person d ON d.id = m.deceased_id AND d.death_date <= %(on)s
JOIN registry_familyrelation r ON r.relative_id = d.id AND r.kind IN ('parent', 'spouse')
"""  # noqa: S608 (composed from pensions.capital's fragments; values are parameters)


def explain_survivor(facts: dict[str, Any]) -> list[str]:
    values = {"name": facts["deceased_name"], "fin": facts["deceased_fin"],
              "date": day(facts["death_date"]), "years": years(facts["insured_years"])}
    if facts["relation"] == "child":
        who = _("%(name)s (FIN %(fin)s), your parent, died on %(date)s after %(years)s of "
                "insurance.") % values
    else:
        who = _("%(name)s (FIN %(fin)s), your spouse, died on %(date)s after %(years)s of "
                "insurance, and you have reached retirement age.") % values
    sentences = [
        who,
        _("Their pension capital of %(capital)s ÷ the expected payment months, at least the "
          "minimum pension of %(minimum)s, gives %(full)s a month.")
        % {"capital": money(facts, "pension_capital"),
           "minimum": money(facts, "minimum_pension", "minimum_pension"),
           "full": money(facts, "full_pension")},
        _explain_share(facts),
        *_explain_period(facts),
    ]
    return [*sentences, *explain_indexations(facts)]


def _explain_share(facts: dict[str, Any]) -> str:
    if "period_start" not in facts:
        # Awarded before the shares were re-split when a dependant joins or leaves.
        return _("It is shared equally among the %(count)s dependants: %(share)s each. The "
                 "equal split is an estimate of the law's shares.") % {
            "count": facts["dependants"], "share": money(facts, "share")}
    return _("From %(start)s it is shared equally among the dependants, %(count)s in all: "
             "%(share)s each, rounded down to the qəpik so that the shares never add up to "
             "more than the pension. The equal split is an estimate of the law's shares.") % {
        "start": day(facts["period_start"]), "count": facts["dependants"],
        "share": money(facts, "share")}


def _explain_period(facts: dict[str, Any]) -> list[str]:
    """Until when this share applies: the next re-split, or the dependant's own end."""
    end = facts.get("period_end")
    # Awarded before the re-splits, the period ended only where the child's right did.
    until = facts.get("eligible_until", end)
    if end and end != until:
        return [_("This share applies until %(date)s: the next day a dependant joined or "
                  "left, and the pension was shared again.") % {"date": day(end)}]
    sentences = []
    if "period_start" in facts:
        sentences.append(_("If a dependant joins or leaves, the pension is shared again from "
                           "that day."))
    if until and facts["relation"] == "child":
        if facts.get("studying"):
            sentences.append(_("As a child of the deceased in full-time study you receive it "
                               "until %(date)s.") % {"date": day(until)})
        else:
            sentences.append(_("As a child of the deceased you receive it until %(date)s, the "
                               "day before you reach the age limit.") % {"date": day(until)})
    return sentences


def register_rules() -> None:
    register(Rule(
        code="pensions.survivor",
        benefit="survivor_pension",
        title=_("survivor's labour pension"),
        legal_source="Law on labour pensions, survivor's pension (dsmf.gov.az)",
        frequency=Frequency.MONTHLY,
        sql=SURVIVOR_SQL,
        wake_sql=SURVIVOR_WAKE_SQL,
        watches=("pension_capital_indexation",),
        parameters=(*CAPITAL_PARAMETERS, "expected_payment_months", "minimum_pension",
                    "survivor_min_insured_months", "survivor_child_age_limit_years",
                    "survivor_student_age_limit_years"),
        dated_parameters=RETIREMENT_AGE_PARAMETERS,
        prepare=capital_indexation,
        # One labour pension at a time: the SQL offers this one only when it is higher.
        replaces=("old_age_pension", "disability_pension", "survivor_pension"),
        arises_from_death=True,
        explain=explain_survivor,
    ))
