"""Two computations of the same month at once: the second waits for the first, and the
month ends with one set of figures, not two and not a failure."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from dost.index.models import KpiValue
from dost.index.services import _LOCK, index_compute
from tests.concurrency import WAIT_SECONDS, in_thread, someone_comes_to_wait_on_a_lock
from tests.index.conftest import MARCH


def lock_is_held() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                       "AND objid = %s", [_LOCK])
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_computations_of_a_month_at_once_leave_one_set_of_figures(example):
    example.visit("baku-1", "2026-03-03", "served", wait=600, service=600)
    release = threading.Event()

    def first() -> object:
        # Takes the Index's lock, then computes only once the second is waiting for it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            release.wait(WAIT_SECONDS)
            return index_compute(first=MARCH)

    results: list[object] = []
    threads = [in_thread(first, results)]
    deadline = time.monotonic() + WAIT_SECONDS
    while not lock_is_held() and time.monotonic() < deadline:
        time.sleep(0.02)
    threads.append(in_thread(lambda: index_compute(first=MARCH), results))
    assert someone_comes_to_wait_on_a_lock()
    release.set()
    for thread in threads:
        thread.join(WAIT_SECONDS)

    assert len(results) == 2
    assert not [result for result in results if isinstance(result, Exception)], results
    assert KpiValue.objects.filter(month_id=MARCH, centre_id="baku-1",
                                   kpi="wait_average").count() == 1
