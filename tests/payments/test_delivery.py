from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.db.models import F

from dost.payments import tasks
from dost.payments.adapters import BankReply, LocalBankAdapter
from dost.payments.models import BankRequest
from dost.payments.services import bank_requests_deliver_due
from dost.payments.tasks import deliver_bank_requests, schedule_delivery
from dost.registry.models import Person
from dost.registry.validators import validate_iban

HERE = __name__
# What the test banks below were asked, as (method, reference).
BANK_CALLS: list[tuple[str, str]] = []


class CountingBankAdapter(LocalBankAdapter):
    def open_account(self, request: BankRequest) -> BankReply:
        BANK_CALLS.append(("open_account", request.reference))
        return super().open_account(request)

    def send_payment(self, request_or_payment) -> BankReply:
        BANK_CALLS.append(("send_payment", request_or_payment.reference))
        return super().send_payment(request_or_payment)


class FailingBankAdapter(CountingBankAdapter):
    def open_account(self, request: BankRequest) -> BankReply:
        super().open_account(request)
        raise TimeoutError("the bank did not answer")


class RefusingBankAdapter(CountingBankAdapter):
    def open_account(self, request: BankRequest) -> BankReply:
        super().open_account(request)
        return BankReply(accepted=False, bank_reference="R-1", reason="Passport has expired.")


class MalformedIbanBankAdapter(LocalBankAdapter):
    def open_account(self, request: BankRequest) -> BankReply:
        return BankReply(accepted=True, bank_reference="B-1", iban="AZ00NOTANIBAN")


class LaterIbanBankAdapter(LocalBankAdapter):
    def open_account(self, request: BankRequest) -> BankReply:
        return BankReply(accepted=True, bank_reference="B-2")


@pytest.fixture(autouse=True)
def counting_bank(settings):
    BANK_CALLS.clear()
    settings.BANK_ADAPTER = f"{HERE}.CountingBankAdapter"


def _use_bank(settings, name: str) -> None:
    settings.BANK_ADAPTER = f"{HERE}.{name}"


def _make_due_again() -> None:
    """Let the retry delay pass."""
    BankRequest.objects.update(next_attempt_at=F("next_attempt_at") - dt.timedelta(days=1))


def test_opening_an_account_stores_the_iban_on_the_request_and_the_person(
    queue_bank_request, person
):
    request = queue_bank_request(person, kind="open_account")

    assert bank_requests_deliver_due() == 1

    request.refresh_from_db()
    person.refresh_from_db()
    assert request.status == BankRequest.Status.DONE
    assert request.bank_reference.startswith("LOCAL-")
    assert request.updated_at is not None
    assert person.bank_account == request.iban
    validate_iban(person.bank_account)
    assert person.bank_account_source_id == "bank"


def test_payment_is_sent_to_the_bank_and_marked_done(queue_bank_request, person):
    request = queue_bank_request(person, kind="payment", amount="300",
                                 iban="AZ21NABZ00000000137010001944")

    bank_requests_deliver_due()

    request.refresh_from_db()
    assert request.status == BankRequest.Status.DONE
    assert request.attempts == 1
    assert [("send_payment", request.reference)] == BANK_CALLS


def test_delivering_twice_sends_each_request_once(queue_bank_request, person):
    queue_bank_request(person, kind="open_account")
    queue_bank_request(person, kind="payment", amount="300")

    bank_requests_deliver_due()
    second_run = bank_requests_deliver_due()

    assert second_run == 0
    assert len(BANK_CALLS) == 2


def test_delivery_handles_at_most_the_limit(queue_bank_request, make_person):
    for _number in range(3):
        queue_bank_request(make_person())

    assert bank_requests_deliver_due(limit=2) == 2
    assert BankRequest.objects.filter(status=BankRequest.Status.QUEUED).count() == 1


def test_bank_failure_is_retried_after_a_minute_and_not_before(
    settings, queue_bank_request, person
):
    _use_bank(settings, "FailingBankAdapter")
    request = queue_bank_request(person)

    bank_requests_deliver_due()
    retried_at_once = bank_requests_deliver_due()

    request.refresh_from_db()
    assert request.status == BankRequest.Status.QUEUED
    assert request.attempts == 1
    assert request.next_attempt_at - request.updated_at == dt.timedelta(minutes=1)
    assert "the bank did not answer" in request.last_error
    assert retried_at_once == 0
    assert len(BANK_CALLS) == 1


