"""Celery tasks of the proactive engine, and the one place that dispatches a scan's chunks.

Services plan and run (``dost.entitlements.services``); this module sends chunks
to the workers once the plan is committed, retries a chunk that met a transient
fault, and fails it only when retrying is no use.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from celery import group, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from dost.entitlements.models import ScanRun
from dost.entitlements.services import (
    CHUNK_SIZE,
    scan_chunk_fail,
    scan_chunk_run,
    scan_resume,
    scan_start,
)

logger = logging.getLogger(__name__)

# Serialization failure, deadlock, and an exclusion constraint's violation: two rules
# racing to award one person's labour pension. The statement rolled back; run again,
# it sees the other's committed award and decides on it.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "23P01"})
RETRY_BACKOFF_SECONDS = 2
RETRY_BACKOFF_MAX_SECONDS = 120


def is_transient(error: BaseException) -> bool:
    """Whether running the chunk again may succeed: a lost connection, a busy or
    restarting database, a lock conflict with another worker."""
    if isinstance(error, OperationalError | InterfaceError | OSError):
        return True
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return sqlstate in TRANSIENT_SQLSTATES


@shared_task(bind=True, acks_late=True, max_retries=3)
def scan_chunk(self, chunk_id: int) -> int:
    """Run one chunk of a scan; returns the awards it made (0 if it was already done).

    A transient fault is retried with a growing, jittered wait, ``max_retries``
    times; then, or at once for any other fault, the chunk and its scan fail.
    """
    retries = self.request.retries
    while True:
        try:
            return scan_chunk_run(chunk_id=chunk_id).awarded
        except Exception as exc:
            if not is_transient(exc) or retries >= self.max_retries:
                _chunk_failed(chunk_id, exc)
                raise
            countdown = get_exponential_backoff_interval(
                RETRY_BACKOFF_SECONDS, retries, RETRY_BACKOFF_MAX_SECONDS, full_jitter=True)
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=countdown) from exc
            # In-process (no broker), Celery propagates the error instead of retrying
            # the task: wait and run the chunk again here.
            logger.warning("Scan chunk %s: %r; retrying in %s s", chunk_id, exc, countdown)
            retries += 1
            time.sleep(countdown)


def _chunk_failed(chunk_id: int, error: Exception) -> None:
    try:
        scan_chunk_fail(chunk_id=chunk_id, error=repr(error))
    except Exception:
        # The database may be the fault: the chunk then stays pending, and its scan
        # running until it is resumed.
        logger.exception("Could not record the failure of scan chunk %s", chunk_id)


def scan_dispatch(chunk_ids: list[int]) -> None:
    """Send one task per chunk to the workers once the current transaction commits.

    Without a broker (no REDIS_URL) the tasks run in-process at the commit.
    """
    if not chunk_ids:
        return
    signatures = [scan_chunk.si(chunk_id) for chunk_id in chunk_ids]
    transaction.on_commit(lambda: group(signatures).apply_async())


def scan_launch(*, on: dt.date, chunk_size: int = CHUNK_SIZE, full: bool = False) -> ScanRun:
    """Plan a scan (``services.scan_start``) and dispatch its chunks after the commit."""
    started = scan_start(on=on, chunk_size=chunk_size, full=full)
    scan_dispatch(started.chunk_ids)
    return started.scan


def scan_relaunch(*, scan_run_id: int) -> list[int]:
    """Resume a scan (``services.scan_resume``): dispatch its chunks not done again."""
    chunk_ids = scan_resume(scan_run_id=scan_run_id)
    scan_dispatch(chunk_ids)
    return chunk_ids


@shared_task
def nightly_scan() -> int:
    with transaction.atomic():
        scan = scan_launch(on=timezone.localdate())
    return scan.pk
