"""Changes in an awarded household, and the invitation to renew.

A birth, a death or a new job reported through the Digital Bridge re-checks the
award of the household it touched, from the event's month: a ``Change`` row holds
the household as it stands after it, and the engine's TSSA rule offers the new
period (ending the earlier one, paying the difference for months already paid).
A change that leaves no amount, and a vehicle newly registered in the household
(found by the daily re-check at the vehicle register), stop the award, with a
decision in the log and an SMS.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from dost.bridge.listeners import LifeEvent
from dost.bridge.sources import sources_ask, subjects_prepare
from dost.entitlements.engine import run_rule
from dost.entitlements.models import Award
from dost.entitlements.parameters import parameter_on
from dost.entitlements.rules import rule_for_code
from dost.entitlements.stops import stop_on_fact_ended
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.registry.models import EmploymentSpell, Person
from vemtas.decisions import BENEFIT, RULE_CODE
from vemtas.models import Case, CaseState, Change, ChangeKind, ChangeState, Discrepancy, Ground


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _running_cases(person_ids: list[int], on: dt.date) -> list[Case]:
    households = Person.objects.filter(pk__in=person_ids, household_id__isnull=False)
    return list(Case.objects.filter(
        Q(household_id__in=households.values("household_id"))
        | Q(members__person_id__in=person_ids),
        state=CaseState.AWARDED, award__status=Award.Status.AWARDED, period_end__gte=on,
    ).distinct().select_related("applicant", "award"))


def _current_award(case: Case) -> Award | None:
    return (Award.objects.filter(person_id=case.applicant_id, benefit=BENEFIT,
                                 basis_person_id__isnull=True, status=Award.Status.AWARDED,
                                 period_start__gte=case.period_start)
            .order_by("-period_start").first())


def on_life_event(event: LifeEvent) -> int:
    """Re-check the awards of the households a birth, a death or a new job touched."""
    kinds = {"birth": ChangeKind.BIRTH, "death": ChangeKind.DEATH,
             "employment_start": ChangeKind.JOB}
    kind = kinds.get(event.type)
    if kind is None:
        return 0
    changes = []
    for case in _running_cases(list(event.people), event.occurred_on):
        award = _current_award(case)
        if award is None:
            continue
        members = int(award.facts.get("members") or case.members_counted or 1)
        income = Decimal(str(award.facts.get("income") or case.income_counted or 0))
        person = _event_person(case, event, kind)
        if person is None:
            continue
        if kind == ChangeKind.BIRTH:
            members += 1
            effective = event.occurred_on.replace(day=1)
        elif kind == ChangeKind.DEATH:
            if person.pk == case.applicant_id:
                continue  # the engine stops the deceased's own awards
            members = max(1, members - 1)
            effective = _first_of_next_month(event.occurred_on)
        else:
            spell = (EmploymentSpell.objects.filter(person=person,
                                                    started_on=event.occurred_on)
                     .order_by("-id").first())
            if spell is None:
                continue
            income += spell.monthly_wage
            effective = _first_of_next_month(event.occurred_on)
        changes.append(_record(case, kind=kind, person=person, occurred_on=event.occurred_on,
                               effective=effective, members=members, income=income))
    return changes_apply(changes)


def _event_person(case: Case, event: LifeEvent, kind: str) -> Person | None:
    """The member the event is about: the newborn of a birth, the deceased, the worker."""
    people = Person.objects.filter(pk__in=event.people)
    if case.household_id is not None:
        people = people.filter(household_id=case.household_id) if kind == ChangeKind.BIRTH \
            else people.filter(Q(household_id=case.household_id)
                               | Q(pk__in=case.members.values("person_id")))
    if kind == ChangeKind.BIRTH:
        people = people.filter(birth_date=event.occurred_on)
    return people.order_by("-birth_date").first()


def _record(case: Case, *, kind: str, person: Person, occurred_on: dt.date,
            effective: dt.date, members: int, income: Decimal) -> Change:
    change, _created = Change.objects.get_or_create(
        case=case, kind=kind, person=person, occurred_on=occurred_on,
        defaults={"effective_from": effective, "members_counted": members,
                  "monthly_income": income})
    return change


def changes_apply(changes: list[Change], *, on: dt.date | None = None) -> int:
    """Run the TSSA rule for the households changed, then settle each change: the award
    changed from its month, stopped when no amount is left, or unchanged."""
    pending = [change for change in changes if change.state == ChangeState.PENDING]
    if not pending:
        return 0
    on = on or timezone.localdate()
    with transaction.atomic():
        applicants = sorted({change.case.applicant_id for change in pending})
        run_rule(rule_for_code(RULE_CODE), on=on, people=applicants)
        for change in pending:
            _settle(change)
    schedule_delivery()
    return len(pending)


def _settle(change: Change) -> None:
    case = change.case
    award = Award.objects.filter(person_id=case.applicant_id, benefit=BENEFIT,
                                 basis_person_id__isnull=True,
                                 period_start=change.effective_from).first()
    if award is not None:
        Change.objects.filter(pk=change.pk).update(state=ChangeState.CHANGED, award=award)
        return
    criterion = Decimal(str(parameter_on("tssa_needs_criterion", case.applied_on).value))
    if criterion * change.members_counted > change.monthly_income:
        Change.objects.filter(pk=change.pk).update(state=ChangeState.UNCHANGED)
        return
    _stop(case, last_day=change.effective_from - dt.timedelta(days=1),
          reason=f"{change.kind}: income {change.monthly_income} not below the needs "
                 f"criterion for {change.members_counted} members")
    Change.objects.filter(pk=change.pk).update(state=ChangeState.STOPPED)


def _stop(case: Case, *, last_day: dt.date, reason: str) -> None:
    stop_on_fact_ended(person_id=case.applicant_id, benefits=[BENEFIT], last_day=last_day,
                       decided_by="rule:vemtas.change",
                       details={"case": case.pk, "reason": reason})
    sms_enqueue(person=case.applicant, template="tssa_stopped",
                context={"case": case.pk, "last_day": last_day.isoformat()},
                dedupe_key=f"tssa-stopped:{case.pk}:{last_day.isoformat()}")


def awards_recheck(*, on: dt.date | None = None) -> int:
    """The daily re-check of running awards at the vehicle register: a vehicle registered
    to a member since the case was checked stops the award from the next month.

    Set-based: one question to the vehicle source for every running award's members.
    A source that does not answer changes nothing today; the next run asks again.
    Returns how many awards were stopped.
    """
    on = on or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        subjects_prepare(cursor)
        cursor.execute(
            """
            INSERT INTO bridge_subjects (request_id, person_id, household_id, since, until)
            SELECT c.id, m.person_id, c.household_id, c.applied_on, %(on)s::date + 1
            FROM vemtas_case c
            JOIN entitlements_award a ON a.id = c.award_id
            JOIN vemtas_casemember m ON m.case_id = c.id AND m.confirmed
            WHERE c.state = 'awarded' AND c.period_end >= %(on)s
            """, {"on": on})
        answers = sources_ask(cursor, codes=["vehicles"])
        if answers.unavailable:
            return 0
        cursor.execute(
            """
            SELECT DISTINCT ON (a.request_id) a.request_id, a.person_id, a.detail, a.observed_on
            FROM bridge_answers a JOIN vemtas_case c ON c.id = a.request_id
            WHERE a.kind = 'vehicle' AND a.observed_on > c.applied_on
            ORDER BY a.request_id, a.observed_on
            """)
        found = cursor.fetchall()
    stopped = 0
    for case_id, person_id, detail, registered_on in found:
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("applicant").get(pk=case_id)
            award = _current_award(case)
            if award is None:
                continue
            last_day = _first_of_next_month(registered_on) - dt.timedelta(days=1)
            _record(case, kind=ChangeKind.VEHICLE, person=Person(pk=person_id),
                    occurred_on=registered_on, effective=_first_of_next_month(registered_on),
                    members=case.members_counted or 1, income=case.income_counted or Decimal(0))
            Change.objects.filter(case=case, kind=ChangeKind.VEHICLE,
                                  occurred_on=registered_on).update(state=ChangeState.STOPPED,
                                                                    detail=detail or "")
            Discrepancy.objects.create(case=case, ground=Ground.VEHICLE, source="vehicles",
                                       person_id=person_id, declared="", found=detail or "")
            _stop(case, last_day=max(last_day, award.period_start - dt.timedelta(days=1)),
                  reason=f"vehicle registered on {registered_on}: {detail}")
            stopped += 1
    schedule_delivery()
    return stopped


def renewals_invite(*, on: dt.date | None = None) -> int:
    """Invite by SMS the households whose award ends within the notice period and who have
    not applied again; set-based, each invited once. Returns how many were invited."""
    on = on or timezone.localdate()
    days = int(parameter_on("tssa_renewal_notice_days", on).value)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            WITH due AS (
                UPDATE vemtas_case c SET renewal_invited_at = statement_timestamp()
                FROM entitlements_award a
                WHERE a.id = c.award_id AND c.state = 'awarded' AND a.status = 'awarded'
                  AND c.renewal_invited_at IS NULL
                  AND c.period_end BETWEEN %(on)s AND %(on)s::date + %(days)s
                  AND NOT EXISTS (SELECT 1 FROM vemtas_case n WHERE n.renewal_of_id = c.id)
                RETURNING c.id, c.applicant_id, c.period_end
            )
            INSERT INTO notifications_smsmessage (person_id, phone, language, template,
                                                  context, dedupe_key)
            SELECT p.id, p.phone, p.language, 'tssa_renewal',
                   jsonb_build_object('case', d.id, 'until', d.period_end),
                   'tssa-renewal:' || d.id
            FROM due d JOIN registry_person p ON p.id = d.applicant_id
            WHERE p.phone <> '' AND p.death_date IS NULL
            ON CONFLICT (dedupe_key) DO NOTHING
            """, {"on": on, "days": days})
        invited = cursor.rowcount
    schedule_delivery()
    return invited
