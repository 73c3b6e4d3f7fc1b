"""Writes of the pensions subsystem that the engine's awards cannot make.

The yearly indexation is a single set-based statement over every pension in
payment, never a loop over people, and changes awards and payment schedules in
one transaction, so an award and its payments never disagree. (A pension that a
higher one replaces is ended by the engine, in the statement that awards the
higher one.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.audit.decisions import decision_batch_close, decision_batch_open, entry_insert_sql
from dost.entitlements.parameters import ParameterMissing, parameter_on
from dost.errors import DomainError
from dost.payments.services import PLANNING_LOCK_KEY
from pensions.capital import REPLACEABLE_PENSIONS
from pensions.models import PensionIndexation

# Monthly labour pensions that the yearly indexation raises.
INDEXED_PENSIONS = ("old_age_pension", *REPLACEABLE_PENSIONS)


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
    RETURNING a.id, a.person_id, a.benefit, a.amount,
              a.facts -> 'indexations' -> -1 AS indexation
),
decisions AS (
    -- Each change of amount is a decision in the log, appended in this statement.
{decisions}
    RETURNING 1
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
       (SELECT count(*) FROM payments), (SELECT count(*) FROM decisions)
""".replace("{decisions}", entry_insert_sql(select_sql="""
    SELECT 'change' AS kind, r.person_id, r.id AS award_id, r.benefit AS subject,
           'pensions.indexation' AS decided_by, r.indexation AS details,
           audit_facts_hash(r.indexation, NULL) AS facts_hash
    FROM raised r""", batch="%(batch)s"))


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
            batch = decision_batch_open()
            cursor.execute(_INDEX_SQL, {
                "rate": Decimal(rate.value), "year": year, "benefits": list(INDEXED_PENSIONS),
                "cutoff": cutoff, "january_first": january_first, "batch": batch,
            })
            awards, _schedules, _payments, decisions = cursor.fetchone()
        if decisions:
            decision_batch_close(batch)
        indexation.awards_updated = awards
        indexation.save(update_fields=["awards_updated"])
    indexation.refresh_from_db(fields=["applied_at"])
    return indexation

