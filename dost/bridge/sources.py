"""Data look-ups at other institutions through the Digital Bridge: one adapter per source.

A caller asks about many people at once, never one query per person per
source. It fills the temporary table ``bridge_subjects`` (``request_id``, its
own key such as an application; ``person_id``; ``household_id``; and the window
``since`` (inclusive) to ``until`` (exclusive) the question is about), then
calls ``sources_ask``. Each adapter answers in rows of ``bridge_answers``:

    request_id, person_id, source, kind, amount, detail, observed_on

``kind`` says what was found (a ``wage`` total, a ``vehicle``, a household
``member``...), ``amount`` its figure where it has one, ``detail`` what a person
reading a report needs (the employer, the plate, the address).

The default adapters answer from the registers in this database
(``dost.bridge.registers`` and the registry); an institution's live service is
another adapter with the same ``answer``. An adapter that does not answer in
time (or fails) is reported unavailable and its partial rows are discarded:
the caller must treat that as "not known yet", never as "nothing found".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

class SourceUnavailable(Exception):
    """The source did not answer (timed out, refused, failed): nothing is known from it."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class SourceAdapter(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def institution(self) -> str:
        """The ``dost.registry.Source`` institution whose data it is."""
        ...

    @property
    def title(self) -> StrOrPromise: ...

    def answer(self, cursor: Any, *, timeout_ms: int) -> int:
        """Insert this source's rows for every subject into ``bridge_answers``; return how
        many. Raises ``SourceUnavailable`` when the source cannot answer in time."""
        ...


_ANSWER_INSERT = """
INSERT INTO bridge_answers (request_id, person_id, source, kind, amount, detail, observed_on)
SELECT a.request_id, a.person_id, %s, a.kind, a.amount, a.detail, a.observed_on
FROM ({sql}) a (request_id, person_id, kind, amount, detail, observed_on)
"""


@dataclass(frozen=True)
class LocalSource:
    """A source answered by one SQL statement over the registers in this database.

    ``sql`` selects ``request_id, person_id, kind, amount, detail, observed_on`` from
    ``bridge_subjects s`` joined to the register. It runs in a savepoint with the
    statement timeout the bridge allows a source, so a slow register is cut off and
    reported, not waited for.
    """

    code: str
    institution: str
    title: StrOrPromise
    sql: str

    def answer(self, cursor: Any, *, timeout_ms: int) -> int:
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                               [str(timeout_ms)])
                cursor.execute(_ANSWER_INSERT.format(sql=self.sql), [self.code])
                written = cursor.rowcount
                cursor.execute("SELECT set_config('statement_timeout', '0', true)")
        # A timeout (QueryCanceled) or a lost connection; a mistake in the SQL is raised.
        except OperationalError as exc:
            cursor.execute("SELECT set_config('statement_timeout', '0', true)")
            raise SourceUnavailable(self.code, str(exc).strip().splitlines()[0][:200]) from exc
        return written


# Months of a spell [start, end) inside the window [since, until), as a fraction of the
# window's months: a spell covering a 12-month window counts 12 months exactly.
def _months_within(start: str, end: str) -> str:
    return (f"(greatest(0, least(coalesce({end}, s.until), s.until) - greatest({start}, s.since))"
            f"::numeric / greatest(1, s.until - s.since) * {_WINDOW_MONTHS})")


# The window's length in calendar months.
_WINDOW_MONTHS = ("((extract(year FROM s.until) * 12 + extract(month FROM s.until))"
                  " - (extract(year FROM s.since) * 12 + extract(month FROM s.since)))")


INCOME = LocalSource(
    code="income", institution="tax", title=_("Income: wages, pensions and benefits, "
                                              "unemployment insurance"),
    sql=f"""
    SELECT s.request_id, s.person_id, 'wage' AS kind,
           round(sum(e.monthly_wage * {_months_within("e.started_on", "e.ended_on")}), 2)
               AS amount,
           string_agg(DISTINCT e.employer_name, '; ') AS detail, max(e.started_on) AS observed_on
    FROM bridge_subjects s
    JOIN registry_employmentspell e ON e.person_id = s.person_id
    WHERE e.started_on < s.until AND (e.ended_on IS NULL OR e.ended_on >= s.since)
    GROUP BY s.request_id, s.person_id
    UNION ALL
    SELECT s.request_id, s.person_id, 'benefit',
           round(sum(CASE WHEN a.frequency = 'once' THEN a.amount
                          ELSE a.amount * {_months_within("a.period_start", "a.period_end")}
                     END), 2),
           a.benefit, min(a.period_start)
    FROM bridge_subjects s
    JOIN entitlements_award a ON a.person_id = s.person_id
    WHERE a.status IN ('awarded', 'stopped', 'superseded')
      AND a.period_start < s.until AND (a.period_end IS NULL OR a.period_end >= s.since)
    GROUP BY s.request_id, s.person_id, a.benefit
    UNION ALL
    SELECT s.request_id, s.person_id, 'unemployment_insurance',
           round(sum(j.insurance_monthly
                     * {_months_within("j.registered_on", "j.insurance_until")}), 2),
           NULL, min(j.registered_on)
    FROM bridge_subjects s
    JOIN bridge_jobseeker j ON j.person_id = s.person_id
    WHERE j.insurance_monthly > 0 AND j.registered_on < s.until
      AND coalesce(j.insurance_until, j.ended_on, s.until) >= s.since
    GROUP BY s.request_id, s.person_id
    """,  # noqa: S608
)

