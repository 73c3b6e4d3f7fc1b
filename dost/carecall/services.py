"""Writes of CareCall: asking for ratings, taking the replies, following up low scores.

Asking: a call note asks in its own transaction (``rating_request_for_call``); the
visits are asked for by a periodic task in one statement
(``rating_requests_for_visits``). Each request's SMS goes through the outbox in
the same transaction, so a request is never without its message, nor the
message without its request.

Replies: every SMS that comes in is logged (``RatingReply``); only a single
digit from 1 to 5 answering the latest request sent to that number within
``REPLY_WINDOW``, while it is unanswered, changes a score, and only once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.carecall.models import FollowUp, RatingReply, RatingRequest, ReplyOutcome
from dost.carecall.notifications import RATING_TEMPLATE
from dost.centres.models import Centre
from dost.equeue.models import Booking
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.registry.models import Person

if TYPE_CHECKING:
    from dost.accounts.models import User

# Visits that ended this long before a run are still asked about: the task runs
# every quarter of an hour, and a few hours cover a worker or broker down for a while.
# Older visits are not asked about: a rating asked for a day later says little.
VISIT_WINDOW = dt.timedelta(hours=6)
# A reply is matched to a request sent to the number within this time.
REPLY_WINDOW = dt.timedelta(days=7)
LOW_SCORES = frozenset({1, 2})
SCORES = range(1, 6)
# Twilio's own limit on the text of one inbound message.
BODY_MAX_LENGTH = 1600
SID_MAX_LENGTH = 64
FROM_MAX_LENGTH = 32
NOTE_MAX_LENGTH = 4000

Channel = RatingRequest.Channel
Status = FollowUp.Status


def parse_score(body: str) -> int | None:
    """The score a reply gives, or None when it is not a single digit from 1 to 5.

    Spaces around it are ignored. Any script's decimal digit counts (Arabic-Indic
    "٣", fullwidth "３"): phones type them, and reading them costs nothing. "5.",
    "five" or "4 5" are not ratings.
    """
    text = (body or "").strip()
    if len(text) != 1 or not text.isdecimal():
        return None
    value = unicodedata.decimal(text)
    return value if value in SCORES else None


_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


def normalised_phone(number: str) -> str:
    """A number as the registry writes it (+994...): Twilio sends E.164 already, but a
    gateway may drop the plus or write the international prefix as 00."""
    digits = _PHONE_PUNCTUATION.sub("", number or "")
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("994"):
        return "+" + digits
    return digits


def _day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight of ``moment``'s day in the project's time zone (the citizens' day)."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _lock_person(person_id: int) -> None:
    # Serialises the "asked today?" check and the insert for one citizen: two agents
    # noting calls of the same citizen at once must not both ask. Held to commit.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                       [f"carecall:{person_id}"])


def rating_request_for_call(*, person: Person, agent_id: int, call_note_id: int,
                            now: dt.datetime | None = None) -> RatingRequest | None:
    """Ask the citizen to rate the 142 call an agent has just noted, by SMS.

    Writes the request and its SMS (outbox) in the caller's transaction, and has
    the SMS delivered once it commits. Asks nothing, returning None, of a citizen
    with no phone or who has died (the caller was someone else), nor of one already
    asked today, about a call or a visit: someone who calls three times about one
    matter gets one SMS, not three; and a reply answers only the latest request to
    the number, so a second request the same day would leave the first unanswerable.
    """
    if not person.phone or person.death_date is not None:
        return None
    now = now or timezone.now()
    subject = f"{Channel.CALL}:{call_note_id}"
    with transaction.atomic():
        _lock_person(person.pk)
        if RatingRequest.objects.filter(person_id=person.pk,
                                        sent_at__gte=_day_start(now)).exists():
            return None
        request = RatingRequest.objects.create(
            person_id=person.pk, phone=person.phone, channel=Channel.CALL, agent_id=agent_id,
            subject=subject, sent_at=now)
        sms_enqueue(person=person, template=RATING_TEMPLATE,
                    context={"channel": Channel.CALL, "request": request.pk},
                    dedupe_key=f"carecall:{subject}")
        schedule_delivery()
    return request


_VISITS_ASK = """
WITH visits AS (
    -- One visit per citizen (the last), and none for a citizen asked already today: see
    -- rating_request_for_call.
    SELECT DISTINCT ON (booking.person_id)
           booking.id, booking.person_id, booking.centre_id, booking.service_id,
           person.phone, person.language
    FROM {booking} booking
    JOIN {person} person ON person.id = booking.person_id
    WHERE booking.status = 'served'
      AND booking.day >= %(since_day)s
      AND booking.finished_at >= %(since)s AND booking.finished_at <= %(now)s
      AND person.phone <> '' AND person.death_date IS NULL
      AND NOT EXISTS (SELECT 1 FROM {request} asked
                      WHERE asked.subject = 'visit:' || booking.id)
      AND NOT EXISTS (SELECT 1 FROM {request} asked
                      WHERE asked.person_id = booking.person_id
                        AND asked.sent_at >= %(day_start)s)
    ORDER BY booking.person_id, booking.finished_at DESC, booking.id DESC
),
requests AS (
    INSERT INTO {request} (person_id, phone, channel, centre_id, service_id, subject, sent_at)
    SELECT person_id, phone, 'visit', centre_id, service_id, 'visit:' || id, %(now)s
    FROM visits
    -- Another run at the same moment asked first: it sends the SMS too.
    ON CONFLICT (subject) DO NOTHING
    RETURNING id, person_id, phone, centre_id, subject
),
sms AS (
    INSERT INTO {sms} (person_id, phone, language, template, context, dedupe_key)
    SELECT requests.person_id, requests.phone, visits.language, %(template)s,
           jsonb_build_object(
               'channel', 'visit', 'request', requests.id,
               'centre', jsonb_build_object('az', centre.name_az, 'en', centre.name_en,
                                            'ru', centre.name_ru)),
           'carecall:' || requests.subject
    FROM requests
    JOIN visits ON visits.person_id = requests.person_id
    JOIN {centre} centre ON centre.code = requests.centre_id
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM requests), (SELECT count(*) FROM sms)
"""


def _visits_ask_sql() -> str:
    return _VISITS_ASK.format(booking=Booking._meta.db_table, person=Person._meta.db_table,
                              request=RatingRequest._meta.db_table,
                              sms=SmsMessage._meta.db_table, centre=Centre._meta.db_table)


def rating_requests_for_visits(*, now: dt.datetime | None = None,
                               window: dt.timedelta = VISIT_WINDOW) -> dict[str, int]:
    """Ask everyone whose centre visit ended within ``window`` before ``now`` to rate it.

    One statement writes the requests and their SMS (outbox), however many
    visits there are, and the SMS are delivered once it commits. A visit already
    asked about is skipped (its subject is unique), so a second run, or two at
    once, ask nothing twice. Of a citizen's visits only the last is asked about,
    and not at all if they were asked already today (as ``rating_request_for_call``
    explains). A call note committed while this runs may still ask the same citizen
    on the same day: two SMS at worst, which is not worth a lock per person here.
    Returns how many requests and SMS were written.
    """
    now = now or timezone.now()
    since = now - window
    params: dict[str, dt.datetime | dt.date | str] = {
        "since": since, "now": now, "day_start": _day_start(now),
        # A visit ends on its slot's day; the day before covers a slot past midnight.
        "since_day": timezone.localtime(since).date() - dt.timedelta(days=1),
        "template": RATING_TEMPLATE}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_visits_ask_sql(), params)
        requests, sms = cursor.fetchone()
        if sms:
            schedule_delivery()
    return {"requests": requests, "sms": sms}


@dataclass(frozen=True)
class ReplyResult:
    """What became of one inbound SMS; ``reply`` is its log row."""

    reply: RatingReply
    outcome: str
    follow_up: FollowUp | None = None


def _reply_claim(*, sid: str, from_number: str, body: str, now: dt.datetime) -> int | None:
    """Log the message under its id; None when that id is logged already.

    The row goes in first, with a provisional outcome that the same transaction
    corrects, so that the same message delivered twice at once is decided once:
    the second insert waits on the unique id until the first commits.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RatingReply._meta.db_table} "  # noqa: S608 - the model's own table
            "(sid, from_number, body, received_at, outcome, repeats) "
            "VALUES (%s, %s, %s, %s, %s, 0) ON CONFLICT (sid) DO NOTHING RETURNING id",
            [sid, from_number, body, now, ReplyOutcome.UNKNOWN])
        row = cursor.fetchone()
    return row[0] if row else None


