"""Scans: every rule over the population, in chunks that Celery workers share.

A scan is planned here as ``ScanChunk`` rows: one rule (or the death stop) over
one slice of the population. The task layer (``dost.entitlements.tasks``)
sends them to the workers, retries a chunk that met a transient fault, and
sends the chunks not done again when a scan is resumed. A chunk is marked done
in the transaction that makes its awards, so a retry or a second delivery of a
chunk that already committed changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from dost.entitlements.engine import RuleNotInForce, rule_arguments, run_rule
from dost.entitlements.incremental import people_to_recheck, people_to_stop, resumption
from dost.entitlements.models import ScanChunk, ScanRun
from dost.entitlements.parameters import ParameterMissing
from dost.entitlements.rules import Rule, all_rules, rule_for_code
from dost.entitlements.stops import DEATH_STOP, stop_on_death
from dost.errors import DomainError

logger = logging.getLogger(__name__)

# People per chunk of a full scan. Each chunk repeats a rule's fixed costs (its look-ups
# of relatives, its plan); 200,000 halves them against 100,000 (a 1M first scan: 62.8 s
# to 58.6 s) and still gives every worker of a 10M scan fifty chunks per rule.
CHUNK_SIZE = 200_000

# A slice of the population for one chunk: an id range [lo, hi), or a list of people.
_Slice = tuple[int | None, int | None, list[int] | None]


@dataclass(frozen=True)
class ScanStarted:
    """A scan just planned, and its chunks for the task layer to dispatch."""

    scan: ScanRun
    chunk_ids: list[int]


@dataclass(frozen=True)
class ChunkOutcome:
    awarded: int
    stopped: int
    # False when the chunk had already been done: nothing ran, nothing was counted.
    ran: bool


def scan_start(*, on: dt.date, chunk_size: int = CHUNK_SIZE, full: bool = False) -> ScanStarted:
    """Plan a scan as of ``on``: a ScanRun and one ScanChunk per rule and slice of people.

    Side effects: the ScanRun and its chunks (numbered from 1, the death stop's
    first). Every scan runs the death stop (``stops.death``) over the population,
    then every rule in force. A rule whose law is not in force yet on ``on`` is
    skipped (``skipped_rules``); one waiting for a parameter the law has not given
    (a year's indexation rate) holds (``held_rules``, and what is missing in
    ``missing_parameters``); the scan runs the others. A scan with nothing to run
    is done at once.

    After a completed scan earlier in the year, a rule whose law has not changed
    (and the death stop) looks only at the people who may have changed since (see
    ``dost.entitlements.incremental``); ``full`` makes every rule look at everyone.

    Nothing is dispatched: ``dost.entitlements.tasks.scan_launch`` sends the chunks
    to the workers once the transaction that planned them commits.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1), count(*) "
                       "FROM registry_person")
        first, last, population = cursor.fetchone()
    resumed = None if full else resumption(on)
    ranges: list[_Slice] = [(lo, min(lo + chunk_size, last + 1), None)
                            for lo in range(first, last + 1, chunk_size)]

    def in_lists(people: list[int]) -> list[_Slice]:
        return [(None, None, people[start:start + chunk_size])
                for start in range(0, len(people), chunk_size)]

    plan: list[tuple[str, _Slice]] = []
    ran, incremental, rechecked = [], [], set()

    def add(code: str, people: list[int] | None) -> None:
        ran.append(code)
        if people is None:
            plan.extend((code, where) for where in ranges)
            return
        incremental.append(code)
        rechecked.update(people)
        plan.extend((code, where) for where in in_lists(people))

    # Deaths first: a chunk's awards never rest on a beneficiary's death it has not seen.
    add(DEATH_STOP, people_to_stop(resumed, population=population))
    in_force, skipped, held, missing = _rules_in_force(on)
    for rule, arguments in in_force:
        add(rule.code, people_to_recheck(rule, resumed, on=on, arguments=arguments,
                                         population=population))
    scan = ScanRun.objects.create(
        on=on, chunks_total=len(plan), people_scanned=population, rules=ran,
        incremental_rules=incremental,
        since=resumed.previous.on if incremental and resumed else None,
        people_rechecked=len(rechecked), skipped_rules=skipped, held_rules=held,
        missing_parameters=missing,
    )
    chunks = ScanChunk.objects.bulk_create(
        ScanChunk(scan_run=scan, number=number, rule=code, lo=lo, hi=hi, people=people)
        for number, (code, (lo, hi, people)) in enumerate(plan, start=1)
    )
    if not chunks:
        scan_finish(scan_run_id=scan.pk)
        scan.refresh_from_db()
    return ScanStarted(scan=scan, chunk_ids=[chunk.pk for chunk in chunks])


def _rules_in_force(on: dt.date) -> tuple[list[tuple[Rule, dict[str, Any]]], list[str],
                                          list[str], list[str]]:
    """The rules that can run on ``on`` with their arguments, and those that cannot:
    skipped (not in force yet), held (a parameter missing), and what is missing."""
    in_force, skipped, held, missing = [], [], [], []
    for rule in all_rules():
        try:
            in_force.append((rule, rule_arguments(rule, on)))
        except RuleNotInForce:
            skipped.append(rule.code)
        except ParameterMissing as exc:
            held.append(rule.code)
            reason = str(exc)[:200]
            if reason not in missing:
                missing.append(reason)
    return in_force, skipped, held, missing


