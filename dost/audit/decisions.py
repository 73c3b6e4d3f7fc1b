"""Appending to the hash-chained decision log (DESIGN.md §9).

The chain links batches, not rows. A writer takes a batch id
(``decision_batch_open``), inserts its entries, each with the hash of its own
content, then closes the batch in the same transaction
(``decision_batch_close``): the batch's hash covers the previous batch's hash
and its entries' hashes in id order. Only the close takes a lock, on the one
head row, and holds it to commit; writers insert entries in parallel.

Hashes are computed only by the SQL functions the migration creates, so the
set-based writers, ``decision_record`` and the verification agree byte for byte:

- ``audit_facts_hash(facts jsonb, parameters jsonb) -> char(64)``
- ``audit_entry_hash(kind, person_id, award_id, subject, decided_by, details,
  facts_hash, recorded_at) -> char(64)``
- ``audit_batch_hash(previous_hash, entry_hashes) -> char(64)``, where
  ``entry_hashes`` is ``string_agg(entry_hash, '' ORDER BY id)`` of the batch.

Appending from set-based SQL (one statement, e.g. a CTE next to the award
INSERT), with ``%(batch)s`` from ``decision_batch_open()`` and the decision
time passed as one value to both the column and the hash::

    INSERT INTO audit_decisionentry (batch_id, kind, person_id, award_id, subject,
                                     decided_by, details, facts_hash, entry_hash,
                                     recorded_at)
    SELECT %(batch)s, d.kind, d.person_id, d.award_id, d.subject, d.decided_by,
           d.details, d.facts_hash,
           audit_entry_hash(d.kind, d.person_id, d.award_id, d.subject, d.decided_by,
                            d.details, d.facts_hash, statement_timestamp()),
           statement_timestamp()
    FROM (SELECT 'award' AS kind, a.person_id, a.id AS award_id, a.benefit AS subject,
                 a.rule AS decided_by, jsonb_build_object(...) AS details,
                 audit_facts_hash(a.facts, a.parameters) AS facts_hash
          FROM new_awards a) d

``statement_timestamp()`` is one value within a statement, so the column and
the hash agree; ``now()`` (the transaction's start) works as well. Every value
hashed must be the one stored: pass ``details`` as ``jsonb`` and ``kind``,
``subject`` and ``decided_by`` as the text stored (the columns do not trim
or pad). ``entry_insert_sql`` builds that INSERT around any SELECT giving
those columns. Then, after the statement, ``decision_batch_close(batch)``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from dost.audit.models import ZERO_HASH, DecisionBatch, DecisionEntry, DecisionKind

# Django names an identity column's sequence <table>_<column>_seq.
BATCH_ID_SEQUENCE = "audit_decisionbatch_id_seq"

_ENTRY_INSERT = """
INSERT INTO audit_decisionentry (batch_id, kind, person_id, award_id, subject, decided_by,
                                 details, facts_hash, entry_hash, recorded_at)
SELECT {batch}, d.kind, d.person_id, d.award_id, d.subject, d.decided_by, d.details,
       d.facts_hash,
       audit_entry_hash(d.kind, d.person_id, d.award_id, d.subject, d.decided_by, d.details,
                        d.facts_hash, {recorded_at}),
       {recorded_at}
FROM ({select_sql}) d
"""


def entry_insert_sql(*, select_sql: str, batch: str = "%(_batch)s",
                     recorded_at: str = "statement_timestamp()") -> str:
    """An INSERT of the decisions ``select_sql`` gives, with their hashes, into one batch.

    ``select_sql`` must yield the columns ``kind`` (text), ``person_id``,
    ``award_id`` (bigint or NULL), ``subject``, ``decided_by`` (text),
    ``details`` (jsonb) and ``facts_hash`` (from ``audit_facts_hash``).
    ``batch`` is the SQL for the batch id (by default the ``_batch`` parameter).
    Usable as a data-modifying CTE (append ``RETURNING ...`` as needed).
    """
    return _ENTRY_INSERT.format(batch=batch, recorded_at=recorded_at, select_sql=select_sql)


def decision_batch_open() -> int:
    """A new batch id, drawn before the batch's entries are written (they name it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [BATCH_ID_SEQUENCE])
        return cursor.fetchone()[0]


# The entries are aggregated before the head is locked (the head's CTE reads
# them), so the lock waits for no work but the two writes.
_CLOSE_SQL = """
WITH batch_entries AS MATERIALIZED (
    SELECT count(*) AS entries, string_agg(entry_hash, '' ORDER BY id) AS hashes
    FROM audit_decisionentry WHERE batch_id = %(batch)s
),
head AS (
    SELECT h.position, h.batch_hash, e.entries, e.hashes
    FROM audit_decisionchainhead h CROSS JOIN batch_entries e
    WHERE h.id = 1 AND e.entries > 0
    FOR UPDATE OF h
),
batch AS (
    INSERT INTO audit_decisionbatch (id, position, previous_hash, batch_hash, entries,
                                     closed_at)
    SELECT %(batch)s, head.position + 1, head.batch_hash,
           audit_batch_hash(head.batch_hash, head.hashes), head.entries, statement_timestamp()
    FROM head
    RETURNING id, position, previous_hash, batch_hash, entries, closed_at
)
UPDATE audit_decisionchainhead h
SET position = batch.position, batch_hash = batch.batch_hash
FROM batch WHERE h.id = 1
RETURNING batch.id, batch.position, batch.previous_hash, batch.batch_hash, batch.entries,
          batch.closed_at
"""


