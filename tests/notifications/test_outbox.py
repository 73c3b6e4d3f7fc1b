from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.notifications.selectors import sms_count_by_status, sms_messages_of_person
from dost.notifications.services import sms_enqueue
from tests.notifications.conftest import AWARD_CONTEXT


def test_enqueue_twice_with_the_same_dedupe_key_queues_one_message(citizen):
    first = sms_enqueue(
        person=citizen, template="award_granted", context=AWARD_CONTEXT, dedupe_key="award:1"
    )
    again = sms_enqueue(
        person=citizen, template="award_granted", context=AWARD_CONTEXT, dedupe_key="award:1"
    )

    assert again == first
    assert SmsMessage.objects.count() == 1


def test_enqueue_copies_phone_and_language_and_applies_defaults(make_person):
    person = make_person(phone="+994551234567", language="ru")

    message = sms_enqueue(person=person, template="test", context={}, dedupe_key="test:1")

    assert (message.phone, message.language) == ("+994551234567", "ru")
    assert (message.status, message.attempts, message.provider_id) == ("queued", 0, "")
    assert message.next_attempt_at is not None


def test_enqueue_for_a_person_without_phone_queues_nothing(bob):
    message = sms_enqueue(person=bob.person, template="test", context={}, dedupe_key="test:1")

    assert message is None
    assert not SmsMessage.objects.exists()


def test_enqueue_of_an_unknown_template_is_refused(citizen):
    with pytest.raises(DomainError):
        sms_enqueue(person=citizen, template="no-such-template", context={}, dedupe_key="x:1")

    assert not SmsMessage.objects.exists()


def test_raw_insert_of_the_six_business_columns_gets_database_defaults(queue_sms, citizen):
    message = queue_sms(citizen)

    assert message.status == SmsMessage.Status.QUEUED
    assert message.attempts == 0
    assert message.next_attempt_at is not None
    assert message.created_at is not None
    assert (message.provider_id, message.last_error) == ("", "")
    assert (message.sent_at, message.delivered_at) == (None, None)
    assert message.context == AWARD_CONTEXT


def test_raw_insert_with_a_repeated_dedupe_key_is_refused(queue_sms, citizen):
    queue_sms(citizen, dedupe_key="award:7")

    with pytest.raises(IntegrityError):
        queue_sms(citizen, dedupe_key="award:7")


def test_database_refuses_an_unknown_status(queue_sms, citizen):
    message = queue_sms(citizen)

    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notifications_smsmessage SET status = 'lost' WHERE id = %s", [message.pk]
        )


def test_masked_phone_shows_only_the_last_four_digits(queue_sms, citizen):
    assert queue_sms(citizen).masked_phone == "*********2233"


def test_messages_of_a_person_are_theirs_only_newest_first(queue_sms, citizen, make_person):
    older = queue_sms(citizen)
    newer = queue_sms(citizen)
    queue_sms(make_person(phone="+994701234567"))

    assert list(sms_messages_of_person(person_id=citizen.pk)) == [newer, older]


def test_count_by_status_counts_each_status(queue_sms, citizen):
    queue_sms(citizen)
    queue_sms(citizen)
    queue_sms(citizen, phone="")
    SmsMessage.objects.filter(phone="").update(status=SmsMessage.Status.FAILED)

    assert sms_count_by_status() == {"queued": 2, "failed": 1}
