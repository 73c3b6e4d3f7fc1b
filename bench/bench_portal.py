"""The citizen portal under load, served as in production and read by locust.

gunicorn (2 workers x 4 threads, DEBUG off, settings from the environment) serves the
site on a loopback port; for each page, locust keeps USERS users reading it for SECONDS
seconds with no pause. The minimal view (/healthz: no database, no template) is the
ceiling that Django, the middleware and gunicorn allow on this machine, so each page's
throughput is also given as a share of it. Locust runs on the same cores as the server,
so absolute figures are lower than on a machine of its own; the shares are comparable.
"""

from __future__ import annotations

import csv
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = 16
SECONDS = 8
P95_TARGET_MS = 500
MINIMAL_VIEW = "minimal view"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_env(secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dost.settings",
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
        "PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        # TLS ends at the proxy in production; here the client speaks plain HTTP.
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def _get(base_port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def _collect_static(env: dict[str, str]) -> None:
    """Production pages name static files through the manifest collectstatic writes.

    Collecting compresses every file and takes a minute or more, so it runs only when the
    manifest is missing or older than the project's own static files.
    """
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        newest = max((path.stat().st_mtime for path in (ROOT / "static").rglob("*")
                      if path.is_file()), default=0)
        if manifest.stat().st_mtime > newest:
            return
    print("collecting static files", flush=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)


@contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[int]:
    _collect_static(env)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "dost.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--worker-class", "gthread", "--threads", "4",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(port, "/healthz", {})[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def _demo_citizen() -> Iterator[object]:
    """A citizen account over a person with a work history, removed afterwards if new."""
    from django.db import connection

    from dost.accounts.models import User
    from dost.accounts.services import citizen_account_create
    from dost.registry.models import Person
    from dost.registry.services import person_register

    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id FROM registry_contribution LIMIT 1")
        found = cursor.fetchone()
    person = Person.objects.filter(pk=found[0]).first() if found else None
    new_person = person is None
    if new_person:
        import datetime as dt

        person = person_register(fin="0PRTL01", first_name="Aysel", last_name="Quliyeva",
                                 sex="F", birth_date=dt.date(1980, 5, 17), source="justice")
    user = User.objects.filter(person=person).first()
    new_user = user is None
    if new_user:
        user = citizen_account_create(person=person, password=secrets.token_urlsafe(16))
    try:
        yield user
    finally:
        if new_user:
            user.delete()
        if new_person:
            person.delete()


@contextmanager
def _session(user, secret_key: str) -> Iterator[str]:
    """A signed-in session as the server (with its own secret key) would have made it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    with override_settings(SECRET_KEY=secret_key):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
    try:
        yield store.session_key
    finally:
        store.delete()


def _pages(session: str) -> list[tuple[str, str, dict[str, str]]]:
    """(name, path, headers) of each page read; the catalogue's only once it is routed."""
    from django.urls import Resolver404, resolve

    def routed(path: str) -> bool:
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            return False
        return True

    signed_in = {"Cookie": f"sessionid={session}"}
    pages = [(MINIMAL_VIEW, "/healthz", {}), ("home page", "/", {})]
    if routed("/services/"):
        pages.append(("service list", "/services/", {}))
    if routed("/services/search/"):
        pages.append(("service search (htmx)", "/services/search/?q=pensya",
                      {"HX-Request": "true"}))
    pages += [("My data", "/my/data/", signed_in), ("My awards", "/my/awards/", signed_in)]
    return pages


def _locust(port: int, path: str, headers: dict[str, str], workdir: str) -> dict[str, float]:
    prefix = str(Path(workdir) / "run")
    env = {**os.environ, "PORTAL_PATH": path}
    if "Cookie" in headers:
        env["PORTAL_SESSION"] = headers["Cookie"].removeprefix("sessionid=")
    if "HX-Request" in headers:
        env["PORTAL_HTMX"] = "1"
    finished = subprocess.run(
        [str(BIN / "locust"), "-f", str(Path(__file__).parent / "portal_locust.py"),
         "--headless", "--host", f"http://127.0.0.1:{port}", "-u", str(USERS),
         "-r", str(USERS), "-t", f"{SECONDS}s", "--csv", prefix, "--only-summary",
         "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        cwd=workdir, env=env, capture_output=True, text=True,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"locust failed on {path}:\n{finished.stderr}")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {"rps": float(total["Requests/s"]), "p95": float(total["95%"]),
            "requests": int(total["Request Count"]), "failures": int(total["Failure Count"])}


def run(*, people: int) -> list[dict]:
    secret_key = secrets.token_urlsafe(48)
    env = _server_env(secret_key)
    rows: list[dict] = []
    with _demo_citizen() as user, _session(user, secret_key) as session, \
            _gunicorn(env) as port, tempfile.TemporaryDirectory() as workdir:
        pages = _pages(session)
        for name, path, headers in pages:
            status, body = _get(port, path, headers)
            if status != 200:
                raise RuntimeError(f"{name} ({path}) answered {status} before the load")
            for _warm in range(10):
                _get(port, path, headers)
        baseline = None
        for name, path, headers in pages:
            figures = _locust(port, path, headers, workdir)
            print(f"{name}: {figures['requests']} requests, {figures['failures']} failed, "
                  f"{figures['rps']:.0f}/s, p95 {figures['p95']:.0f} ms", flush=True)
            if baseline is None:
                baseline = figures["rps"]
            ok = figures["failures"] == 0 and figures["p95"] < P95_TARGET_MS
            rows.append({"name": f"portal {name}", "value": figures["rps"], "unit": "req/s"})
            rows.append({"name": f"portal {name} p95", "value": figures["p95"], "unit": "ms",
                         "target": f"< {P95_TARGET_MS} ms", "met": ok})
            if figures["failures"]:
                rows.append({"name": f"portal {name} failed requests",
                             "value": figures["failures"], "unit": "requests", "target": "0",
                             "met": False})
            if name != MINIMAL_VIEW:
                rows.append({"name": f"portal {name} / minimal view",
                             "value": 100 * figures["rps"] / baseline, "unit": "%"})
    return rows
