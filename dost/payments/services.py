"""Writes to the payments tables: planning monthly payments, stopping schedules and
delivering bank requests from the outbox."""

from __future__ import annotations

import datetime as dt
import logging
from calendar import monthrange

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.errors import DomainError
from dost.outbox import MAX_ATTEMPTS, retry_delay
from dost.payments.adapters import BankAdapter, BankReply, bank_adapter
from dost.payments.models import BankRequest, Payment, PaymentSchedule
from dost.registry.models import Person
from dost.registry.validators import validate_iban

logger = logging.getLogger(__name__)


# PostgreSQL advisory lock (an arbitrary number, unique in the project) that
# planning takes exclusively and stopping a schedule takes shared. Without it a
# planning statement whose snapshot predates a stop could commit a payment for
# a month the stop has just cancelled. Stops do not wait for each other.
PLANNING_LOCK_KEY = 7_240_001


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first_day = month.replace(day=1)
    last_day = first_day.replace(day=monthrange(first_day.year, first_day.month)[1])
    return first_day, last_day


def payments_plan_month(*, month: dt.date) -> int:
    """Create one queued payment for every active schedule covering ``month``.

    ``month`` may be any day of the month. A schedule covers it when it starts on
    or before the month's last day and ends (if at all) on or after its first day.
    One statement whatever the number of schedules; the unique (schedule, month)
    constraint skips months already planned, so a re-run, or two planners at
    once, create nothing new. Returns how many payments were created.
    """
    first_day, last_day = _month_bounds(month)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLANNING_LOCK_KEY])
        cursor.execute(
            """
            INSERT INTO payments_payment (schedule_id, month, amount)
            SELECT id, %(first_day)s, monthly_amount
            FROM payments_paymentschedule
            WHERE status = 'active'
              AND starts_on <= %(last_day)s
              AND (ends_on IS NULL OR ends_on >= %(first_day)s)
            ON CONFLICT (schedule_id, month) DO NOTHING
            """,
            {"first_day": first_day, "last_day": last_day},
        )
        return cursor.rowcount


def schedules_end_sql(*, ended: str, schedules: str = "ended_schedules",
                      cancelled: str = "cancelled_payments") -> str:
    """Two data-modifying CTEs that end, set-based, the schedules of the awards in the CTE
    ``ended`` (columns ``id``, the award, and ``period_end``, its new last day), as
    ``payment_schedule_stop`` ends one: the end only moves earlier, its month is still
    paid, the status becomes stopped once no month from the current one (``%(on)s``) on
    is left to pay, and queued payments after the end are deleted. The caller takes the
    planning lock shared, as ``payment_schedule_stop`` does."""
    new_end = "least(coalesce(s.ends_on, x.period_end), x.period_end)"
    return f"""
{schedules} AS (
    UPDATE payments_paymentschedule s
    SET ends_on = {new_end},
        status = CASE WHEN {new_end} < s.starts_on
                        OR {new_end} < date_trunc('month', %(on)s::date)::date
                      THEN 'stopped' ELSE s.status END
    FROM {ended} x
    WHERE s.reference = 'award:' || x.id
    RETURNING s.id, s.starts_on, s.ends_on
),
{cancelled} AS (
    DELETE FROM payments_payment m
    USING {schedules} s
    WHERE m.schedule_id = s.id AND m.status = 'queued'
      AND (s.ends_on < s.starts_on OR m.month > s.ends_on)
    RETURNING 1
)"""  # noqa: S608 (CTE names from the callers' own SQL, never input)