def decision_batch_close(batch_id: int) -> DecisionBatch | None:
    """Chain the batch's entries, written earlier in this transaction, to the log.

    Locks the chain head (``SELECT ... FOR UPDATE``) until the transaction
    ends, writes the batch row at the next position and moves the head. A
    batch without entries is not written (returns None). Raises
    ``RuntimeError`` outside a transaction: the lock must last until the
    entries commit, and the entries cannot commit without their batch.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("decision_batch_close must run inside transaction.atomic().")
    with connection.cursor() as cursor:
        cursor.execute(_CLOSE_SQL, {"batch": batch_id})
        row = cursor.fetchone()
        if row is None:
            _require_head(cursor)
            return None
    batch = DecisionBatch(id=row[0], position=row[1], previous_hash=row[2], batch_hash=row[3],
                          entries=row[4], closed_at=row[5])
    batch._state.adding = False
    batch._state.db = connection.alias
    return batch


def _require_head(cursor: Any) -> None:
    # No row came back because the batch is empty, or because the head is gone
    # (someone removed it): the second must not pass silently.
    cursor.execute("SELECT 1 FROM audit_decisionchainhead WHERE id = 1")
    if cursor.fetchone() is None:
        raise RuntimeError("The decision chain head (audit_decisionchainhead id 1) is missing.")


_RECORD_SQL = """
INSERT INTO audit_decisionentry (batch_id, kind, person_id, award_id, subject, decided_by,
                                 details, facts_hash, entry_hash, recorded_at)
SELECT d.batch_id, d.kind, d.person_id, d.award_id, d.subject, d.decided_by, d.details,
       d.facts_hash,
       audit_entry_hash(d.kind, d.person_id, d.award_id, d.subject, d.decided_by, d.details,
                        d.facts_hash, d.recorded_at),
       d.recorded_at
FROM (SELECT nextval(%(sequence)s) AS batch_id, %(kind)s::text AS kind,
             %(person_id)s::bigint AS person_id, %(award_id)s::bigint AS award_id,
             %(subject)s::text AS subject, %(decided_by)s::text AS decided_by,
             %(details)s::jsonb AS details,
             audit_facts_hash(%(facts)s::jsonb, %(parameters)s::jsonb) AS facts_hash,
             statement_timestamp() AS recorded_at) d
RETURNING id, batch_id, facts_hash, entry_hash, recorded_at
"""


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, cls=DjangoJSONEncoder)


def decision_record(*, kind: str, subject: str, decided_by: str, person_id: int | None = None,
                    award_id: int | None = None, details: dict,
                    facts: dict | None = None, parameters: dict | None = None) -> DecisionEntry:
    """Append one decision taken outside set-based SQL (a staff action, a rule in Python).

    Writes the entry and its own batch in one transaction (joining the
    caller's, so the decision and its log entry commit or fail together); the
    chain head stays locked until that transaction ends, so call it last, or
    late, in a long transaction. ``details`` are stored and shown; ``facts`` and
    ``parameters`` are only hashed (``facts_hash``), so personal data the
    decision relied on stays out of the permanent log.
    """
    if kind not in DecisionKind.values:
        raise ValueError(f"Unknown decision kind {kind!r}.")
    # No savepoint: a failed append must fail the decision it records.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_RECORD_SQL, {
            "sequence": BATCH_ID_SEQUENCE, "kind": kind, "person_id": person_id,
            "award_id": award_id, "subject": subject, "decided_by": decided_by,
            "details": _json(details or {}), "facts": _json(facts), "parameters": _json(parameters),
        })
        entry_id, batch_id, facts_hash, entry_hash, recorded_at = cursor.fetchone()
        batch = decision_batch_close(batch_id)
    entry = DecisionEntry(id=entry_id, batch=batch, kind=kind, person_id=person_id,
                          award_id=award_id, subject=subject, decided_by=decided_by,
                          details=json.loads(_json(details or {}) or "{}"), facts_hash=facts_hash,
                          entry_hash=entry_hash, recorded_at=recorded_at)
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def decision_log_reset() -> None:
    """Empty the decision log and start the chain again: only with the whole population.

    For ``seed_population --replace``, which empties the registry (and, by
    cascade, everything about its people): the decisions about people who no
    longer exist go with them, and the chain restarts at position 0. The
    tables refuse TRUNCATE unless the transaction allows it, as this does until
    the transaction ends (``SET LOCAL``). Must run inside the replacing
    transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("decision_log_reset must run inside transaction.atomic().")
    with connection.cursor() as cursor:
        # Until the transaction ends: the registry's TRUNCATE ... CASCADE that follows
        # reaches the (by then empty) entries table too.
        cursor.execute("SET LOCAL dost.audit_truncate = 'allowed'")
        cursor.execute("TRUNCATE audit_decisionentry, audit_decisionbatch")
        cursor.execute("UPDATE audit_decisionchainhead SET position = 0, batch_hash = %s "
                       "WHERE id = 1", [ZERO_HASH])