def scan_chunk_run(*, chunk_id: int) -> ChunkOutcome:
    """Run one chunk of a scan: its rule, or the death stop, over its slice of people.

    Side effects: one more attempt counted on the chunk (kept even if the attempt
    fails); then in ONE transaction, with the chunk's row locked: the awards (or
    stops) with their outbox rows and decision-log batch, the chunk marked done
    with its counts, the scan's counters raised, and the scan marked done if this
    was its last chunk. A chunk already done (a retry or a second delivery of one
    that committed) runs nothing and counts nothing.
    """
    ScanChunk.objects.filter(pk=chunk_id).exclude(status=ScanChunk.Status.DONE).update(
        attempts=F("attempts") + 1)
    with transaction.atomic():
        # A twin delivery of the chunk waits here until this one commits, then sees it done.
        chunk = ScanChunk.objects.select_for_update(of=("self",)).select_related(
            "scan_run").get(pk=chunk_id)
        if chunk.status == ScanChunk.Status.DONE:
            return ChunkOutcome(awarded=0, stopped=0, ran=False)
        on = chunk.scan_run.on
        awarded = stopped = 0
        if chunk.rule == DEATH_STOP:
            stopped = stop_on_death(on=on, lo=chunk.lo, hi=chunk.hi,
                                    people=chunk.people).awards
        else:
            rule = rule_for_code(chunk.rule)
            awarded = run_rule(rule, on=on, lo=chunk.lo, hi=chunk.hi, people=chunk.people,
                               scan_run_id=chunk.scan_run_id,
                               arguments=rule_arguments(rule, on)).awarded
        ScanChunk.objects.filter(pk=chunk.pk).update(
            status=ScanChunk.Status.DONE, awarded=awarded, stopped=stopped, error="",
            finished_at=Now())
        ScanRun.objects.filter(pk=chunk.scan_run_id).update(
            chunks_done=F("chunks_done") + 1, awarded=F("awarded") + awarded,
            stopped=F("stopped") + stopped)
        scan_finish(scan_run_id=chunk.scan_run_id)
    return ChunkOutcome(awarded=awarded, stopped=stopped, ran=True)


def scan_chunk_fail(*, chunk_id: int, error: str) -> None:
    """Mark a chunk failed (its retries used up, or a fault retrying cannot mend), and
    its scan failed with the error, naming the chunk. A chunk already done stays done."""
    with transaction.atomic():
        chunk = ScanChunk.objects.select_for_update().get(pk=chunk_id)
        if chunk.status == ScanChunk.Status.DONE:
            return
        ScanChunk.objects.filter(pk=chunk.pk).update(
            status=ScanChunk.Status.FAILED, error=error[:2000], finished_at=Now())
        where = f"[{chunk.lo}, {chunk.hi})" if chunk.people is None \
            else f"{len(chunk.people)} people"
        scan_fail(scan_run_id=chunk.scan_run_id,
                  error=f"chunk {chunk.number}, {chunk.rule} {where}: {error}")


def scan_resume(*, scan_run_id: int) -> list[int]:
    """Set a failed (or stalled) scan running again; returns its chunks not done.

    Side effects: the scan's status back to running, its error and end cleared;
    its failed chunks back to pending (their attempts kept). The caller sends the
    returned chunks to the workers again (``dost.entitlements.tasks.scan_relaunch``);
    chunks done are never run again. A scan with every chunk done is marked done.

    Refuses a scan that is done, and one planned before scans were kept in chunks.
    """
    with transaction.atomic():
        scan = ScanRun.objects.select_for_update().filter(pk=scan_run_id).first()
        if scan is None:
            raise DomainError(_("There is no scan %(number)s.") % {"number": scan_run_id},
                              code="not_found")
        if scan.status == ScanRun.Status.DONE:
            raise DomainError(_("Scan %(number)s is done: there is nothing to resume.")
                              % {"number": scan.pk}, code="scan_done")
        pending = list(scan.chunks.exclude(status=ScanChunk.Status.DONE)
                       .order_by("number").values_list("pk", flat=True))
        if not pending and scan.chunks_done < scan.chunks_total:
            raise DomainError(_("Scan %(number)s cannot be resumed: it did not record its "
                                "chunks. Start a new scan.") % {"number": scan.pk},
                              code="scan_not_resumable")
        ScanChunk.objects.filter(pk__in=pending, status=ScanChunk.Status.FAILED).update(
            status=ScanChunk.Status.PENDING, error="", finished_at=None)
        ScanRun.objects.filter(pk=scan.pk).update(status=ScanRun.Status.RUNNING, error="",
                                                  finished_at=None)
        scan_finish(scan_run_id=scan.pk)
    return pending


def scan_finish(*, scan_run_id: int) -> None:
    """Mark the scan done once its last chunk has counted itself."""
    ScanRun.objects.filter(
        pk=scan_run_id, status=ScanRun.Status.RUNNING, chunks_done__gte=F("chunks_total")
    ).update(status=ScanRun.Status.DONE, finished_at=Now())


def scan_fail(*, scan_run_id: int, error: str) -> None:
    ScanRun.objects.filter(pk=scan_run_id).update(status=ScanRun.Status.FAILED,
                                                  error=error[:2000], finished_at=Now())


def entitlements_for_people(*, people: list[int], on: dt.date) -> int:
    """Stop the awards of those of ``people`` who have died, then run every rule in
    force for them; returns the awards made.

    A rule not in force yet on ``on`` is skipped and one waiting for a parameter
    the law has not given (a year's indexation rate) holds, silently: the others
    still run, and the scans report what held.
    """
    stop_on_death(on=on, people=people)
    in_force, _skipped, held, missing = _rules_in_force(on)
    if held:
        logger.info("Rules held for %s people on %s: %s (%s)", len(people), on,
                    ", ".join(held), "; ".join(missing))
    return sum(run_rule(rule, on=on, people=people, arguments=arguments).awarded
               for rule, arguments in in_force)
