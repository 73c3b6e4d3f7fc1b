from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from twilio.base.exceptions import TwilioRestException

from dost.notifications.models import SmsMessage
from dost.notifications.services import SMS_MAX_ATTEMPTS, sms_deliver_due, sms_retry_delay
from dost.notifications.templates import register_template
from tests.notifications.conftest import PUBLIC_BASE_URL

Status = SmsMessage.Status


def _make_due_again() -> None:
    """Let the retry delay pass."""
    SmsMessage.objects.update(next_attempt_at=F("next_attempt_at") - dt.timedelta(days=1))


def _fail_sends(twilio_client) -> None:
    twilio_client.return_value.messages.create.side_effect = TwilioRestException(
        500, "https://api.twilio.com/2010-04-01/Accounts/AC/Messages.json", "boom"
    )


def _create_calls(twilio_client) -> list:
    return twilio_client.return_value.messages.create.call_args_list


def test_database_backend_marks_a_due_message_sent(queue_sms, citizen):
    message = queue_sms(citizen)

    assert sms_deliver_due() == 1

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_id == f"database-{message.pk}"
    assert message.sent_at is not None


def test_console_backend_logs_the_text_with_a_masked_phone(queue_sms, citizen, settings, caplog):
    settings.SMS_BACKEND = "console"
    message = queue_sms(citizen, template="test")

    with caplog.at_level(logging.INFO, logger="dost.sms"):
        sms_deliver_due()

    message.refresh_from_db()
    assert message.provider_id == f"console-{message.pk}"
    assert "*********2233" in caplog.text
    assert "+994501112233" not in caplog.text
    assert "DOST" in caplog.text


def test_twilio_success_stores_the_sid(queue_sms, citizen, twilio_client):
    message = queue_sms(citizen)

    sms_deliver_due()

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_id == "SM" + "0" * 31 + "1"
    assert message.sent_at is not None
    twilio_client.assert_called_once()
    assert twilio_client.call_args.args == ("AC" + "0" * 32, "test-auth-token")


def test_twilio_is_asked_to_send_the_rendered_text_to_the_messages_phone(
    queue_sms, citizen, twilio_client
):
    queue_sms(citizen, template="test")

    sms_deliver_due()

    (call,) = _create_calls(twilio_client)
    assert call.kwargs["to"] == "+994501112233"
    assert call.kwargs["from_"] == "+15005550006"
    assert call.kwargs["body"].startswith("DOST")


def test_twilio_reports_to_the_public_callback_url(queue_sms, citizen, twilio_client):
    queue_sms(citizen)

    sms_deliver_due()

    (call,) = _create_calls(twilio_client)
    assert call.kwargs["status_callback"] == (
        f"{PUBLIC_BASE_URL}/api/v1/notifications/twilio/status/"
    )


def test_without_a_public_base_url_no_report_is_requested(
    queue_sms, citizen, twilio_client, settings
):
    settings.PUBLIC_BASE_URL = ""
    queue_sms(citizen)

    sms_deliver_due()

    (call,) = _create_calls(twilio_client)
    assert "status_callback" not in call.kwargs


def test_text_is_rendered_in_the_recipients_language_when_sent(
    queue_sms, make_person, twilio_client, template_registry
):
    register_template("probe", lambda context: translation.get_language())
    queue_sms(make_person(phone="+994551234567", language="ru"), template="probe")

    sms_deliver_due()

    (call,) = _create_calls(twilio_client)
    assert call.kwargs["body"] == "ru"


def test_twilio_error_keeps_the_message_queued_for_a_later_retry(queue_sms, citizen, twilio_client):
    message = queue_sms(citizen)
    _fail_sends(twilio_client)

    sms_deliver_due()

    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at > timezone.now()
    assert "boom" in message.last_error


def test_failed_message_is_not_retried_before_its_delay(queue_sms, citizen, twilio_client):
    queue_sms(citizen)
    _fail_sends(twilio_client)
    sms_deliver_due()

    assert sms_deliver_due() == 0
    assert len(_create_calls(twilio_client)) == 1


def test_twilio_error_is_retried_then_marked_failed(queue_sms, citizen, twilio_client):
    message = queue_sms(citizen)
    _fail_sends(twilio_client)

    for _attempt in range(SMS_MAX_ATTEMPTS + 2):
        sms_deliver_due()
        _make_due_again()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == SMS_MAX_ATTEMPTS
    assert len(_create_calls(twilio_client)) == SMS_MAX_ATTEMPTS


def test_message_succeeds_on_a_retry_after_a_failure(queue_sms, citizen, twilio_client):
    message = queue_sms(citizen)
    create = twilio_client.return_value.messages.create
    accept = create.side_effect
    _fail_sends(twilio_client)
    sms_deliver_due()
    _make_due_again()
    create.side_effect = accept

    sms_deliver_due()

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1


def test_retry_delay_doubles_from_a_minute_up_to_an_hour():
    delays = [sms_retry_delay(attempts) for attempts in range(1, 9)]

    assert [delay.total_seconds() / 60 for delay in delays] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_message_is_never_sent_twice_when_delivery_runs_twice(queue_sms, citizen, twilio_client):
    queue_sms(citizen)

    assert sms_deliver_due() == 1
    assert sms_deliver_due() == 0

    assert len(_create_calls(twilio_client)) == 1


def test_message_without_phone_is_failed_without_calling_the_provider(
    queue_sms, citizen, twilio_client
):
    message = queue_sms(citizen, phone="")

    sms_deliver_due()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.last_error == "no phone number"
    assert _create_calls(twilio_client) == []


def test_delivery_sends_no_more_than_its_limit(queue_sms, citizen):
    for _number in range(3):
        queue_sms(citizen)

    assert sms_deliver_due(limit=2) == 2

    assert SmsMessage.objects.filter(status=Status.QUEUED).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_message_claimed_by_another_worker_is_skipped(queue_sms, citizen, twilio_client):
    message = queue_sms(citizen)
    claimed = threading.Event()
    release = threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                SmsMessage.objects.select_for_update().get(pk=message.pk)
                claimed.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert claimed.wait(timeout=10)
        attempted = sms_deliver_due()
    finally:
        release.set()
        worker.join()

    assert attempted == 0
    assert _create_calls(twilio_client) == []


def test_twilio_backend_without_credentials_refuses_to_send(queue_sms, citizen, twilio_settings):
    twilio_settings.TWILIO_AUTH_TOKEN = ""
    message = queue_sms(citizen)

    with pytest.raises(ImproperlyConfigured):
        sms_deliver_due()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 0)


def test_unknown_backend_is_refused(settings, db):
    settings.SMS_BACKEND = "carrier-pigeon"

    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        sms_deliver_due()
