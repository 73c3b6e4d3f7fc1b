"""Helpers for tests that race two requests on the real database, each in its own thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, connections

WAIT_SECONDS = 10


def someone_waits_on_a_lock() -> bool:
    """Whether a session of this test database is waiting for a lock another holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def someone_comes_to_wait_on_a_lock(seconds: float = WAIT_SECONDS) -> bool:
    """Whether, within ``seconds``, a session comes to wait for a lock another holds."""
    deadline = time.monotonic() + seconds
    while not someone_waits_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    return someone_waits_on_a_lock()


def in_thread(target: Callable[[], Any], results: list[Any],
              start: threading.Barrier | None = None) -> threading.Thread:
    """Run ``target`` in a thread of its own (its own connection), appending what it
    returns, or the exception it raises, to ``results``; ``start`` lines threads up."""
    def run() -> None:
        try:
            if start is not None:
                start.wait(WAIT_SECONDS)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertions
            results.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
