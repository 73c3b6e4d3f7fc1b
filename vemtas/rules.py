"""The proactive engine's rules for targeted social assistance.

``vemtas.tssa`` awards a case the cross-checks (and the home visit) cleared, and
the new period a change in the household gives (a birth raises the amount from
its month); the engine ends the earlier period the day before and pays the
difference for months already paid. ``vemtas.child_under_one`` is the benefit for
a child under one in a household drawing TSSA, awarded without an application.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.entitlements.models import Frequency
from dost.entitlements.parameter_labels import ParameterLabel, Unit, register_parameter_labels
from dost.entitlements.rules import Rule, register
from dost.formatting import format_date, format_money
from vemtas.checks import dated

LEGAL_SOURCE = "Law of the Republic of Azerbaijan on targeted state social assistance"

_CRITERION = dated("tssa_needs_criterion", "c.applied_on")

TSSA_SQL = f"""
SELECT c.applicant_id AS person_id, NULL::bigint AS basis_person_id,
       greatest(0, {_CRITERION} * c.members_counted - c.income_counted) AS amount,
       c.period_start, c.period_end,
       jsonb_build_object('case', c.id, 'applied_on', c.applied_on,
                          'members', c.members_counted, 'income', c.income_counted,
                          'declared_income', c.declared_income,
                          'found_income', c.found_income, 'criterion', {_CRITERION},
                          'period_start', c.period_start, 'period_end', c.period_end)
           AS facts
FROM vemtas_case c
JOIN registry_person p ON p.id = c.applicant_id
WHERE c.state = 'eligible' AND p.death_date IS NULL AND {{population}}
  AND {_CRITERION} * c.members_counted > c.income_counted
UNION ALL
SELECT c.applicant_id, NULL::bigint,
       greatest(0, {_CRITERION} * x.members_counted - x.monthly_income),
       x.effective_from, c.period_end,
       jsonb_build_object('case', c.id, 'applied_on', c.applied_on,
                          'members', x.members_counted, 'income', x.monthly_income,
                          'declared_income', c.declared_income,
                          'found_income', c.found_income, 'criterion', {_CRITERION},
                          'change', x.kind, 'change_on', x.occurred_on,
                          'period_start', x.effective_from, 'period_end', c.period_end)
FROM vemtas_change x
JOIN vemtas_case c ON c.id = x.case_id
JOIN registry_person p ON p.id = c.applicant_id
WHERE x.state = 'pending' AND c.state = 'awarded' AND p.death_date IS NULL AND {{population}}
  AND x.effective_from <= c.period_end
  AND {_CRITERION} * x.members_counted > x.monthly_income
"""  # noqa: S608

# A child under one, a member of a household whose TSSA award runs on the scan date:
# the benefit is paid to the applicant (the household's representative) until the
# month before the first birthday, or the award's end if sooner.
CHILD_UNDER_ONE_SQL = f"""
SELECT c.applicant_id AS person_id, k.id AS basis_person_id,
       {dated("tssa_child_under_one_benefit", "greatest(k.birth_date, a.period_start)")}
           AS amount,
       greatest(date_trunc('month', k.birth_date)::date, a.period_start) AS period_start,
       least(a.period_end, (k.birth_date + interval '1 year')::date - 1) AS period_end,
       jsonb_build_object('child', k.id, 'child_birth_date', k.birth_date, 'case', c.id,
                          'tssa_from', a.period_start, 'tssa_until', a.period_end,
                          'period_start', greatest(date_trunc('month', k.birth_date)::date,
                                                   a.period_start),
                          'period_end', least(a.period_end,
                                              (k.birth_date + interval '1 year')::date - 1))
           AS facts
