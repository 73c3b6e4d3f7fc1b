"""The embedded PostgreSQL stops when the last process using it ends, however it ends.

The server tests start ``runserver`` (with its autoreloader, as ``make run`` does)
in a process group of its own, on a server in a temporary data folder, stop it
as a terminal would, and check that the postmaster is gone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from dost.embedded_db import _Handles

ROOT = Path(__file__).resolve().parents[2]

# Runs the project's runserver on the embedded server of another data folder.
RUNSERVER = """
import pathlib, sys
sys.path.insert(0, {root!r})
import dost.embedded_db as embedded_db
project_server = embedded_db.embedded_database_url
embedded_db.embedded_database_url = lambda base_dir: project_server(pathlib.Path({base!r}))
from django.core.management import execute_from_command_line
execute_from_command_line([sys.argv[0], "runserver", "127.0.0.1:{port}"])
"""


def ended_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- the list of processes holding the server ------------------------------------------------


def test_a_process_that_ended_without_letting_go_no_longer_holds_the_server(tmp_path):
    handles = _Handles(tmp_path / ".handle_pids.json")
    handles.put([ended_pid(), os.getpid()])
    assert handles.get() == [os.getpid()]
    # So the last running process lets go as the last one, and stops the server.
    assert handles.get_and_remove(os.getpid()) == [os.getpid()]
    assert handles.get() == []


def test_a_half_written_list_counts_as_empty_and_is_written_anew(tmp_path):
    path = tmp_path / ".handle_pids.json"
    path.write_text("")
    handles = _Handles(path)
    assert handles.get_and_add(os.getpid()) == []
    assert json.loads(path.read_text()) == [os.getpid()]


def test_the_list_is_replaced_whole_leaving_no_partial_file(tmp_path):
    handles = _Handles(tmp_path / ".handle_pids.json")
    handles.get_and_add(os.getpid())
    handles.get_and_add(os.getpid())
    assert handles.get() == [os.getpid()]
    assert [path.name for path in tmp_path.iterdir()] == [".handle_pids.json"]


# --- runserver, stopped as a terminal stops it -----------------------------------------------


@pytest.fixture(scope="module")
def server_folder() -> Iterator[Path]:
    # Not under pytest's temporary folder: run as root, the server runs as a user of its
    # own, and each pytest session closes that folder to other users again.
    folder = Path(tempfile.mkdtemp(prefix="dost-embedded-"))
    yield folder
    # A test that failed may have left the server running.
    with contextlib.suppress(FileNotFoundError, psutil.Error):
        database = postmaster(folder)
        database.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown
        database.wait(timeout=15)
    shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_runserver(base: Path) -> subprocess.Popen:
    script = base / "runserver.py"
    script.write_text(RUNSERVER.format(root=str(ROOT), base=str(base), port=free_port()))
    env = {name: value for name, value in os.environ.items()
           if name not in {"DATABASE_URL", "DEBUG", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="dost.settings", DJANGO_RUNSERVER_HIDE_WARNING="true")
    # A process group of its own, as a terminal's foreground job has.
    server = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    output = []
    for line in server.stdout:
        output.append(line)
        if "Quit the server" in line:
            return server
    server.wait()
    pytest.fail("runserver did not start:\n" + "".join(output))


def postmaster(base: Path) -> psutil.Process:
    return psutil.Process(int((base / ".pgdata" / "postmaster.pid").read_text().split()[0]))


def wait_gone(process: psutil.Process, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def runserver(server_folder):
    started = []

    def start() -> tuple[subprocess.Popen, psutil.Process]:
        server = start_runserver(server_folder)
        started.append(server)
        return server, postmaster(server_folder)

    yield start
    for server in started:  # whatever the test left running
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_ctrl_c_on_runserver_stops_the_embedded_server(runserver, server_folder):
    server, database = runserver()
    # The site runs in the autoreloader's child: two processes hold the server.
    handles = _Handles(server_folder / ".pgdata" / ".handle_pids.json")
    assert len(handles.get()) == 2
    # A handle left by a process killed earlier must not keep the server running.
    handles.put([*handles.get(), ended_pid()])

    os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    server.wait(timeout=15)

    assert wait_gone(database, seconds=15), "the embedded PostgreSQL is still running"
    assert handles.get() == []


# A process that ends by the signal's default action (`migrate`, `seed_demo`, pytest).
HOLDER = """
import pathlib, sys, time
sys.path.insert(0, {root!r})
from dost.embedded_db import embedded_database_url
embedded_database_url(pathlib.Path({base!r}))
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["kill", "terminal-closed"])
def test_a_process_ended_by_a_signal_stops_the_server_it_held_last(server_folder, stop):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=str(ROOT), base=str(server_folder))],
        stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        database = postmaster(server_folder)
        holder.send_signal(stop)
        # It still dies of the signal, as it would have.
        assert holder.wait(timeout=15) == -stop
        assert wait_gone(database, seconds=15), "the embedded PostgreSQL is still running"
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
