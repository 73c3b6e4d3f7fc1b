"""Scans: every rule over the population, in chunks that Celery workers share."""

from __future__ import annotations

import datetime as dt

from celery import group
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Now

from dost.entitlements.engine import rule_arguments, run_rule
from dost.entitlements.incremental import people_to_recheck, resumption
from dost.entitlements.models import ScanRun
from dost.entitlements.rules import all_rules, rule_for_code

CHUNK_SIZE = 100_000


def scan_start(*, on: dt.date, chunk_size: int = CHUNK_SIZE, full: bool = False) -> ScanRun:
    """Create a ScanRun and dispatch one task per rule and chunk of people.

    After a completed scan earlier in the year, a rule whose law has not
    changed looks only at the people who may have changed since (see
    ``dost.entitlements.incremental``); ``full`` makes every rule look at
    everyone. With Redis the tasks go to the workers (several machines share
    the work); without it they run in-process before this returns.
    """
    from dost.entitlements.tasks import scan_chunk

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1), count(*) "
                       "FROM registry_person")
        first, last, population = cursor.fetchone()
    rules = all_rules()
    resumed = None if full else resumption(on)
    ranges = [(lo, min(lo + chunk_size, last + 1)) for lo in range(first, last + 1, chunk_size)]
    tasks, incremental, rechecked = [], [], set()
    for rule in rules:
        people = people_to_recheck(rule, resumed, on=on, arguments=rule_arguments(rule, on),
                                   population=population)
        if people is None:
            tasks += [(rule.code, lo, hi, None) for lo, hi in ranges]
            continue
        incremental.append(rule.code)
        rechecked.update(people)
        tasks += [(rule.code, None, None, people[start:start + chunk_size])
                  for start in range(0, len(people), chunk_size)]
    scan = ScanRun.objects.create(
        on=on, chunks_total=len(tasks), people_scanned=population,
        rules=[rule.code for rule in rules], incremental_rules=incremental,
        since=resumed.previous.on if incremental else None, people_rechecked=len(rechecked),
    )
    if not tasks:
        scan_finish(scan_run_id=scan.pk)
        scan.refresh_from_db()
        return scan
    signatures = [scan_chunk.si(scan.pk, code, on.isoformat(), lo, hi, people)
                  for code, lo, hi, people in tasks]
    transaction.on_commit(lambda: group(signatures).apply_async())
    return scan


def scan_chunk_run(*, scan_run_id: int, rule_code: str, on: dt.date, lo: int | None = None,
                   hi: int | None = None, people: list[int] | None = None) -> int:
    """Run one rule over an id range or a list of people, and count it towards the scan."""
    rule = rule_for_code(rule_code)
    outcome = run_rule(rule, on=on, lo=lo, hi=hi, people=people, scan_run_id=scan_run_id,
                       arguments=rule_arguments(rule, on))
    with transaction.atomic():
        ScanRun.objects.filter(pk=scan_run_id).update(
            chunks_done=F("chunks_done") + 1, awarded=F("awarded") + outcome.awarded
        )
        scan_finish(scan_run_id=scan_run_id)
    return outcome.awarded


def scan_finish(*, scan_run_id: int) -> None:
    """Mark the scan done once its last chunk has counted itself."""
    ScanRun.objects.filter(
        pk=scan_run_id, status=ScanRun.Status.RUNNING, chunks_done__gte=F("chunks_total")
    ).update(status=ScanRun.Status.DONE, finished_at=Now())


def scan_fail(*, scan_run_id: int, error: str) -> None:
    ScanRun.objects.filter(pk=scan_run_id).update(status=ScanRun.Status.FAILED,
                                                  error=error[:2000], finished_at=Now())


def entitlements_for_people(*, people: list[int], on: dt.date) -> int:
    """Run every rule for the people a life event touched; returns awards made."""
    return sum(run_rule(rule, on=on, people=people).awarded for rule in all_rules())