def _score_if_unanswered(request_id: int, *, score: int, now: dt.datetime) -> bool:
    """Record the score unless the request has one; whether it was recorded.

    The conditional update locks the row: a concurrent reply to the same request
    waits for this transaction, then finds the score set and records nothing.
    """
    return RatingRequest.objects.filter(pk=request_id, score__isnull=True).update(
        score=score, answered_at=now) > 0


def rating_reply_receive(*, sid: str, from_number: str, body: str,
                         now: dt.datetime | None = None) -> ReplyResult:
    """Take one inbound SMS: log it and, if it rates the latest request to that number,
    record the score.

    Outcomes (only ``accepted`` changes anything but the log):

    - ``unknown``: no request was sent to the number within ``REPLY_WINDOW``;
    - ``malformed``: the text is not one digit from 1 to 5;
    - ``repeated``: the latest request to the number is answered already (the
      citizen wrote again, or another reply won the race), or the same message
      (``sid``) came again, which only counts in its log row's ``repeats``;
    - ``accepted``: the score is recorded with a conditional ``UPDATE ... WHERE
      score IS NULL``, so two replies at once score once; a score of 1 or 2 opens
      a follow-up for the agents.

    An earlier unanswered request is never scored by a later reply: the citizen
    answers the message they got last. Refuses a message without an id or a sender.
    """
    # PostgreSQL text cannot hold a NUL; the site refuses one in a request already.
    sid = (sid or "").replace("\x00", "").strip()
    from_number = (from_number or "").replace("\x00", "").strip()
    if not sid or len(sid) > SID_MAX_LENGTH:
        raise DomainError(_("The message has no valid id."), code="invalid_sid")
    if not from_number or len(from_number) > FROM_MAX_LENGTH:
        raise DomainError(_("The message has no valid sender."), code="invalid_sender")
    body = (body or "").replace("\x00", "")[:BODY_MAX_LENGTH]
    now = now or timezone.now()
    with transaction.atomic():
        reply_id = _reply_claim(sid=sid, from_number=from_number, body=body, now=now)
        if reply_id is None:
            RatingReply.objects.filter(sid=sid).update(repeats=F("repeats") + 1)
            return ReplyResult(reply=RatingReply.objects.get(sid=sid),
                               outcome=ReplyOutcome.REPEATED)
        request = (RatingRequest.objects
                   .filter(phone=normalised_phone(from_number),
                           sent_at__gt=now - REPLY_WINDOW, sent_at__lte=now)
                   .order_by("-sent_at", "-id").first())
        follow_up = None
        score = parse_score(body)
        if request is None:
            outcome = ReplyOutcome.UNKNOWN
        elif score is None:
            outcome = ReplyOutcome.MALFORMED
        elif not _score_if_unanswered(request.pk, score=score, now=now):
            outcome = ReplyOutcome.REPEATED
        else:
            outcome = ReplyOutcome.ACCEPTED
            if score in LOW_SCORES:
                follow_up = FollowUp.objects.create(request_id=request.pk,
                                                    person_id=request.person_id, opened_at=now)
        RatingReply.objects.filter(pk=reply_id).update(
            outcome=outcome, request_id=request.pk if request else None)
        return ReplyResult(reply=RatingReply.objects.get(pk=reply_id), outcome=outcome,
                           follow_up=follow_up)


