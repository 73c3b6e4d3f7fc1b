"""A scan survives transient faults: a chunk is retried, never awards twice, and a scan
with a failed chunk can be resumed."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, OperationalError, transaction
from django.urls import reverse
from django.utils import translation

from dost.entitlements import services, tasks
from dost.entitlements.models import Award, ScanChunk, ScanRun
from dost.entitlements.stops import DEATH_STOP
from dost.entitlements.tasks import is_transient
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from tests.pensions.conftest import TODAY, make_parent

CHILDBIRTH = "pensions.childbirth_allowance"


@pytest.fixture(autouse=True)
def _no_wait_between_retries(monkeypatch):
    monkeypatch.setattr(tasks, "RETRY_BACKOFF_SECONDS", 0)


@pytest.fixture
def mother(make_person):
    mother = make_person(fin="1RSL001", phone="+994501234500")
    baby = make_person(fin="1RSL002", birth_date=TODAY - dt.timedelta(days=5))
    make_parent(baby, mother, since=baby.birth_date)
    return mother


def faulty_rule(monkeypatch, *, code: str, failures: float, error: Exception | None = None):
    """Make ``code``'s chunk fail ``failures`` times after its statement ran, before its
    commit (a connection lost at the worst moment); returns what each attempt saw."""
    real = services.run_rule
    attempts = []

    def run_rule(rule, **kwargs):
        outcome = real(rule, **kwargs)
        if rule.code == code:
            chunk = ScanChunk.objects.get(scan_run_id=kwargs["scan_run_id"], rule=code)
            attempts.append((chunk.status, chunk.scan_run.status))
            if len(attempts) <= failures:
                raise error or OperationalError("server closed the connection unexpectedly")
        return outcome

    monkeypatch.setattr(services, "run_rule", run_rule)
    return attempts


@pytest.fixture
def dispatch_at_once(monkeypatch):
    # The command commits inside the test's transaction, where on_commit would wait for
    # the test's end: the chunks are sent at once instead.
    monkeypatch.setattr(tasks, "transaction", SimpleNamespace(
        on_commit=lambda run, **_: run(), atomic=transaction.atomic))


def chunk_of(scan_run: ScanRun, code: str) -> ScanChunk:
    return ScanChunk.objects.get(scan_run=scan_run, rule=code)


def test_a_scan_is_planned_as_numbered_chunks_the_death_stop_first(scan, make_person):
    for number in range(5):
        make_person(fin=f"1RSP00{number}")
    scan_run = scan(chunk_size=2)
    chunks = list(scan_run.chunks.order_by("number"))
    assert [chunk.number for chunk in chunks] == list(range(1, len(chunks) + 1))
    assert len(chunks) == scan_run.chunks_total == 3 * len(scan_run.rules)
    assert [chunk.rule for chunk in chunks[:3]] == [DEATH_STOP] * 3
    assert {chunk.status for chunk in chunks} == {ScanChunk.Status.DONE}
    assert scan_run.chunks_done == scan_run.chunks_total


def test_a_chunk_whose_first_attempt_fails_is_retried_and_awards_once(scan, mother,
                                                                     monkeypatch):
    attempts = faulty_rule(monkeypatch, code=CHILDBIRTH, failures=1)
    scan_run = scan()
    assert scan_run.status == ScanRun.Status.DONE
    assert len(attempts) == 2
    assert Award.objects.filter(person=mother, benefit="childbirth_allowance").count() == 1
    assert SmsMessage.objects.filter(person=mother).count() == 1
    assert scan_run.awarded == 1
    chunk = chunk_of(scan_run, CHILDBIRTH)
    assert (chunk.status, chunk.attempts, chunk.awarded) == (ScanChunk.Status.DONE, 2, 1)


def test_a_chunk_that_keeps_failing_fails_its_scan_only_after_three_retries(
        scan, mother, monkeypatch):
    attempts = faulty_rule(monkeypatch, code=CHILDBIRTH, failures=float("inf"))
    with pytest.raises(OperationalError):
        scan()
    # Every retry found the chunk pending and the scan running.
    assert attempts == [(ScanChunk.Status.PENDING, ScanRun.Status.RUNNING)] * 4
    scan_run = ScanRun.objects.get()
    chunk = chunk_of(scan_run, CHILDBIRTH)
    assert (chunk.status, chunk.attempts) == (ScanChunk.Status.FAILED, 4)
    assert "server closed the connection" in chunk.error
    assert scan_run.status == ScanRun.Status.FAILED
    assert f"chunk {chunk.number}, {CHILDBIRTH}" in scan_run.error
    assert not Award.objects.filter(person=mother).exists()


def test_a_fault_retrying_cannot_mend_fails_the_chunk_at_once(scan, mother, monkeypatch):
    attempts = faulty_rule(monkeypatch, code=CHILDBIRTH, failures=1,
                           error=ValueError("a bug in the rule"))
    with pytest.raises(ValueError, match="a bug in the rule"):
        scan()
    assert len(attempts) == 1
    scan_run = ScanRun.objects.get()
    assert chunk_of(scan_run, CHILDBIRTH).status == ScanChunk.Status.FAILED
    assert scan_run.status == ScanRun.Status.FAILED


class _Cause(Exception):
    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


def _integrity_error(pgcode: str) -> IntegrityError:
    error = IntegrityError("violation")
    error.__cause__ = _Cause(pgcode)
    return error


@pytest.mark.parametrize(("error", "transient"), [
    (OperationalError("could not connect to server"), True),
    (OSError("broker connection reset"), True),
    # Two rules racing to award one person's labour pension: the exclusion constraint.
    (_integrity_error("23P01"), True),
    (_integrity_error("40P01"), True),
    (_integrity_error("23505"), False),
    (ValueError("a bug"), False),
])
def test_transient_faults_are_told_from_lasting_ones(error, transient):
    assert is_transient(error) is transient


def test_running_a_done_chunk_again_awards_nothing_and_counts_nothing(scan, mother,
                                                                     make_person):
    scan_run = scan()
    chunk = chunk_of(scan_run, CHILDBIRTH)
    # Someone the chunk would award if it ran again.
    second_mother = make_person(fin="1RSL003")
    make_parent(make_person(fin="1RSL004", birth_date=TODAY - dt.timedelta(days=1)),
                second_mother)

    outcome = services.scan_chunk_run(chunk_id=chunk.pk)

    assert (outcome.ran, outcome.awarded) == (False, 0)
    assert not Award.objects.filter(person=second_mother).exists()
    after = ScanRun.objects.get(pk=scan_run.pk)
    assert (after.chunks_done, after.awarded) == (scan_run.chunks_done, scan_run.awarded)
    assert chunk_of(scan_run, CHILDBIRTH).attempts == chunk.attempts == 1


def test_resuming_a_failed_scan_runs_only_the_chunks_not_done_and_finishes_it(
        scan, mother, monkeypatch, dispatch_at_once, capsys):
    attempts = faulty_rule(monkeypatch, code=CHILDBIRTH, failures=4)
    with pytest.raises(OperationalError):
        scan()
    scan_run = ScanRun.objects.get()
    done_before = dict(scan_run.chunks.filter(status=ScanChunk.Status.DONE)
                       .values_list("pk", "attempts"))
    not_done = set(scan_run.chunks.exclude(status=ScanChunk.Status.DONE)
                   .values_list("pk", flat=True))
    assert done_before
    assert not_done
    real_run = services.scan_chunk_run
    ran = []

    def scan_chunk_run(*, chunk_id):
        ran.append(chunk_id)
        return real_run(chunk_id=chunk_id)

    monkeypatch.setattr(tasks, "scan_chunk_run", scan_chunk_run)

    call_command("proactive_scan", "--resume", str(scan_run.pk), "--json")

    assert set(ran) == not_done
    scan_run.refresh_from_db()
    assert scan_run.status == ScanRun.Status.DONE
    assert scan_run.error == ""
    assert scan_run.chunks_done == scan_run.chunks_total
    assert dict(scan_run.chunks.filter(pk__in=done_before).values_list("pk", "attempts")) \
        == done_before
    assert chunk_of(scan_run, CHILDBIRTH).attempts == 5
    assert len(attempts) == 5
    assert Award.objects.filter(person=mother, benefit="childbirth_allowance").count() == 1
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["scan"], summary["awarded"]) == (scan_run.pk, 1)


def test_a_done_scan_cannot_be_resumed(scan, make_person):
    make_person()
    scan_run = scan()
    with pytest.raises(DomainError) as refusal:
        services.scan_resume(scan_run_id=scan_run.pk)
    assert refusal.value.code == "scan_done"


def test_the_command_refuses_to_resume_a_done_scan(scan, make_person):
    make_person()
    scan_run = scan()
    with translation.override("en"), pytest.raises(CommandError, match="nothing to resume"):
        call_command("proactive_scan", "--resume", str(scan_run.pk))


def test_staff_resume_a_failed_scan_from_its_page(scan, mother, monkeypatch, client, charlie,
                                                  django_capture_on_commit_callbacks):
    faulty_rule(monkeypatch, code=CHILDBIRTH, failures=4)
    with pytest.raises(OperationalError):
        scan()
    scan_run = ScanRun.objects.get()
    client.force_login(charlie)
    page = client.get(reverse("entitlements:scan_detail", args=[scan_run.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("entitlements:scan_resume", args=[scan_run.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("entitlements:scan_resume", args=[scan_run.pk]))

    assert response["Location"] == reverse("entitlements:scan_detail", args=[scan_run.pk])
    scan_run.refresh_from_db()
    assert scan_run.status == ScanRun.Status.DONE
    assert Award.objects.filter(person=mother).count() == 1


def test_citizens_and_agents_cannot_resume_a_scan(scan, mother, monkeypatch, client, alice,
                                                  agent):
    faulty_rule(monkeypatch, code=CHILDBIRTH, failures=4)
    with pytest.raises(OperationalError):
        scan()
    scan_run = ScanRun.objects.get()
    for user in (alice, agent):
        client.force_login(user)
        url = reverse("entitlements:scan_resume", args=[scan_run.pk])
        assert client.post(url).status_code == 403
    assert ScanRun.objects.get().status == ScanRun.Status.FAILED


def test_staff_resume_only_by_post(client, charlie, scan, make_person):
    make_person()
    scan_run = scan()
    client.force_login(charlie)
    assert client.get(reverse("entitlements:scan_resume", args=[scan_run.pk])).status_code \
        == 405