REAL_ESTATE = LocalSource(
    code="real_estate", institution="property", title=_("Real estate"),
    sql="""
    SELECT s.request_id, s.person_id, r.purpose, NULL::numeric,
           r.region_id || ': ' || r.address, r.registered_on
    FROM bridge_subjects s
    JOIN bridge_realestate r ON r.person_id = s.person_id
    WHERE r.registered_on < s.until AND (r.disposed_on IS NULL OR r.disposed_on >= s.until)
    """,
)

VEHICLES = LocalSource(
    code="vehicles", institution="vehicles", title=_("Vehicles"),
    sql="""
    SELECT s.request_id, s.person_id,
           CASE WHEN v.given_by_state THEN 'rehabilitation_vehicle' ELSE 'vehicle' END,
           NULL::numeric, v.plate || ' ' || v.make, v.registered_on
    FROM bridge_subjects s
    JOIN bridge_vehicle v ON v.person_id = s.person_id
    WHERE v.registered_on < s.until
      AND (v.deregistered_on IS NULL OR v.deregistered_on >= s.until)
    """,
)

BUSINESSES = LocalSource(
    code="businesses", institution="tax", title=_("Registered businesses"),
    sql="""
    SELECT s.request_id, s.person_id, 'business', b.monthly_income,
           b.tin || ' ' || b.name, b.registered_on
    FROM bridge_subjects s
    JOIN bridge_business b ON b.person_id = s.person_id
    WHERE b.registered_on < s.until AND (b.closed_on IS NULL OR b.closed_on >= s.since)
    """,
)

TRANSACTIONS = LocalSource(
    code="transactions", institution="notary", title=_("Large purchases and sales"),
    sql="""
    SELECT s.request_id, s.person_id, t.kind, t.amount, t.item, t.on
    FROM bridge_subjects s
    JOIN bridge_largetransaction t ON t.person_id = s.person_id
    WHERE t.on >= s.since AND t.on < s.until
    """,
)

UTILITIES = LocalSource(
    code="utilities", institution="utilities", title=_("Utility and communication costs"),
    sql=f"""
    SELECT s.request_id, NULL::bigint, 'monthly_costs',
           round(coalesce(sum(u.amount), 0) / greatest(1, {_WINDOW_MONTHS}), 2),
           string_agg(DISTINCT u.service, ', ' ORDER BY u.service), max(u.month)
    FROM (SELECT DISTINCT request_id, household_id, since, until FROM bridge_subjects
          WHERE household_id IS NOT NULL) s
    -- Bills are monthly: the window's calendar months, the month it ends in excluded.
    LEFT JOIN bridge_utilitybill u ON u.household_id = s.household_id
         AND u.month >= date_trunc('month', s.since)
         AND u.month < date_trunc('month', s.until)
    GROUP BY s.request_id, s.since, s.until
    """,  # noqa: S608
)

CIVIL_REGISTRY = LocalSource(
    code="civil_registry", institution="justice",
    title=_("Household composition in the civil registry"),
    sql="""
    SELECT h.request_id, p.id, 'member', NULL::numeric,
           p.first_name || ' ' || p.last_name, p.birth_date
    FROM (SELECT DISTINCT request_id, household_id, until FROM bridge_subjects
          WHERE household_id IS NOT NULL) h
    JOIN registry_person p ON p.household_id = h.household_id
    WHERE p.death_date IS NULL AND p.birth_date <= h.until
    UNION ALL
    SELECT s.request_id, s.person_id, 'dead', NULL, NULL, p.death_date
    FROM bridge_subjects s JOIN registry_person p ON p.id = s.person_id
    WHERE p.death_date IS NOT NULL
    UNION ALL
    SELECT s.request_id, s.person_id, a.kind, NULL, NULL, a.since
    FROM bridge_subjects s JOIN bridge_absence a ON a.person_id = s.person_id
    WHERE a.since < s.until AND (a.until IS NULL OR a.until >= s.until)
    """,
)

