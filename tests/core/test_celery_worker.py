"""A real Celery worker process on Redis runs a task against the test database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from dost.celery import app as celery_app
from dost.entitlements.models import Award, ScanRun
from dost.entitlements.tasks import scan_launch
from dost.registry.seeding import populate
from dost.registry.tasks import registry_size
from tests.conftest import set_eager

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.redis,
    # The worker reads committed rows; restoring the reference data afterwards
    # keeps the flush from emptying it for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set"),
]


def _database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    if host.startswith("/"):
        return f"postgresql://{db['USER']}:@/{db['NAME']}?host={host}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    # Everything this test process sends goes to the worker started here.
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.CELERY_TASK_DEFAULT_QUEUE = queue
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dost", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-n", f"{queue}@%h", "--loglevel=WARNING"],
        cwd=ROOT, env=env,
    )
    set_eager(False)
    try:
        yield queue
    finally:
        set_eager(True)
        celery_app.conf.CELERY_TASK_DEFAULT_QUEUE = previous_queue
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_worker_runs_a_task_against_the_database(worker, make_person):
    make_person(fin="1WRK001")
    make_person(fin="1WRK002")
    result = registry_size.apply_async(queue=worker)
    assert result.get(timeout=60) == 2


def test_two_scans_at_once_never_award_twice(worker):
    on = dt.date(2026, 11, 23)
    populate(people=3000, seed=11, today=on)
    first = scan_launch(on=on, chunk_size=500)
    second = scan_launch(on=on, chunk_size=500)
    deadline = time.monotonic() + 120
    while ScanRun.objects.filter(status=ScanRun.Status.RUNNING).exists():
        assert time.monotonic() < deadline, "the scans did not finish"
        time.sleep(0.2)
    assert ScanRun.objects.filter(status=ScanRun.Status.DONE).count() == 2
    awards = Award.objects.count()
    assert awards > 0
    first.refresh_from_db()
    second.refresh_from_db()
    # Each period of a right was awarded once, by whichever scan got there first (a right
    # may have several periods: a benefit re-decided when its amount changed by law).
    assert first.awarded + second.awarded == awards
    assert Award.objects.values("person", "benefit", "basis_person", "period_start").distinct() \
        .count() == awards
