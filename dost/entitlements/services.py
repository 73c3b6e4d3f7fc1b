"""Scans: every rule over the population, in chunks that Celery workers share."""

from __future__ import annotations

import datetime as dt

from celery import group
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Now

from dost.entitlements.engine import rule_arguments, run_rule
from dost.entitlements.models import ScanRun
from dost.entitlements.rules import all_rules, rule_for_code

CHUNK_SIZE = 100_000


def scan_start(*, on: dt.date, chunk_size: int = CHUNK_SIZE) -> ScanRun:
    """Create a ScanRun and dispatch one task per rule and id range.

    With Redis the tasks go to the workers (several machines share the work);
    without it they run in-process before this returns.
    """
    from dost.entitlements.tasks import scan_chunk

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1), count(*) "
                       "FROM registry_person")
        first, last, people = cursor.fetchone()
    rules = all_rules()
    ranges = [(lo, min(lo + chunk_size, last + 1)) for lo in range(first, last + 1, chunk_size)]
    scan = ScanRun.objects.create(on=on, chunks_total=len(ranges) * len(rules),
                                  people_scanned=people)
    if not ranges or not rules:
        scan_finish(scan_run_id=scan.pk)
        scan.refresh_from_db()
        return scan
    tasks = [scan_chunk.si(scan.pk, rule.code, on.isoformat(), lo, hi)
             for rule in rules for lo, hi in ranges]
    transaction.on_commit(lambda: group(tasks).apply_async())
    return scan


def scan_chunk_run(*, scan_run_id: int, rule_code: str, on: dt.date, lo: int, hi: int) -> int:
    """Run one rule over one id range and count it towards the scan's progress."""
    rule = rule_for_code(rule_code)
    outcome = run_rule(rule, on=on, lo=lo, hi=hi, scan_run_id=scan_run_id,
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
