"""Checking the decision log end to end: is every entry and batch what was appended?

Set-based, three statements in one snapshot: a scan recomputes every entry's
hash; a pass over the entries grouped by batch in id order recomputes every
batch's hash, and a window over the batches in chain order checks that each
names its predecessor's hash; the head must name the last batch. No Python
loop touches an entry or a batch.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction

from dost.audit.models import ZERO_HASH

# Every entry's hash recomputed from its content: one scan, which PostgreSQL
# may share among parallel workers (the hash functions are parallel safe).
_ENTRIES_SQL = """
SELECT count(*),
       min(id) FILTER (WHERE entry_hash IS DISTINCT FROM audit_entry_hash(
           kind, person_id, award_id, subject, decided_by, details, facts_hash, recorded_at))
FROM audit_decisionentry
"""

# Every batch's hash recomputed from its entries' stored hashes in id order, and
# its link to the batch before it in chain order (a window). The entries arrive
# grouped (by the index on (batch_id, id), or a sort that spills to disk), so
# memory holds one batch's hashes at a time and no id ranges are needed. A full
# join keeps entries whose batch is gone and batches whose entries are all gone.
_BATCHES_SQL = """
WITH per_batch AS (
    SELECT batch_id, count(*) AS entries, min(id) AS first_entry,
           string_agg(entry_hash, '' ORDER BY id) AS hashes
    FROM audit_decisionentry
    GROUP BY batch_id
),
chain AS (
    SELECT id, position, previous_hash, batch_hash, entries,
           lag(batch_hash) OVER by_position AS prior_hash,
           lag(position) OVER by_position AS prior_position
    FROM audit_decisionbatch
    WINDOW by_position AS (ORDER BY position)
),
checked AS (
    SELECT coalesce(c.id, p.batch_id) AS batch_id, c.position, p.first_entry,
           c.id IS NULL AS orphaned,
           c.id IS NOT NULL AND (
               p.batch_id IS NULL
               OR c.position <> coalesce(c.prior_position, 0) + 1
               OR c.previous_hash <> coalesce(c.prior_hash, repeat('0', 64))
               OR c.entries <> p.entries
               OR c.batch_hash <> audit_batch_hash(c.previous_hash, p.hashes)
           ) AS broken
    FROM chain c FULL JOIN per_batch p ON p.batch_id = c.id
)
SELECT count(position),
       max(position),
       min(first_entry) FILTER (WHERE orphaned),
       (array_agg(batch_id ORDER BY first_entry) FILTER (WHERE orphaned))[1],
       (array_agg(batch_id ORDER BY position) FILTER (WHERE broken))[1],
       (array_agg(first_entry ORDER BY position) FILTER (WHERE broken))[1]
FROM checked
"""

_ENTRY_BATCH_SQL = "SELECT batch_id FROM audit_decisionentry WHERE id = %s"

_HEAD_SQL = """
SELECT h.position, h.batch_hash, b.batch_hash
FROM audit_decisionchainhead h
LEFT JOIN audit_decisionbatch b ON b.position = h.position
WHERE h.id = 1
"""


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    batches: int
    # The smallest id of an entry whose content no longer matches its hash (or whose
    # batch is gone); else the first entry of the first batch that no longer matches.
    first_altered: int | None
    # The batch of ``first_altered`` (it may be gone), else the first batch in chain
    # order that no longer matches.
    first_altered_batch: int | None
    seconds: float
    # False when the head does not name the last batch (batches removed from the end).
    head_intact: bool = True

    @property
    def entries_per_second(self) -> int:
        return round(self.entries / self.seconds) if self.seconds > 0 else 0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3),
                "entries_per_second": self.entries_per_second}


def decision_log_verify() -> Verification:
    """Recompute every entry's and batch's hash and check the links; change nothing.

    Reads one consistent snapshot (a repeatable-read transaction of its own,
    unless called inside one), so a batch appended meanwhile is either wholly
    seen, with the head that names it, or not at all.
    """
    started = time.perf_counter()
    # Inside a caller's transaction the caller's snapshot rules; on its own it takes one.
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if own_transaction:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # Compiling the hash expressions to machine code costs more than it saves here.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_ENTRIES_SQL)
        entries, altered_entry = cursor.fetchone()
        cursor.execute(_BATCHES_SQL)
        (batches, last_position, orphaned_entry, orphaned_batch, broken_batch,
         broken_batch_entry) = cursor.fetchone()
        cursor.execute(_HEAD_SQL)
        head = cursor.fetchone()
        # An entry whose content changed, or whose batch is gone, comes first; else the
        # first entry of the first batch that no longer matches (None if it has none).
        altered = [entry for entry in (altered_entry, orphaned_entry) if entry is not None]
        first_altered = min(altered) if altered else broken_batch_entry
        if altered_entry is not None and first_altered == altered_entry:
            cursor.execute(_ENTRY_BATCH_SQL, [altered_entry])
            first_altered_batch = cursor.fetchone()[0]
        elif altered:
            first_altered_batch = orphaned_batch
        else:
            first_altered_batch = broken_batch
    head_intact = (head is not None and head[0] == (last_position or 0)
                   and head[1] == (head[2] or ZERO_HASH))
    return Verification(
        intact=head_intact and first_altered is None and first_altered_batch is None,
        entries=entries, batches=batches, first_altered=first_altered,
        first_altered_batch=first_altered_batch, seconds=time.perf_counter() - started,
        head_intact=head_intact,
    )
