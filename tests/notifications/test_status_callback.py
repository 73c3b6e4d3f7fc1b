from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from dost.notifications.models import SmsMessage
from dost.notifications.services import sms_deliver_due
from tests.notifications.conftest import TWILIO_TOKEN

Status = SmsMessage.Status
CALLBACK = reverse("notifications:twilio-status")
CALLBACK_URL = f"http://testserver{CALLBACK}"


def _report(client, params: dict[str, str], *, signature: str | None = "sign"):
    """Post a delivery report as Twilio does; "sign" signs it with the test token."""
    if signature == "sign":
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(CALLBACK_URL, params)
    headers = {} if signature is None else {"HTTP_X_TWILIO_SIGNATURE": signature}
    return client.post(
        CALLBACK, urlencode(params), content_type="application/x-www-form-urlencoded", **headers
    )


@pytest.fixture
def sent_message(queue_sms, citizen, twilio_client) -> SmsMessage:
    message = queue_sms(citizen)
    sms_deliver_due()
    message.refresh_from_db()
    assert message.status == Status.SENT
    return message


def _delivered(message: SmsMessage) -> dict[str, str]:
    return {
        "MessageSid": message.provider_id,
        "MessageStatus": "delivered",
        "AccountSid": "AC" + "0" * 32,
    }


def test_signed_delivered_report_marks_the_message_delivered(client, sent_message):
    response = _report(client, _delivered(sent_message))

    assert response.status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.DELIVERED
    assert sent_message.delivered_at is not None


@pytest.mark.parametrize("provider_status", ["undelivered", "failed"])
def test_signed_failure_report_records_the_status_and_error_code(
    client, sent_message, provider_status
):
    params = {
        "MessageSid": sent_message.provider_id,
        "MessageStatus": provider_status,
        "ErrorCode": "30003",
    }

    assert _report(client, params).status_code == 200

    sent_message.refresh_from_db()
    assert sent_message.status == provider_status
    assert "30003" in sent_message.last_error


def test_report_with_a_bad_signature_is_refused_and_changes_nothing(client, sent_message):
    response = _report(client, _delivered(sent_message), signature="bm90IGEgc2lnbmF0dXJl")

    assert response.status_code == 403
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_report_signed_with_another_token_is_refused(client, sent_message):
    params = _delivered(sent_message)
    forged = RequestValidator("someone-elses-token").compute_signature(CALLBACK_URL, params)

    assert _report(client, params, signature=forged).status_code == 403
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_report_without_a_signature_is_refused_and_changes_nothing(client, sent_message):
    response = _report(client, _delivered(sent_message), signature=None)

    assert response.status_code == 403
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_reports_are_refused_when_no_auth_token_is_configured(client, sent_message, settings):
    params = _delivered(sent_message)
    # Signed with the empty key an attacker would also know.
    signature = RequestValidator("").compute_signature(CALLBACK_URL, params)
    settings.TWILIO_AUTH_TOKEN = ""

    assert _report(client, params, signature=signature).status_code == 403
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_report_on_an_unknown_message_is_accepted_and_changes_nothing(client, sent_message):
    params = {"MessageSid": "SM" + "9" * 32, "MessageStatus": "delivered"}

    assert _report(client, params).status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


def test_report_without_a_message_sid_changes_no_unsent_message(
    client, sent_message, queue_sms, citizen
):
    queued = queue_sms(citizen)

    assert _report(client, {"MessageStatus": "delivered"}).status_code == 200

    queued.refresh_from_db()
    assert queued.status == Status.QUEUED


def test_intermediate_report_is_ignored(client, sent_message):
    params = {"MessageSid": sent_message.provider_id, "MessageStatus": "sending"}

    assert _report(client, params).status_code == 200
    sent_message.refresh_from_db()
    assert sent_message.status == Status.SENT


@pytest.mark.parametrize("late_status", ["sent", "undelivered"])
def test_late_report_never_undoes_a_delivery(client, sent_message, late_status):
    _report(client, _delivered(sent_message))

    _report(client, {"MessageSid": sent_message.provider_id, "MessageStatus": late_status})

    sent_message.refresh_from_db()
    assert sent_message.status == Status.DELIVERED


def test_get_is_not_allowed(client, twilio_settings):
    assert client.get(CALLBACK).status_code == 405