def follow_up_take(*, follow_up_id: int, agent: User,
                   now: dt.datetime | None = None) -> FollowUp:
    """The agent takes an open follow-up to call the citizen back.

    One conditional update: of two agents taking it at once, one gets it and the
    other is refused. Taking one's own again changes nothing.
    """
    now = now or timezone.now()
    taken = FollowUp.objects.filter(pk=follow_up_id, status=Status.OPEN).update(
        status=Status.TAKEN, taken_by=agent, taken_at=now)
    follow_up = FollowUp.objects.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise DomainError(_("There is no such follow-up."), code="not_found")
    if taken or (follow_up.status == Status.TAKEN and follow_up.taken_by_id == agent.pk):
        return follow_up
    if follow_up.status == Status.CLOSED:
        raise DomainError(_("This follow-up is closed already."), code="closed")
    raise DomainError(_("Another agent has taken this follow-up."), code="taken_by_another")


def follow_up_close(*, follow_up_id: int, agent: User, note: str,
                    now: dt.datetime | None = None) -> FollowUp:
    """Close a follow-up the agent took, with what came of the call back.

    Refuses an empty or overlong note, a follow-up not taken by this agent and one
    closed already, changing nothing.
    """
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Write what came of the call back."), code="note_required")
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(_("Keep it within %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH},
                          code="too_long")
    now = now or timezone.now()
    closed = FollowUp.objects.filter(pk=follow_up_id, status=Status.TAKEN,
                                     taken_by=agent).update(status=Status.CLOSED,
                                                            closed_at=now, note=note)
    follow_up = FollowUp.objects.filter(pk=follow_up_id).first()
    if follow_up is None:
        raise DomainError(_("There is no such follow-up."), code="not_found")
    if closed:
        return follow_up
    if follow_up.status == Status.CLOSED:
        raise DomainError(_("This follow-up is closed already."), code="closed")
    if follow_up.status == Status.OPEN:
        raise DomainError(_("Take the follow-up before closing it."), code="not_taken")
    raise DomainError(_("Only the agent who took this follow-up can close it."),
                      code="taken_by_another")
