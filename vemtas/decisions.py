"""The system's decisions on targeted social assistance cases, and staff overturning them.

A refusal and an award are written set-based, for every case a run decides at
once: the e-applications settled (``dost.applications``), the decision log, the
SMS. An award is made by the proactive engine's TSSA rule (``vemtas.rules``), so
it has the engine's award row, explanation, bank card request and monthly payment
schedule, and its decision-log entry.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.models import User
from dost.applications.services import applications_settle_by_rule
from dost.audit.decisions import (
    decision_batch_close,
    decision_batch_open,
    decision_record,
    entry_insert_sql,
)
from dost.audit.models import DecisionKind
from dost.entitlements.engine import run_rule
from dost.entitlements.rules import rule_for_code
from dost.entitlements.stops import stop_on_fact_ended
from dost.errors import DomainError
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from vemtas.models import AssessmentState, Case, CaseState, Discrepancy, Ground

RULE_CODE = "vemtas.tssa"
BENEFIT = "tssa"
REFUSED_TEMPLATE = "tssa_refused"
OVERTURN_REASON_MIN = 10


# The decision-log entry of each refused case: its grounds, with source and values.
_REFUSALS = """
    SELECT 'refusal' AS kind, c.applicant_id AS person_id, NULL::bigint AS award_id,
           'tssa-case:' || c.id AS subject, %(decided_by)s AS decided_by,
           jsonb_build_object('application', c.application_id,
                              'grounds', (SELECT jsonb_agg(jsonb_build_object(
                                  'ground', d.ground, 'source', d.source,
                                  'person', d.person_id, 'declared', d.declared,
                                  'found', d.found) ORDER BY d.id)
                                  FROM vemtas_discrepancy d WHERE d.case_id = c.id),
                              'false_declaration', c.false_declaration) AS details,
           audit_facts_hash(NULL, NULL) AS facts_hash
    FROM refused c
"""


def cases_refuse_sql(*, decisions_sql: str) -> str:
    """One statement refusing, among the cases ``%(ids)s``, those just marked refused
    and not yet told: their e-applications rejected (timeline event), the decision-log
    entries ``decisions_sql`` inserts from the CTE ``refused``, and the SMS. Returns one
    row: how many were refused."""
    return f"""
WITH refused AS (
    SELECT c.* FROM vemtas_case c
    WHERE c.id = ANY(%(ids)s) AND c.state = 'refused'
      AND NOT EXISTS (SELECT 1 FROM notifications_smsmessage m
                      WHERE m.dedupe_key = 'tssa-refused:' || c.id)
      AND NOT EXISTS (SELECT 1 FROM applications_applicationevent e
                      WHERE e.application_id = c.application_id
                        AND e.status_to = 'rejected')
),
settled AS (
    UPDATE applications_application a
    SET status = 'rejected', status_changed_at = statement_timestamp()
    FROM refused c, applications_application old
    WHERE a.id = c.application_id AND old.id = a.id
      AND a.status IN ('submitted', 'in_review', 'needs_information')
    RETURNING a.id, old.status AS status_from
),
events AS (
    INSERT INTO applications_applicationevent
        (application_id, status_from, status_to, actor_id, note, at)
    SELECT id, status_from, 'rejected', NULL,
           'Refused on the cross-checks with other institutions.', statement_timestamp()
    FROM settled
    RETURNING 1
),
sms AS (
    INSERT INTO notifications_smsmessage (person_id, phone, language, template, context,
                                          dedupe_key)
    SELECT p.id, p.phone, p.language, '{REFUSED_TEMPLATE}',
           jsonb_build_object('case', c.id, 'grounds',
                              (SELECT count(*) FROM vemtas_discrepancy d WHERE d.case_id = c.id)),
           'tssa-refused:' || c.id
    FROM refused c JOIN registry_person p ON p.id = c.applicant_id
    WHERE p.phone <> ''
    RETURNING 1
),
decisions AS (
{decisions_sql}
    RETURNING 1
)
SELECT (SELECT count(*) FROM refused), (SELECT count(*) FROM events),
       (SELECT count(*) FROM sms), (SELECT count(*) FROM decisions)
"""  # noqa: S608


def cases_award(*, case_ids: list[int], on: dt.date) -> int:
    """Award the eligible cases among ``case_ids`` through the engine's TSSA rule.

    The rule's statement writes the awards with their SMS, bank requests, payment
    schedules and decision-log entries; the cases then point at their awards and
    their e-applications are approved. Returns how many cases were awarded.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT applicant_id FROM vemtas_case "
                       "WHERE id = ANY(%s) AND state = 'eligible'", [case_ids])
        applicants = [row[0] for row in cursor.fetchall()]
        if not applicants:
            return 0
        run_rule(rule_for_code(RULE_CODE), on=on, people=applicants)
        cursor.execute(
            """
            UPDATE vemtas_case c
            SET state = 'awarded', award_id = a.id, amount = a.amount,
                decided_at = statement_timestamp()
            FROM entitlements_award a
            WHERE c.id = ANY(%s) AND c.state = 'eligible'
              AND a.person_id = c.applicant_id AND a.benefit = %s
              AND a.basis_person_id IS NULL AND a.period_start = c.period_start
            """, [case_ids, BENEFIT])
        awarded = cursor.rowcount
        applications_settle_by_rule(
            cursor=cursor,
            settled_sql="SELECT application_id, 'approved' AS status, "
                        "'Awarded: nothing disagreed on the cross-checks.' AS note "
                        "FROM vemtas_case WHERE id = ANY(%(ids)s) AND state = 'awarded'",
            params={"ids": case_ids})
    schedule_delivery()
    return awarded