EMPLOYMENT = LocalSource(
    code="employment", institution="employment_service",
    title=_("Work and job-seeker registration"),
    sql="""
    SELECT s.request_id, s.person_id, 'employed', max(e.monthly_wage),
           string_agg(e.employer_name, '; '), max(e.started_on)
    FROM bridge_subjects s
    JOIN registry_employmentspell e ON e.person_id = s.person_id
    WHERE e.started_on < s.until AND (e.ended_on IS NULL OR e.ended_on >= s.until)
    GROUP BY s.request_id, s.person_id
    UNION ALL
    SELECT s.request_id, s.person_id,
           CASE WHEN j.insurance_monthly > 0 AND coalesce(j.insurance_until, s.until) >= s.until
                THEN 'insured_job_seeker' ELSE 'job_seeker' END,
           j.insurance_monthly, NULL, j.registered_on
    FROM bridge_subjects s
    JOIN bridge_jobseeker j ON j.person_id = s.person_id
    WHERE j.registered_on < s.until AND (j.ended_on IS NULL OR j.ended_on >= s.until)
    UNION ALL
    SELECT s.request_id, s.person_id, 'suitable_jobs_refused', j.suitable_offers_refused, NULL,
           j.last_refusal_on
    FROM bridge_subjects s
    JOIN bridge_jobseeker j ON j.person_id = s.person_id
    WHERE j.suitable_offers_refused > 0 AND j.last_refusal_on >= s.since
      AND j.last_refusal_on < s.until
    """,
)

HEALTH = LocalSource(
    code="health", institution="msec", title=_("Disability findings"),
    sql="""
    SELECT s.request_id, s.person_id, 'impairment', max(d.percent), NULL, max(d.determined_on)
    FROM bridge_subjects s
    JOIN registry_disabilitystatus d ON d.person_id = s.person_id
    WHERE d.determined_on < s.until AND (d.valid_until IS NULL OR d.valid_until >= s.until)
    GROUP BY s.request_id, s.person_id
    """,
)

EDUCATION = LocalSource(
    code="education", institution="education", title=_("Full-time study"),
    sql="""
    SELECT DISTINCT ON (s.request_id, s.person_id) s.request_id, s.person_id,
           'full_time_study', NULL::numeric, t.institution, t.started_on
    FROM bridge_subjects s
    JOIN registry_study t ON t.person_id = s.person_id
    WHERE t.full_time AND t.started_on < s.until AND (t.ended_on IS NULL OR t.ended_on >= s.until)
    ORDER BY s.request_id, s.person_id, t.started_on DESC
    """,
)

DEFAULT_SOURCES: tuple[SourceAdapter, ...] = (
    INCOME, REAL_ESTATE, VEHICLES, BUSINESSES, TRANSACTIONS, UTILITIES, CIVIL_REGISTRY,
    EMPLOYMENT, HEALTH, EDUCATION,
)
_SOURCES: dict[str, SourceAdapter] = {source.code: source for source in DEFAULT_SOURCES}


def source_adapter(code: str) -> SourceAdapter:
    return _SOURCES[code]


def source_adapters() -> list[SourceAdapter]:
    return list(_SOURCES.values())


def source_adapter_replace(adapter: SourceAdapter) -> SourceAdapter:
    """Put ``adapter`` in place of the source with its code (an institution's live
    service, or a test's); returns the one it replaced."""
    previous = _SOURCES[adapter.code]
    _SOURCES[adapter.code] = adapter
    return previous


@dataclass(frozen=True)
class Answers:
    answered: tuple[str, ...]
    # Source code → why it did not answer.
    unavailable: dict[str, str]
    rows: int


def subjects_prepare(cursor: Any) -> None:
    """Create the empty ``bridge_subjects`` and ``bridge_answers`` for this transaction."""
    cursor.execute("DROP TABLE IF EXISTS pg_temp.bridge_subjects, pg_temp.bridge_answers")
    cursor.execute("CREATE TEMP TABLE bridge_subjects (request_id bigint NOT NULL, "
                   "person_id bigint NOT NULL, household_id bigint, since date NOT NULL, "
                   "until date NOT NULL) ON COMMIT DROP")
    cursor.execute("CREATE TEMP TABLE bridge_answers (request_id bigint NOT NULL, "
                   "person_id bigint, source text NOT NULL, kind text NOT NULL, "
                   "amount numeric, detail text, observed_on date) ON COMMIT DROP")


def sources_ask(cursor: Any, *, codes: Iterable[str] | None = None) -> Answers:
    """Ask every source (or those named) about the subjects in ``bridge_subjects``.

    Must run in a transaction (the temporary tables live until it ends). One
    statement per source, whatever the number of subjects.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("sources_ask must run inside a transaction.")
    cursor.execute("CREATE INDEX ON bridge_subjects (person_id)")
    cursor.execute("ANALYZE bridge_subjects")
    timeout_ms = int(getattr(settings, "BRIDGE_SOURCE_TIMEOUT_MS", 20_000))
    wanted = list(codes) if codes is not None else list(_SOURCES)
    answered, unavailable, rows = [], {}, 0
    for code in wanted:
        try:
            rows += _SOURCES[code].answer(cursor, timeout_ms=timeout_ms)
        except SourceUnavailable as exc:
            logger.warning("Bridge source %s did not answer: %s", code, exc.reason)
            unavailable[code] = exc.reason
        else:
            answered.append(code)
    return Answers(answered=tuple(answered), unavailable=unavailable, rows=rows)
