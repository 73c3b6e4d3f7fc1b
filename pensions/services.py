"""Writes of the pensions subsystem that the engine's insert-only awards cannot make.

Both services are single set-based statements over every pension in payment,
never a loop over people, and both change awards and payment schedules in one
transaction, so an award and its payments never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.entitlements.parameters import ParameterMissing, parameter_on
from dost.errors import DomainError
from dost.payments.services import PLANNING_LOCK_KEY
from pensions.capital import REPLACEABLE_PENSIONS
from pensions.models import PensionIndexation

# Monthly labour pensions that the yearly indexation raises.
INDEXED_PENSIONS = ("old_age_pension", *REPLACEABLE_PENSIONS)


@dataclass(frozen=True)
class Superseded:
    awards: int
    schedules: int
    payments_cancelled: int


# Schedules are stopped as dost.payments.services.payment_schedule_stop stops one:
# the end only moves earlier, the month of the last day is still paid in full,
# queued (unsent) payments after it are deleted, and the status becomes stopped
# only once no month from the current one on is left to pay.
_SUPERSEDE_SQL = """
WITH replaced AS (
    UPDATE entitlements_award h
    SET status = 'superseded',
        period_end = least(coalesce(h.period_end, o.period_start - 1), o.period_start - 1)
    FROM entitlements_award o
    WHERE h.benefit = ANY(%(replaceable)s) AND h.status = 'awarded'
      AND o.person_id = h.person_id AND o.benefit = 'old_age_pension'
      AND o.basis_person_id IS NULL AND o.status = 'awarded'
      -- Decided later; the id breaks the tie of awards made in one transaction, which
      -- share its start time.
      AND (o.decided_at, o.id) > (h.decided_at, h.id)
      -- Still being paid when the old-age pension was decided: one that had run out
      -- before (a finding not renewed) ended by itself and was not replaced.
      AND (h.period_end IS NULL
           OR h.period_end >= (o.decided_at AT TIME ZONE %(time_zone)s)::date)
    RETURNING h.id, h.period_end
),
stopped AS (
    UPDATE payments_paymentschedule s
    SET ends_on = least(coalesce(s.ends_on, x.period_end), x.period_end),
        status = CASE WHEN least(coalesce(s.ends_on, x.period_end), x.period_end) < s.starts_on
                        OR least(coalesce(s.ends_on, x.period_end), x.period_end)
                           < date_trunc('month', %(on)s::date)::date
                      THEN 'stopped' ELSE s.status END
    FROM replaced x
    WHERE s.reference = 'award:' || x.id
    RETURNING s.id, s.starts_on, s.ends_on
),
cancelled AS (
    DELETE FROM payments_payment m
    USING stopped s
    WHERE m.schedule_id = s.id AND m.status = 'queued'
      AND (s.ends_on < s.starts_on OR m.month > s.ends_on)
    RETURNING 1
)
SELECT (SELECT count(*) FROM replaced), (SELECT count(*) FROM stopped),
       (SELECT count(*) FROM cancelled)
"""


def pension_supersede_replaced(*, on: dt.date) -> Superseded:
    """Mark superseded the disability and survivor's pensions an old-age pension replaced.

    Side effects, in one transaction: every awarded disability or survivor's
    pension of a person whose old-age pension was awarded after it, while it was
    still being paid, becomes ``superseded`` and ends the day before
    the old-age pension starts; its payment schedule ends that day too, and
    its queued payments for later months are deleted. ``on`` is the day the
    current month is judged from. Running it again changes nothing.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # Shared, like a single stop: planning (exclusive) must not plan a month
        # from a snapshot taken before this commit.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PLANNING_LOCK_KEY])
        cursor.execute(_SUPERSEDE_SQL, {"replaceable": list(REPLACEABLE_PENSIONS), "on": on,
                                        "time_zone": settings.TIME_ZONE})
        awards, schedules, cancelled = cursor.fetchone()
    return Superseded(awards, schedules, cancelled)


# Each raised award also records the indexation in its facts, so its explanation
# can say why the amount is no longer the one first computed. Amounts go in as
# text so that 700.10 is not read back as the float 700.1.
_INDEX_SQL = """
WITH raised AS (
    UPDATE entitlements_award a
    SET amount = round(a.amount * (1 + %(rate)s), 2),
        facts = jsonb_set(
            a.facts, '{indexations}',
            coalesce(a.facts -> 'indexations', '[]'::jsonb)
            || jsonb_build_array(jsonb_build_object(
                'year', %(year)s, 'rate', %(rate)s, 'before', a.amount::text,
                'after', round(a.amount * (1 + %(rate)s), 2)::text)))
    WHERE a.benefit = ANY(%(benefits)s) AND a.frequency = 'monthly' AND a.status = 'awarded'
      AND a.decided_at < %(cutoff)s
      AND (a.period_end IS NULL OR a.period_end >= %(january_first)s)
    RETURNING a.id, a.amount
),
schedules AS (
    UPDATE payments_paymentschedule s
    SET monthly_amount = r.amount
    FROM raised r
    WHERE s.reference = 'award:' || r.id
    RETURNING s.id, s.monthly_amount
),
payments AS (
    -- Months of the new year already planned but not sent to the bank yet.
    UPDATE payments_payment m
    SET amount = s.monthly_amount
    FROM schedules s
    WHERE m.schedule_id = s.id AND m.status = 'queued' AND m.month >= %(january_first)s
    RETURNING 1
)
SELECT (SELECT count(*) FROM raised), (SELECT count(*) FROM schedules),
       (SELECT count(*) FROM payments)
"""


def pensions_index(*, year: int) -> PensionIndexation:
    """Raise every monthly labour pension in payment by the indexation rate of ``year``.

    Side effects, in one transaction: a ``PensionIndexation`` row for the year;
    the amount of every awarded old-age, disability and survivor's pension
    decided before 1 January of ``year`` (and not ended before it) multiplied by
    1 + the rate and rounded to the qəpik, with the indexation noted in the
    award's facts; the monthly amount of their payment schedules; and their
    queued payments for months of ``year``. Awards decided later already count
    the year's indexation in their capital.

    Refuses a year already indexed, and a year whose rate the parameter file
    does not give from its 1 January: last year's rate must never be paid again
    by mistake while the new decree is awaited.
    """
    january_first = dt.date(year, 1, 1)
    try:
        rate = parameter_on("pension_capital_indexation", january_first)
    except ParameterMissing:
        rate = None
    if rate is None or rate.starts_on != january_first:
        raise DomainError(
            _("The indexation rate for %(year)s is not in the parameter file yet.")
            % {"year": year},
            code="indexation_rate_missing",
        )
    # Midnight of 1 January where the pensions are paid, not in UTC.
    cutoff = timezone.make_aware(dt.datetime.combine(january_first, dt.time()))
    with transaction.atomic():
        try:
            with transaction.atomic():
                indexation = PensionIndexation.objects.create(year=year, rate=rate.value)
        except IntegrityError as exc:
            raise DomainError(
                _("Pensions have already been indexed for %(year)s.") % {"year": year},
                code="already_indexed",
            ) from exc
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [PLANNING_LOCK_KEY])
            cursor.execute(_INDEX_SQL, {
                "rate": Decimal(rate.value), "year": year, "benefits": list(INDEXED_PENSIONS),
                "cutoff": cutoff, "january_first": january_first,
            })
            awards, _schedules, _payments = cursor.fetchone()
        indexation.awards_updated = awards
        indexation.save(update_fields=["awards_updated"])
    indexation.refresh_from_db(fields=["applied_at"])
    return indexation

