"""The threaded dev server cannot pile up database connections.

``runserver`` (like pytest-django's live server, the same ThreadedWSGIServer) serves
each client connection on its own thread, which opens its own database connection.
Unless the setting says otherwise, that connection is closed when its request ends,
not kept for reuse by a thread that will serve this one client only.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

from tests.core.test_deployment import production_keys

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 30
# This test's own connection, and the live server's, may stay open.
ALLOWED_AFTERWARDS = 2
# Backends end a moment after their client hangs up: how long to let them go.
SETTLE_SECONDS = 20


def other_connections_to_this_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def settled_count(bound: int) -> int:
    """The connection count once it is at most ``bound``, or as it is when time runs out."""
    deadline = time.monotonic() + SETTLE_SECONDS
    count = other_connections_to_this_database()
    while count > bound and time.monotonic() < deadline:
        time.sleep(0.2)
        count = other_connections_to_this_database()
    return count


def test_the_dev_server_closes_connections_when_requests_end():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    assert settings.DB_CONN_MAX_AGE == 0


def connection_settings_when(**environment: str) -> list:
    """CONN_MAX_AGE and CONN_HEALTH_CHECKS as a fresh process reads them from ``environment``."""
    env = {name: value for name, value in os.environ.items()
           if name not in {"DEBUG", "DB_CONN_MAX_AGE"}}
    env.update(DJANGO_SETTINGS_MODULE="dost.settings",
               # Never connected to: it only keeps the embedded PostgreSQL from starting.
               DATABASE_URL="postgres://nobody@127.0.0.1:1/none", **environment)
    read = ("import json; from django.conf import settings; "
            "db = settings.DATABASES['default']; "
            "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']]))")
    done = subprocess.run([sys.executable, "-c", read], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_production_keeps_connections_and_checks_them_before_reuse():
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
                  "ALLOWED_HOSTS": "dost.example", **production_keys()}
    assert connection_settings_when(**production) == [60, True]
    assert connection_settings_when(**production, DB_CONN_MAX_AGE="0") == [0, False]


def test_development_closes_connections_unless_told_otherwise():
    assert connection_settings_when() == [0, False]
    assert connection_settings_when(DB_CONN_MAX_AGE="30") == [30, True]


def test_the_live_server_is_the_threaded_dev_server():
    assert LiveServerThread.server_class is ThreadedWSGIServer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_clients_at_once_leave_no_connections_behind(live_server):
    address = urlsplit(live_server.url)
    ready = threading.Barrier(CLIENTS)
    clients: list[http.client.HTTPConnection] = []
    answers: list[int] = []
    lock = threading.Lock()

    def client() -> None:
        # A browser keeps its connection open, and so its server thread alive.
        keep_alive = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        ready.wait()
        keep_alive.request("GET", "/readyz")  # queries the database
        first = keep_alive.getresponse()
        first.read()
        # The thread serves the next request only once the first one has been cleaned
        # up after, so when this answer arrives the first request's teardown is over.
        keep_alive.request("GET", "/healthz")
        second = keep_alive.getresponse()
        second.read()
        with lock:
            clients.append(keep_alive)
            answers.extend([first.status, second.status])

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert answers == [200] * (2 * CLIENTS)
        assert all(keep_alive.sock is not None for keep_alive in clients)  # still connected
        assert settled_count(ALLOWED_AFTERWARDS) <= ALLOWED_AFTERWARDS
    finally:
        for keep_alive in clients:
            keep_alive.close()