def test_retries_back_off_exponentially_and_the_request_fails_after_five_attempts(
    settings, queue_bank_request, person
):
    _use_bank(settings, "FailingBankAdapter")
    request = queue_bank_request(person)
    delays = []

    for _attempt in range(5):
        bank_requests_deliver_due()
        request.refresh_from_db()
        delays.append(request.next_attempt_at - request.updated_at)
        _make_due_again()
    bank_requests_deliver_due()

    request.refresh_from_db()
    assert [delay / dt.timedelta(minutes=1) for delay in delays[:4]] == [1, 2, 4, 8]
    assert request.status == BankRequest.Status.FAILED
    assert request.attempts == 5
    assert len(BANK_CALLS) == 5
    assert BankRequest.objects.filter(pk=request.pk).exists()


def test_bank_refusal_marks_the_request_rejected_with_the_reason(
    settings, queue_bank_request, person
):
    _use_bank(settings, "RefusingBankAdapter")
    request = queue_bank_request(person)

    bank_requests_deliver_due()
    _make_due_again()
    bank_requests_deliver_due()

    request.refresh_from_db()
    person.refresh_from_db()
    assert request.status == BankRequest.Status.REJECTED
    assert request.last_error == "Passport has expired."
    assert person.bank_account == ""
    assert len(BANK_CALLS) == 1


def test_malformed_iban_from_the_bank_is_never_put_on_the_person(
    settings, queue_bank_request, person
):
    _use_bank(settings, "MalformedIbanBankAdapter")
    request = queue_bank_request(person)

    bank_requests_deliver_due()

    request.refresh_from_db()
    person.refresh_from_db()
    assert request.status == BankRequest.Status.QUEUED
    assert "invalid IBAN" in request.last_error
    assert person.bank_account == ""


def test_account_accepted_without_an_iban_waits_as_sent(settings, queue_bank_request, person):
    _use_bank(settings, "LaterIbanBankAdapter")
    request = queue_bank_request(person)

    bank_requests_deliver_due()

    request.refresh_from_db()
    assert request.status == BankRequest.Status.SENT
    assert request.bank_reference == "B-2"


def test_payment_queued_with_an_account_opening_is_paid_into_the_new_account(
    queue_bank_request, person
):
    queue_bank_request(person, kind="open_account")
    payment = queue_bank_request(person, kind="payment", amount="300")

    bank_requests_deliver_due()

    payment.refresh_from_db()
    assert payment.status == BankRequest.Status.DONE
    assert payment.iban == Person.objects.get(pk=person.pk).bank_account != ""


def test_payment_to_a_person_without_an_account_waits_without_asking_the_bank(
    queue_bank_request, person
):
    payment = queue_bank_request(person, kind="payment", amount="300")

    bank_requests_deliver_due()

    payment.refresh_from_db()
    assert payment.status == BankRequest.Status.QUEUED
    assert payment.attempts == 1
    assert BANK_CALLS == []


def test_task_delivers_every_due_request_in_batches(monkeypatch, queue_bank_request, make_person):
    monkeypatch.setattr(tasks, "DELIVERY_BATCH_SIZE", 2)
    for _number in range(5):
        queue_bank_request(make_person())

    assert deliver_bank_requests.delay().get() == 5
    assert not BankRequest.objects.filter(status=BankRequest.Status.QUEUED).exists()


def test_delivery_is_scheduled_for_after_the_commit(
    django_capture_on_commit_callbacks, queue_bank_request, person
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = queue_bank_request(person)
        schedule_delivery()
        assert BANK_CALLS == []

    request.refresh_from_db()
    assert len(callbacks) == 1
    assert request.status == BankRequest.Status.DONE


# Another worker's lock is only visible to a second connection on committed rows;
# restoring the reference data afterwards keeps the flush from emptying it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_request_claimed_by_another_worker_is_skipped(queue_bank_request, person):
    request = queue_bank_request(person)
    claimed = threading.Event()
    release = threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                BankRequest.objects.select_for_update().get(pk=request.pk)
                claimed.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert claimed.wait(timeout=10)
        handled = bank_requests_deliver_due()
    finally:
        release.set()
        worker.join()

    assert handled == 0
    assert BANK_CALLS == []
