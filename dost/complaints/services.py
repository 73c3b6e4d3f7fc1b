"""Writes to complaints: receive, take up, answer or reject, and escalate late ones.

Every step is on the citizen's timeline (``ComplaintStep``) and told to them by
SMS in the same transaction (dedupe keys: a retry tells no one twice). An answer
or a rejection is a decision, appended to the hash-chained decision log.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.accounts.models import Role
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionEntry, DecisionKind, Subject, channel_for_role
from dost.audit.services import access_record, access_records_for_list
from dost.complaints.calendar import add_working_days
from dost.complaints.models import (
    OPEN_STATUSES,
    Category,
    Channel,
    Complaint,
    ComplaintStep,
    Level,
    Status,
    StepKind,
)
from dost.complaints.selectors import complaint_may_handle
from dost.errors import DomainError
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.registry.models import Person

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dost.accounts.models import User

TEXT_MAX_LENGTH = 4000
# Working days a complaint may stay with the unit's head, once overdue, before it goes
# to the centre manager. Our assumption: no law sets this internal step.
MANAGER_GRACE_WORKING_DAYS = 3
# Officials who take a complaint for a citizen: a 142 agent by phone, an officer at a centre.
_TAKERS: dict[str, set[str]] = {Channel.PHONE: {Role.AGENT, Role.ADMIN},
                                 Channel.CENTRE: {Role.STAFF, Role.ADMIN}}


def _clean_text(value: str, *, message: str, code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, code=code)
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(_("Keep it within %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH},
                          code="too_long")
    return text


def _tell_citizen(complaint: Complaint, *, template: str, dedupe_key: str,
                  **context: object) -> None:
    message = sms_enqueue(person=complaint.person, template=template, dedupe_key=dedupe_key,
                          context={"reference": complaint.reference, **context})
    if message is not None:
        schedule_delivery()


def _log_access(complaint: Complaint, *, actor: User, reason: Promise,
                ip_address: str | None) -> None:
    # Stored in the citizen's own language: the log is theirs to read.
    with translation.override(complaint.person.language):
        text = str(reason) % {"reference": complaint.reference}
    access_record(person_id=complaint.person_id, actor_id=actor.pk,
                  channel=channel_for_role(actor.role), what=Subject.COMPLAINTS, reason=text,
                  ip_address=ip_address)


def complaint_open(*, person: Person, category: Category, text: str, channel: str,
                   opened_by: User | None = None, decision_entry_id: int | None = None,
                   ip_address: str | None = None) -> Complaint:
    """Receive a complaint; an appeal names a decision about this same person.

    By phone or at a centre an official takes it for the citizen (``opened_by``,
    logged in the citizen's access log); on the portal the citizen files it
    themselves. Writes the complaint with its deadline, the first timeline step
    and an SMS. Refuses bad input with a ``DomainError``, saving nothing.
    """
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), code="invalid_channel")
    if channel == Channel.PORTAL and opened_by is not None:
        raise DomainError(_("On the portal citizens file their own complaints."),
                          code="portal_self")
    if channel != Channel.PORTAL and (opened_by is None
                                      or opened_by.role not in _TAKERS[channel]):
        raise DomainError(_("Only an agent takes complaints by phone, and only a centre officer "
                            "at a centre."), code="not_a_taker")
    if not category.active:
        raise DomainError(_("This category no longer takes complaints."),
                          code="inactive_category")
    text = _clean_text(text, message=_("Describe your complaint."), code="text_required")
    decision = None
    if decision_entry_id is not None:
        decision = DecisionEntry.objects.filter(pk=decision_entry_id).first()
        if decision is None or decision.person_id != person.pk:
            raise DomainError(_("An appeal can contest only a decision about the same person."),
                              code="decision_of_another")
    elif category.appeal:
        raise DomainError(_("Choose the decision you contest."), code="decision_required")
    now = timezone.now()
    due_on = add_working_days(timezone.localdate(now), category.deadline_working_days)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            person=person, category=category, unit_id=category.unit_id, channel=channel,
            text=text, opened_by=opened_by, decision_entry=decision, received_at=now,
            due_on=due_on, manager_due_on=add_working_days(due_on, MANAGER_GRACE_WORKING_DAYS))
        complaint.reference = f"C-{timezone.localtime(now):%Y}-{complaint.pk:07d}"
        complaint.save(update_fields=["reference"])
        ComplaintStep.objects.create(complaint=complaint, kind=StepKind.RECEIVED,
                                     actor=opened_by, at=now)
        _tell_citizen(complaint, template="complaint_received",
                      dedupe_key=f"complaint:{complaint.pk}:received",
                      due_on=due_on.isoformat())
        if opened_by is not None:
            _log_access(complaint, actor=opened_by, ip_address=ip_address,
                        reason=gettext_lazy("Registering complaint %(reference)s for you"))
    return complaint


def _locked(complaint: Complaint, actor: User) -> Complaint:
    """The complaint re-read under a row lock, refused to anyone outside its unit's chain."""
    if not complaint_may_handle(actor, complaint.unit_id):
        raise DomainError(_("Only the responsible unit answers this complaint."),
                          code="not_of_unit")
    return (Complaint.objects.select_for_update(of=("self",)).select_related("person", "category")
            .get(pk=complaint.pk))


def _refresh(complaint: Complaint, locked: Complaint) -> None:
    for field in ("status", "taken_by_id", "answered_at", "answer"):
        setattr(complaint, field, getattr(locked, field))


def complaint_take(*, complaint: Complaint, actor: User,
                   ip_address: str | None = None) -> ComplaintStep:
    """An officer of the unit takes up a received complaint; the citizen is told."""
    with transaction.atomic():
        locked = _locked(complaint, actor)
        if locked.status != Status.RECEIVED:
            raise DomainError(_("This complaint has already been taken up or closed."),
                              code="not_received")
        locked.status = Status.IN_PROGRESS
        locked.taken_by = actor
        locked.save(update_fields=["status", "taken_by"])
        step = ComplaintStep.objects.create(complaint=locked, kind=StepKind.IN_PROGRESS,
                                            actor=actor)
        _tell_citizen(locked, template="complaint_status", status=Status.IN_PROGRESS,
                      dedupe_key=f"complaint:{locked.pk}:in_progress")
        _log_access(locked, actor=actor, ip_address=ip_address,
                    reason=gettext_lazy("Examining complaint %(reference)s"))
    _refresh(complaint, locked)
    return step


def _close(*, complaint: Complaint, actor: User, status: str, text: str,
           ip_address: str | None) -> ComplaintStep:
    with transaction.atomic():
        locked = _locked(complaint, actor)
        if locked.status not in OPEN_STATUSES:
            raise DomainError(_("This complaint is already closed."), code="closed")
        now = timezone.now()
        locked.status = status
        locked.answer = text
        locked.answered_at = now
        locked.taken_by = locked.taken_by or actor
        locked.save(update_fields=["status", "answer", "answered_at", "taken_by"])
        step = ComplaintStep.objects.create(complaint=locked, kind=status, note=text,
                                            actor=actor, at=now)
        _tell_citizen(locked, template="complaint_status", status=status,
                      dedupe_key=f"complaint:{locked.pk}:{status}")
        _log_access(locked, actor=actor, ip_address=ip_address,
                    reason=gettext_lazy("Answering complaint %(reference)s"))
        decision_record(
            kind=DecisionKind.COMPLAINT, subject=locked.reference,
            decided_by=f"official:{actor.pk}", person_id=locked.person_id,
            details={"complaint": locked.pk, "category": locked.category_id,
                     "status": status, "contested": locked.decision_entry_id,
                     "on_time": timezone.localdate(now) <= locked.due_on},
            facts={"complaint": locked.text, "answer": text},
        )
    _refresh(complaint, locked)
    return step


def complaint_answer(*, complaint: Complaint, actor: User, answer: str,
                     ip_address: str | None = None) -> ComplaintStep:
    """The unit answers the complaint: timeline, SMS and an entry in the decision log."""
    answer = _clean_text(answer, message=_("Write the answer to the citizen."),
                         code="answer_required")
    return _close(complaint=complaint, actor=actor, status=Status.ANSWERED, text=answer,
                  ip_address=ip_address)


def complaint_reject(*, complaint: Complaint, actor: User, reason: str,
                     ip_address: str | None = None) -> ComplaintStep:
    """The unit refuses to examine the complaint, saying why (as an answer would)."""
    reason = _clean_text(reason, message=_("Tell the citizen why the complaint is rejected."),
                         code="reason_required")
    return _close(complaint=complaint, actor=actor, status=Status.REJECTED, text=reason,
                  ip_address=ip_address)


def complaint_open_for_staff(*, complaint: Complaint, actor: User,
                             ip_address: str | None = None) -> None:
    """Record in the citizen's access log that an official opened their complaint."""
    _log_access(complaint, actor=actor, ip_address=ip_address,
                reason=gettext_lazy("Examining complaint %(reference)s"))


def complaints_listed(*, complaints: Iterable[Complaint], actor: User,
                      ip_address: str | None = None) -> int:
    """Record that a list of complaints showed these citizens to an official."""
    return access_records_for_list(
        person_ids=[complaint.person_id for complaint in complaints],
        what=Subject.COMPLAINTS, reason=gettext_lazy("List of complaints of a unit"),
        channel=channel_for_role(actor.role), actor_id=actor.pk, ip_address=ip_address)


# One statement per level: the late complaints move up, each gets its timeline step and
# the citizen's SMS. The WHERE is checked again on rows another run has just moved
# (PostgreSQL re-reads a locked row), so two runs at once move each complaint once.
_ESCALATE_SQL = """
WITH moved AS (
    UPDATE complaints_complaint c
    SET escalation_level = %(to_level)s, escalated_at = %(now)s
    WHERE c.status IN ('received', 'in_progress') AND c.escalation_level = %(from_level)s
      AND c.{deadline} < %(on)s
    RETURNING c.id, c.person_id, c.reference
),
steps AS (
    INSERT INTO complaints_complaintstep (complaint_id, kind, escalation_level, note, actor_id,
                                          at)
    SELECT id, 'escalated', %(to_level)s, '', NULL, %(now)s FROM moved
    RETURNING 1
),
sms AS (
    INSERT INTO notifications_smsmessage (person_id, phone, language, template, context,
                                          dedupe_key)
    SELECT m.person_id, p.phone, p.language, 'complaint_escalated',
           jsonb_build_object('reference', m.reference, 'level', %(to_level)s),
           'complaint:' || m.id || ':escalated:' || %(to_level)s
    FROM moved m JOIN registry_person p ON p.id = m.person_id
    WHERE p.phone <> ''
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM sms)
"""


def complaints_escalate(*, on: dt.date) -> dict[str, int]:
    """Move open complaints past their deadline on ``on`` one level up the chain.

    Level 0 → 1 (the unit's head) once ``due_on`` has passed; 1 → 2 (the centre
    manager) once ``manager_due_on`` has passed too. Set-based: one statement per
    level, with the steps and SMS in it. Run again, it moves nothing more.
    """
    moved: dict[str, int] = {}
    sent = 0
    with transaction.atomic(), connection.cursor() as cursor:
        now = timezone.now()
        for from_level, to_level, deadline in ((Level.UNIT, Level.HEAD, "due_on"),
                                               (Level.HEAD, Level.MANAGER, "manager_due_on")):
            cursor.execute(_ESCALATE_SQL.format(deadline=deadline), {
                "from_level": int(from_level), "to_level": int(to_level), "on": on, "now": now})
            count, messages = cursor.fetchone()
            moved[Level(to_level).name.lower()] = count
            sent += messages
        if sent:
            schedule_delivery()
    return {**moved, "sms": sent}