FROM vemtas_case c
JOIN registry_person p ON p.id = c.applicant_id
-- The household's TSSA period running on the scan date (a change may have begun a new one).
CROSS JOIN LATERAL (
    SELECT w.period_start, w.period_end FROM entitlements_award w
    WHERE w.person_id = c.applicant_id AND w.benefit = 'tssa' AND w.status = 'awarded'
      AND w.basis_person_id IS NULL AND w.period_start <= %(on)s
      AND coalesce(w.period_end, %(on)s) >= %(on)s
    ORDER BY w.period_start DESC LIMIT 1
) a
JOIN registry_person k ON k.household_id = c.household_id
WHERE c.state = 'awarded' AND {{population}} AND p.death_date IS NULL
  AND k.death_date IS NULL AND k.birth_date > (%(on)s::date - interval '1 year')::date
  AND k.birth_date <= %(on)s
  AND {dated("tssa_child_under_one_benefit", "greatest(k.birth_date, a.period_start)")}
      IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM entitlements_award w
                  WHERE w.person_id = c.applicant_id AND w.benefit = 'tssa_child_under_one'
                    AND w.basis_person_id = k.id OFFSET 0)
"""  # noqa: S608


def explain_tssa(facts: Mapping[str, Any]) -> list[str]:
    lines = [
        _("The needs criterion in force on the day you applied (%(applied)s) is %(criterion)s "
          "per person a month. For %(members)s members of the household that is "
          "%(total)s.") % {
            "applied": format_date(facts["applied_on"]),
            "criterion": format_money(facts["criterion"]),
            "members": facts["members"],
            "total": format_money(float(facts["criterion"]) * int(facts["members"]))},
        _("The household's average monthly income counted is %(income)s (you declared "
          "%(declared)s; the institutions' records show %(found)s). The assistance is the "
          "difference.") % {
            "income": format_money(facts["income"]),
            "declared": format_money(facts["declared_income"]),
            "found": format_money(facts["found_income"] or 0)},
    ]
    if facts.get("change"):
        lines.append(_("Recalculated from %(from)s after a change in the household on "
                       "%(on)s.") % {"from": format_date(facts["period_start"]),
                                     "on": format_date(facts["change_on"])})
    lines.append(_("Paid monthly from %(from)s until %(until)s; you are invited to renew "
                   "before it ends.") % {"from": format_date(facts["period_start"]),
                                         "until": format_date(facts["period_end"])})
    return lines


def explain_child_under_one(facts: Mapping[str, Any]) -> list[str]:
    return [_("A child born on %(born)s lives in a household that receives targeted social "
              "assistance: the benefit is paid until the child turns one, from %(from)s until "
              "%(until)s.") % {"born": format_date(facts["child_birth_date"]),
                               "from": format_date(facts["period_start"]),
                               "until": format_date(facts["period_end"])}]


PARAMETER_LABELS = {
    "tssa_needs_criterion": ParameterLabel(
        gettext_lazy("Needs criterion per person a month"), Unit.MONEY, dated_by="applied_on"),
    "tssa_child_under_one_benefit": ParameterLabel(
        gettext_lazy("Benefit for a child under one in a TSSA household"), Unit.MONEY,
        dated_by="period_start"),
}


def register_rules() -> None:
    register_parameter_labels(PARAMETER_LABELS)
    register(Rule(
        code="vemtas.tssa",
        benefit="tssa",
        title=gettext_lazy("targeted state social assistance"),
        legal_source=f"{LEGAL_SOURCE} (amount: needs criterion × members − average monthly "
                     "income; one year from the first of the month of application)",
        frequency=Frequency.MONTHLY,
        sql=TSSA_SQL,
        dated_parameters=("tssa_needs_criterion",),
        # Cases become eligible by a decision, never by time alone.
        wake_sql="",
        explain=explain_tssa,
    ))
    register(Rule(
        code="vemtas.child_under_one",
        benefit="tssa_child_under_one",
        title=gettext_lazy("benefit for a child under one in a TSSA household"),
        legal_source=f"{LEGAL_SOURCE}; presidential decrees on the benefit for a child under "
                     "one in a family receiving TSSA",
        frequency=Frequency.MONTHLY,
        sql=CHILD_UNDER_ONE_SQL,
        dated_parameters=("tssa_child_under_one_benefit",),
        wake_sql="",
        explain=explain_child_under_one,
    ))
