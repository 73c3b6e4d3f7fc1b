from __future__ import annotations

from dost.notifications import tasks
from dost.notifications.models import SmsMessage
from dost.notifications.tasks import deliver_sms_outbox, schedule_delivery


def test_scheduled_delivery_sends_once_the_transaction_commits(
    queue_sms, citizen, django_capture_on_commit_callbacks
):
    message = queue_sms(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_delivery()
        message.refresh_from_db()
        assert message.status == SmsMessage.Status.QUEUED

    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT


def test_task_delivers_a_backlog_larger_than_one_batch(queue_sms, citizen, monkeypatch):
    monkeypatch.setattr(tasks, "DELIVERY_BATCH", 2)
    for _number in range(5):
        queue_sms(citizen)

    assert deliver_sms_outbox() == 5

    assert not SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).exists()


def test_task_stops_after_its_maximum_number_of_batches(queue_sms, citizen, monkeypatch):
    monkeypatch.setattr(tasks, "DELIVERY_BATCH", 2)
    monkeypatch.setattr(tasks, "MAX_BATCHES", 2)
    for _number in range(5):
        queue_sms(citizen)

    assert deliver_sms_outbox() == 4

    assert SmsMessage.objects.filter(status=SmsMessage.Status.QUEUED).count() == 1
