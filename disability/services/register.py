"""Reminders before a reassessment is due, set-based, run daily.

Sixty days before a person's next assessment they get an SMS and the facility that
referred them is asked to refer them again (``ReferralInvitation``); thirty days
before, a second SMS. Only a person's latest register entry counts (a later
determination supersedes it), and the dead are not reminded. Each entry is
reminded once per window: the day is recorded on it, the SMS carries a dedupe key,
and an entry has at most one invitation, so a second run the same day, or two
workers at once, send nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Case, F, Value, When

from disability.models import ReferralInvitation, RegisterEntry
from disability.register_sms import REVIEW_DUE_TEMPLATE, names_in_every_language
from disability.selectors import register_latest_entries
from dost.notifications.models import SmsMessage
from dost.notifications.tasks import schedule_delivery
from dost.notifications.templates import template_renderer

FIRST_REMINDER_DAYS = 60
SECOND_REMINDER_DAYS = 30


def assessment_reminders_send(*, on: dt.date) -> dict[str, int]:
    """Remind everyone whose next assessment falls within 60 or 30 days of ``on``.

    Writes, in one transaction: the SMS (outbox rows, delivered after commit),
    ``reminded_60_on``/``reminded_30_on`` and, at 60 days, an invitation to the
    referring facility. An entry first found within 30 days (a run missed, or a
    short period) gets one SMS, not two, and its invitation. A bounded number of
    queries, however many people are due. Returns how many entries were reminded in
    each window, SMS queued and facilities asked.
    """
    template_renderer(REVIEW_DUE_TEMPLATE)  # refused now rather than at every send
    with transaction.atomic():
        first = _due(on, FIRST_REMINDER_DAYS).filter(reminded_60_on__isnull=True)
        first_entries = list(first)
        first_sms = _queue_sms(first_entries, days=FIRST_REMINDER_DAYS)
        RegisterEntry.objects.filter(pk__in=[entry.pk for entry in first_entries]).update(
            reminded_60_on=on,
            reminded_30_on=Case(
                When(next_assessment_on__lte=on + dt.timedelta(days=SECOND_REMINDER_DAYS),
                     then=Value(on)),
                default=F("reminded_30_on")))
        invitations = ReferralInvitation.objects.bulk_create([
            ReferralInvitation(entry=entry, facility_id=entry.facility_id,
                               due_on=entry.next_assessment_on)
            for entry in first_entries if entry.facility_id is not None
        ], ignore_conflicts=True)

        second = _due(on, SECOND_REMINDER_DAYS).filter(reminded_30_on__isnull=True)
        second_entries = list(second)
        second_sms = _queue_sms(second_entries, days=SECOND_REMINDER_DAYS)
        RegisterEntry.objects.filter(pk__in=[entry.pk for entry in second_entries]).update(
            reminded_30_on=on)
        if first_sms or second_sms:
            schedule_delivery()
    return {"reminded_60": len(first_entries), "reminded_30": len(second_entries),
            "sms": first_sms + second_sms, "invitations": len(invitations)}


def _due(on: dt.date, days: int):
    """Latest entries of living people whose next assessment is within ``days`` of ``on``.

    Locked, skipping rows another run holds: that run reminds them.
    """
    return (register_latest_entries()
            .filter(next_assessment_on__gte=on,
                    next_assessment_on__lte=on + dt.timedelta(days=days),
                    person__death_date__isnull=True)
            .select_related("person", "facility")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("pk"))


def _queue_sms(entries: Sequence[RegisterEntry], *, days: int) -> int:
    """Outbox rows for those with a phone, one statement; a dedupe key already used is
    skipped by the database."""
    messages = [
        SmsMessage(
            person_id=entry.person_id, phone=entry.person.phone, language=entry.person.language,
            template=REVIEW_DUE_TEMPLATE,
            context={"date": entry.next_assessment_on.isoformat(), "entry": entry.pk,
                     "days": days,
                     "facility": (names_in_every_language(entry.facility)
                                  if entry.facility_id else None)},
            dedupe_key=f"disability-review-{days}-{entry.pk}",
        )
        for entry in entries if entry.person.phone
    ]
    SmsMessage.objects.bulk_create(messages, ignore_conflicts=True)
    return len(messages)