def case_after_visit(*, case_id: int, on: dt.date | None = None) -> Case:
    """Decide a case once its home-visit assessment is signed.

    An assessment that found conditions disagreeing with the declaration refuses
    the case on that ground; otherwise the case is awarded by the engine.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("assessment").get(
            pk=case_id)
        if case.state != CaseState.VISIT:
            raise DomainError(_("This case is not waiting for a home visit."),
                              code="not_waiting_for_visit")
        assessment = case.assessment
        if assessment.state != AssessmentState.SIGNED:
            raise DomainError(_("The assessment is not signed yet."), code="not_signed")
        if assessment.matches_declaration is False:
            Discrepancy.objects.create(
                case=case, ground=Ground.ASSESSMENT, source="assessment",
                declared=str(case.members.filter(confirmed=True).count()),
                found=(assessment.disagreement or "")[:300])
            Case.objects.filter(pk=case.pk).update(state=CaseState.REFUSED,
                                                   false_declaration=True,
                                                   decided_at=timezone.now())
            cases_refuse(case_ids=[case.pk], decided_by="rule:vemtas.home_visit")
        else:
            Case.objects.filter(pk=case.pk).update(state=CaseState.ELIGIBLE)
            cases_award(case_ids=[case.pk], on=on)
    case.refresh_from_db()
    return case


def cases_refuse(*, case_ids: list[int], decided_by: str) -> int:
    """Tell the refusals among ``case_ids`` not yet told: e-applications rejected, one
    decision-log entry per case listing its grounds, the SMS. Returns how many."""
    batch = decision_batch_open()
    with connection.cursor() as cursor:
        cursor.execute(cases_refuse_sql(decisions_sql=entry_insert_sql(select_sql=_REFUSALS)),
                       {"ids": case_ids, "_batch": batch, "decided_by": decided_by})
        refused = cursor.fetchone()[0]
    if refused:
        decision_batch_close(batch)
    schedule_delivery()
    return refused


def case_overturn(*, case: Case, actor: User, reason: str, on: dt.date | None = None) -> Case:
    """Staff overturn the system's decision on ``case``, with a recorded reason.

    A refusal becomes an award (the engine's rule, from the case's period); an award
    is stopped from the month after today's. Either way the reason and the official
    go to the decision log. Refused without a reason of substance, on a case the
    system has not decided, and on one staff have already overturned.
    """
    on = on or timezone.localdate()
    reason = (reason or "").strip()
    if len(reason) < OVERTURN_REASON_MIN:
        raise DomainError(_("Give the reason for overturning the decision: it is recorded "
                            "and shown to the citizen."), code="reason_required")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.overturned_by_id is not None:
            # Back and forth would leave the case on an award already stopped; a second
            # look is an appeal, decided with the citizen's complaint.
            raise DomainError(_("Staff have already overturned this decision once; a further "
                                "review goes through the citizen's appeal."),
                              code="already_overturned")
        if locked.state == CaseState.REFUSED:
            if locked.amount is None or locked.amount <= 0:
                raise DomainError(_("The household's income is not below the needs criterion: "
                                    "there is no amount to award."), code="no_amount")
            Case.objects.filter(pk=locked.pk).update(
                state=CaseState.ELIGIBLE, overturned_by=actor, overturn_reason=reason,
                false_declaration=False)
            _log_overturn(locked, actor=actor, reason=reason, to="awarded")
            cases_award(case_ids=[locked.pk], on=on)
        elif locked.state == CaseState.AWARDED and locked.award_id is not None:
            last_day = _month_end(on)
            stop_on_fact_ended(person_id=locked.applicant_id, benefits=[BENEFIT],
                               last_day=last_day, decided_by=f"official:{actor.pk}",
                               details={"reason": reason, "case": locked.pk})
            Case.objects.filter(pk=locked.pk).update(
                state=CaseState.REFUSED, overturned_by=actor, overturn_reason=reason,
                decided_at=timezone.now())
            _log_overturn(locked, actor=actor, reason=reason, to="refused")
        else:
            raise DomainError(_("Only a decided case can be overturned."), code="not_decided")
        sms_enqueue(person=locked.applicant, template="tssa_overturned",
                    context={"case": locked.pk, "to": "awarded" if locked.state ==
                             CaseState.REFUSED else "refused"},
                    dedupe_key=f"tssa-overturned:{locked.pk}:{timezone.now():%Y%m%d%H%M%S}")
        schedule_delivery()
    locked.refresh_from_db()
    return locked


def _log_overturn(case: Case, *, actor: User, reason: str, to: str) -> None:
    decision_record(kind=DecisionKind.APPLICATION, subject=f"tssa-case:{case.pk}",
                    decided_by=f"official:{actor.pk}", person_id=case.applicant_id,
                    details={"overturned": case.state, "to": to, "reason": reason,
                             "application": case.application_id})


def _month_end(on: dt.date) -> dt.date:
    first_next = (on.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first_next - dt.timedelta(days=1)


