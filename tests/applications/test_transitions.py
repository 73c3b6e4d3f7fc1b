from __future__ import annotations

import pytest

from dost.applications.models import ApplicationEvent
from dost.applications.services import (
    application_message_post,
    application_status_change,
    application_withdraw,
)
from dost.applications.statuses import Status
from dost.audit.models import AccessRecord, DecisionEntry
from dost.audit.verification import decision_log_verify
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from tests.applications.conftest import apply_for_recalculation


@pytest.fixture
def application(alice):
    return apply_for_recalculation(alice)


def _statuses(application) -> list[str]:
    return list(application.events.order_by("id").values_list("status_to", flat=True))


def test_staff_move_an_application_along_allowed_steps(application, charlie):
    application_status_change(application=application, status=Status.IN_REVIEW, actor=charlie)
    application_status_change(application=application, status=Status.APPROVED, actor=charlie)
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert _statuses(application) == [Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED]


def test_a_decided_application_cannot_be_reopened(application, charlie):
    application_status_change(application=application, status=Status.APPROVED, actor=charlie)
    with pytest.raises(DomainError) as refused:
        application_status_change(application=application, status=Status.IN_REVIEW,
                                  actor=charlie)
    assert refused.value.code == "transition_forbidden"
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_an_unknown_status_is_refused(application, charlie):
    with pytest.raises(DomainError):
        application_status_change(application=application, status="lost", actor=charlie)
    assert _statuses(application) == [Status.SUBMITTED]


def test_a_refusal_needs_a_note_for_the_citizen(application, charlie):
    with pytest.raises(DomainError) as refused:
        application_status_change(application=application, status=Status.REJECTED,
                                  actor=charlie)
    assert refused.value.code == "note_required"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_citizen_cannot_decide_on_an_application(application, alice):
    with pytest.raises(DomainError):
        application_status_change(application=application, status=Status.APPROVED, actor=alice)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_staff_decision_writes_an_access_record_and_tells_the_citizen(application, charlie):
    application_status_change(application=application, status=Status.APPROVED, actor=charlie,
                              note="Recalculated.")
    record = AccessRecord.objects.get()
    assert (record.person_id, record.actor) == (application.person_id, charlie)
    assert application.reference in record.reason
    sms = SmsMessage.objects.get()
    assert sms.template == "application_status"
    assert sms.context["status"] == Status.APPROVED


def test_answering_a_request_for_information_puts_the_application_back_in_review(
        application, alice, charlie):
    application_status_change(application=application, status=Status.NEEDS_INFORMATION,
                              actor=charlie, note="Which years are missing?")
    application_message_post(application=application, author=alice, body="1998 to 2003.")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert _statuses(application)[-1] == Status.IN_REVIEW


def test_applicant_withdraws_an_open_application(application, alice):
    application_withdraw(application=application, user=alice, note="Not needed any more.")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    event = application.events.order_by("id").last()
    assert (event.actor, event.note) == (alice, "Not needed any more.")


def test_a_withdrawn_application_cannot_be_withdrawn_again(application, alice):
    application_withdraw(application=application, user=alice)
    with pytest.raises(DomainError):
        application_withdraw(application=application, user=alice)
    assert ApplicationEvent.objects.filter(status_to=Status.WITHDRAWN).count() == 1


def test_a_decided_application_cannot_be_withdrawn(application, alice, charlie):
    application_status_change(application=application, status=Status.APPROVED, actor=charlie)
    with pytest.raises(DomainError):
        application_withdraw(application=application, user=alice)


def test_only_the_applicant_can_withdraw(application, bob):
    with pytest.raises(DomainError):
        application_withdraw(application=application, user=bob)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_an_empty_message_is_refused(application, alice):
    with pytest.raises(DomainError):
        application_message_post(application=application, author=alice, body="   ")
    assert not application.messages.exists()


def test_another_citizen_cannot_write_on_the_application(application, bob):
    with pytest.raises(DomainError):
        application_message_post(application=application, author=bob, body="Hello")
    assert not application.messages.exists()


def test_a_staff_message_is_announced_by_sms(application, charlie):
    application_message_post(application=application, author=charlie, body="We are on it.")
    assert SmsMessage.objects.get().template == "application_message"


def test_a_staff_decision_is_appended_to_the_decision_log(application, charlie):
    application_status_change(application=application, status=Status.IN_REVIEW, actor=charlie)
    assert not DecisionEntry.objects.exists()
    application_status_change(application=application, status=Status.REJECTED, actor=charlie,
                              note="Your wages were checked with the employer.")
    entry = DecisionEntry.objects.get()
    assert (entry.kind, entry.subject, entry.decided_by, entry.person_id) == (
        "application", application.reference, f"official:{charlie.pk}", application.person_id)
    assert entry.details["status"] == Status.REJECTED
    assert entry.details["reason"] == "Your wages were checked with the employer."
    assert decision_log_verify().intact


def test_a_withdrawal_is_not_a_decision(application, alice):
    application_withdraw(application=application, user=alice)
    assert not DecisionEntry.objects.exists()
