"""Bulk loading of a synthetic country with COPY, in one transaction.

Secondary indexes are dropped for large loads and rebuilt afterwards (one sort
per index instead of millions of random inserts), and social-insurance
contributions are derived from the employment spells in one SQL statement, as
are the other institutions' registers the Digital Bridge reads
(``dost.bridge.seeding``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction

from dost.audit.decisions import decision_log_reset
from dost.bridge.seeding import REGISTER_TABLES, derive_registers
from dost.registry.synthetic import CountryGenerator

REGISTRY_TABLES = (
    "registry_household", "registry_person", "registry_familyrelation",
    "registry_employmentspell", "registry_contribution", "registry_disabilitystatus",
)
# Below this many people, keeping the indexes is cheaper than rebuilding them.
REBUILD_INDEXES_FROM = 50_000
# Employer and employee social-insurance contributions together (22 % + 3 %);
# used only to make plausible synthetic amounts.
SYNTHETIC_CONTRIBUTION_RATE = 0.25
SYNTHETIC_WAGE_GROWTH = 1.07
CAPITAL_SYSTEM_START_YEAR = 2006


def populate(*, people: int, seed: int, today: dt.date, replace: bool = False,
             progress: Callable[[int], object] = lambda n: None,
             registers: bool = True) -> dict[str, int]:
    """Add ``people`` synthetic people (in whole households) to the registry.

    Refuses to add to a registry that already holds people unless ``replace``
    is given, and refuses ``replace`` while citizens have accounts. Either all
    of it is written or nothing is.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_person)")
        if cursor.fetchone()[0]:
            if not replace:
                raise ValueError("The registry already holds people: pass --replace to "
                                 "start again from an empty registry.")
            cursor.execute("SELECT EXISTS (SELECT 1 FROM accounts_user "
                           "WHERE person_id IS NOT NULL)")
            if cursor.fetchone()[0]:
                raise ValueError("Citizens have accounts linked to the registry: "
                                 "--replace would delete them, so it is refused.")
            # The decisions about the people removed go with them (the log refuses
            # the cascade below otherwise), and the chain starts again.
            decision_log_reset()
            cursor.execute(f"TRUNCATE {', '.join(REGISTRY_TABLES)}, registry_namekey "  # noqa: S608
                           "RESTART IDENTITY CASCADE")
        _tune_session(cursor)
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM registry_person")
        first_person_id = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM registry_household")
        first_household_id = cursor.fetchone()[0]

        dropped = _drop_secondary_indexes(cursor) if people >= REBUILD_INDEXES_FROM else []
        generator = CountryGenerator(seed=seed, today=today, first_person_id=first_person_id,
                                     first_household_id=first_household_id)
        for batch in generator.batches(people):
            for table, columns, buffer in batch.buffers():
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            progress(batch.people_count)

        _derive_contributions(cursor, first_person_id, today, generator.recorded)
        # Other institutions' registers about the same people (``TRUNCATE ... CASCADE``
        # above empties them with the people, through their foreign keys).
        # ``registers=False`` leaves them to the caller (a benchmark that times them apart).
        if registers:
            derive_registers(cursor, first_person_id=first_person_id,
                             first_household_id=first_household_id, today=today, seed=seed,
                             recorded=generator.recorded)
        cursor.execute(
            "INSERT INTO registry_namekey (key) "
            "SELECT first_name_key FROM registry_person WHERE id >= %(first)s "
            "UNION SELECT last_name_key FROM registry_person WHERE id >= %(first)s "
            "ON CONFLICT DO NOTHING",
            {"first": first_person_id},
        )
        for definition in dropped:
            cursor.execute(definition)
        for table in ("registry_person", "registry_household", "registry_familyrelation",
                      "registry_employmentspell", "registry_contribution",
                      "registry_disabilitystatus"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        counts = {}
        for label, table in (("people", "registry_person"), ("households", "registry_household"),
                             ("relations", "registry_familyrelation"),
                             ("employment spells", "registry_employmentspell"),
                             ("contribution years", "registry_contribution"),
                             ("disability findings", "registry_disabilitystatus"),
                             *REGISTER_TABLES):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[label] = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        analysed = [*REGISTRY_TABLES, "registry_namekey", *(table for _l, table in REGISTER_TABLES)]
        cursor.execute(f"ANALYZE {', '.join(analysed)}")
    return counts


def _tune_session(cursor) -> None:
    cursor.execute("SET LOCAL synchronous_commit = off")
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        # The generator writes consistent keys, so checking each of millions of
        # foreign keys row by row would only cost time.
        cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")


def _drop_secondary_indexes(cursor) -> list[str]:
    """Drop the registry's indexes that back no constraint; return how to rebuild them."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(REGISTRY_TABLES)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def _derive_contributions(cursor, first_person_id: int, today: dt.date, recorded: str) -> None:
    """One row per person and year of insured work since the capital system began."""
    cursor.execute(
        """
        INSERT INTO registry_contribution
            (person_id, year, insured_months, wage_total, amount, source_id, recorded_at)
        SELECT person_id, year, least(12, sum(months)), round(sum(wages), 2),
               round(sum(wages) * %(rate)s, 2), 'sssf', %(recorded)s
        FROM (
            SELECT s.person_id, y AS year, m.months,
                   m.months * s.monthly_wage * power(%(growth)s, y - %(this_year)s) AS wages
            FROM registry_employmentspell s
            CROSS JOIN LATERAL generate_series(
                greatest(%(start)s, extract(year FROM s.started_on)::int),
                extract(year FROM coalesce(s.ended_on, %(today)s))::int) AS y
            CROSS JOIN LATERAL (
                SELECT (extract(month FROM least(coalesce(s.ended_on, %(today)s),
                                                 make_date(y, 12, 31)))
                        - extract(month FROM greatest(s.started_on, make_date(y, 1, 1)))
                        + 1)::int AS months
            ) m
            WHERE s.person_id >= %(first)s
        ) spell_years
        GROUP BY person_id, year
        """,
        {"rate": SYNTHETIC_CONTRIBUTION_RATE, "growth": SYNTHETIC_WAGE_GROWTH,
         "this_year": today.year, "start": CAPITAL_SYSTEM_START_YEAR, "today": today,
         "recorded": recorded, "first": first_person_id},
    )