def payment_schedule_stop(*, reference: str, last_day: dt.date) -> PaymentSchedule:
    """End the schedule ``reference`` after ``last_day``, whose month is still paid in full.

    A schedule already ending earlier keeps its earlier end. Payments planned for
    later months that have not gone to the bank are deleted: they are plans, not
    money, and planning would no longer create them. The status becomes
    ``stopped`` only once no month from the current one on is left to pay, since
    planning skips stopped schedules. Refuses an unknown reference.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PLANNING_LOCK_KEY])
        schedule = PaymentSchedule.objects.select_for_update().filter(reference=reference).first()
        if schedule is None:
            raise DomainError(_("There is no payment schedule with this reference."),
                              code="unknown_schedule")
        if schedule.ends_on is None or last_day < schedule.ends_on:
            schedule.ends_on = last_day
        # Ending before the first paid day: even the starting month is not owed,
        # although the planning condition alone would still match it.
        never_paid = schedule.ends_on < schedule.starts_on
        if never_paid or schedule.ends_on < timezone.localdate().replace(day=1):
            schedule.status = PaymentSchedule.Status.STOPPED
        schedule.save(update_fields=["ends_on", "status"])

        unsent = Payment.objects.filter(schedule=schedule, status=Payment.Status.QUEUED)
        if not never_paid:
            unsent = unsent.filter(month__gt=schedule.ends_on)
        unsent.delete()
    return schedule


def bank_requests_deliver_due(*, limit: int = 100) -> int:
    """Send up to ``limit`` due queued bank requests to the bank; returns how many were handled.

    Each request is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` in its own
    transaction, held while the bank is called, so two workers never send the
    same request and a crash mid-call leaves it queued (the bank deduplicates on
    the reference). Outcomes, recorded on the request, which is never deleted:

    - accepted: ``done`` with the bank's reference; an opened account's IBAN is
      also stored on the person, with the paying bank as its source. An
      acceptance without an IBAN is ``sent``: the bank will report it later.
    - refused: ``rejected`` with the bank's reason.
    - the adapter raised: one more attempt is counted and the next one delayed
      (1 min, 2, 4, ... at most 1 h); after ``MAX_ATTEMPTS`` it is ``failed``.
      A payment with no IBAN takes the person's current account; if there is
      none yet, the bank is not asked and it is retried the same way.
    """
    adapter = bank_adapter()
    handled = 0
    while handled < limit:
        with transaction.atomic():
            request = _claim_due_request()
            if request is None:
                break
            _deliver(adapter, request)
        handled += 1
    return handled


def _claim_due_request() -> BankRequest | None:
    return (
        BankRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("person")
        .filter(status=BankRequest.Status.QUEUED, next_attempt_at__lte=Now())
        .order_by("next_attempt_at", "id")
        .first()
    )


def _deliver(adapter: BankAdapter, request: BankRequest) -> None:
    if request.kind == BankRequest.Kind.PAYMENT and not request.iban:
        # The account may have been opened since the award, often by an
        # open_account request queued with this payment and delivered first.
        request.iban = request.person.bank_account
        if not request.iban:
            _retry_later(request, error="The person has no bank account yet.")
            return
    try:
        if request.kind == BankRequest.Kind.OPEN_ACCOUNT:
            reply = adapter.open_account(request)
        else:
            reply = adapter.send_payment(request)
    # Whatever goes wrong in the bank's system or on the way there is worth a retry.
    except Exception as exc:  # noqa: BLE001
        logger.warning("Bank request %s failed: %r", request.reference, exc)
        _retry_later(request, error=f"{type(exc).__name__}: {exc}")
        return
    if not reply.accepted:
        _record(request, status=BankRequest.Status.REJECTED, reply=reply, last_error=reply.reason)
        return
    if request.kind == BankRequest.Kind.OPEN_ACCOUNT:
        _record_opened_account(request, reply)
    else:
        _record(request, status=BankRequest.Status.DONE, reply=reply)


def _record_opened_account(request: BankRequest, reply: BankReply) -> None:
    if not reply.iban:
        _record(request, status=BankRequest.Status.SENT, reply=reply)
        return
    try:
        validate_iban(reply.iban)
    except ValidationError:
        # Never put a malformed account on the person; asking again (the bank
        # deduplicates) may get a good one, and if not, staff see the failure.
        _retry_later(request, error=f"The bank reported an invalid IBAN: {reply.iban!r}")
        return
    request.iban = reply.iban
    _record(request, status=BankRequest.Status.DONE, reply=reply)
    # The registry has no service for an account reported by the bank yet; when
    # it gets one, call it here. update() skips auto_now, hence updated_at.
    Person.objects.filter(pk=request.person_id).update(
        bank_account=reply.iban, bank_account_source_id="bank", updated_at=Now()
    )


def _record(request: BankRequest, *, status: str, reply: BankReply, last_error: str = "") -> None:
    BankRequest.objects.filter(pk=request.pk).update(
        status=status,
        iban=request.iban,
        # Cut to the column's size: a too-long reference would fail the update
        # every time and leave the request at the head of the queue for ever.
        bank_reference=reply.bank_reference[:64],
        last_error=last_error,
        attempts=request.attempts + 1,
        updated_at=Now(),
    )


def _retry_later(request: BankRequest, *, error: str) -> None:
    attempts = request.attempts + 1
    delay = retry_delay(attempts)
    BankRequest.objects.filter(pk=request.pk).update(
        status=BankRequest.Status.FAILED if attempts >= MAX_ATTEMPTS else BankRequest.Status.QUEUED,
        attempts=attempts,
        next_attempt_at=Now() + delay,
        last_error=error,
        updated_at=Now(),
    )
