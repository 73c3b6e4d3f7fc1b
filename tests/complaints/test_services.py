from __future__ import annotations

import datetime as dt
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest

from dost.audit.models import AccessRecord, DecisionEntry, Subject
from dost.complaints.models import Category, Channel, Complaint, ComplaintStep, Level, Status
from dost.complaints.services import (
    complaint_answer,
    complaint_open,
    complaint_reject,
    complaint_take,
    complaints_escalate,
)
from dost.errors import DomainError
from dost.notifications.models import SmsMessage

BAKU = ZoneInfo("Asia/Baku")


def _open(person, category, **options):
    return complaint_open(person=person, category=category,
                          text=options.pop("text", "The centre kept me waiting for hours."),
                          channel=options.pop("channel", Channel.PORTAL), **options)


def _received_before_novruz(person) -> Complaint:
    """Received on Thursday 19 March 2026: 5 working days after the Novruz holidays."""
    moment = dt.datetime(2026, 3, 19, 10, 0, tzinfo=BAKU)
    with patch("django.utils.timezone.now", return_value=moment):
        return _open(person, Category.objects.get(code="centre_visit"))


def test_a_complaint_is_due_after_its_working_days_over_the_holidays(alice):
    complaint = _received_before_novruz(alice.person)
    # 31 March, 1, 2, 3 and (after a weekend) 6 April.
    assert complaint.due_on == dt.date(2026, 4, 6)
    assert complaint.manager_due_on == dt.date(2026, 4, 9)
    assert complaint.reference == f"C-2026-{complaint.pk:07d}"
    assert complaint.unit_id == "service"


def test_opening_writes_a_step_and_an_sms(alice, quality):
    complaint = _open(alice.person, quality)
    assert list(complaint.steps.values_list("kind", flat=True)) == ["received"]
    message = SmsMessage.objects.get(dedupe_key=f"complaint:{complaint.pk}:received")
    assert message.template == "complaint_received"
    assert message.context["due_on"] == complaint.due_on.isoformat()


def test_not_escalated_on_the_due_day(alice):
    complaint = _received_before_novruz(alice.person)
    assert complaints_escalate(on=dt.date(2026, 4, 6)) == {"head": 0, "manager": 0, "sms": 0}
    complaint.refresh_from_db()
    assert complaint.escalation_level == Level.UNIT


def test_escalated_to_the_head_the_day_after(alice):
    complaint = _received_before_novruz(alice.person)
    assert complaints_escalate(on=dt.date(2026, 4, 7))["head"] == 1
    complaint.refresh_from_db()
    assert complaint.escalation_level == Level.HEAD
    assert complaint.escalated_at is not None
    step = complaint.steps.get(kind="escalated")
    assert step.escalation_level == Level.HEAD
    sms = SmsMessage.objects.get(dedupe_key=f"complaint:{complaint.pk}:escalated:1")
    assert sms.template == "complaint_escalated"


def test_goes_to_the_manager_only_after_the_grace_days(alice):
    complaint = _received_before_novruz(alice.person)
    complaints_escalate(on=dt.date(2026, 4, 7))
    assert complaints_escalate(on=dt.date(2026, 4, 9))["manager"] == 0
    assert complaints_escalate(on=dt.date(2026, 4, 10))["manager"] == 1
    complaint.refresh_from_db()
    assert complaint.escalation_level == Level.MANAGER
    assert SmsMessage.objects.filter(dedupe_key__startswith=f"complaint:{complaint.pk}:escalated"
                                     ).count() == 2


def test_escalation_run_twice_changes_nothing_more(alice):
    _received_before_novruz(alice.person)
    complaints_escalate(on=dt.date(2026, 4, 7))
    counts = (ComplaintStep.objects.count(), SmsMessage.objects.count())
    assert complaints_escalate(on=dt.date(2026, 4, 7)) == {"head": 0, "manager": 0, "sms": 0}
    assert (ComplaintStep.objects.count(), SmsMessage.objects.count()) == counts


def test_an_answered_complaint_is_never_escalated(alice, officer):
    complaint = _received_before_novruz(alice.person)
    complaint.unit.members.create(user=officer)
    complaint_answer(complaint=complaint, actor=officer, answer="We apologise.")
    assert complaints_escalate(on=dt.date(2026, 5, 1))["head"] == 0


def test_escalation_of_many_takes_the_same_queries(alice, bob, quality,
                                                   django_assert_num_queries):
    for person in (alice.person, bob.person, alice.person):
        _open(person, quality)
    # Two statements (one per level) and the savepoint pair around them.
    with django_assert_num_queries(4):
        complaints_escalate(on=dt.date.today() + dt.timedelta(days=60))
    assert Complaint.objects.filter(escalation_level=Level.MANAGER).count() == 3


def test_an_appeal_must_name_a_decision(alice, appeal):
    with pytest.raises(DomainError) as refusal:
        _open(alice.person, appeal)
    assert refusal.value.code == "decision_required"
    assert not Complaint.objects.exists()


def test_an_appeal_against_another_persons_decision_is_refused(alice, bob, appeal,
                                                               decision_about):
    entry = decision_about(bob.person)
    with pytest.raises(DomainError) as refusal:
        _open(alice.person, appeal, decision_entry_id=entry.pk)
    assert refusal.value.code == "decision_of_another"
    assert not Complaint.objects.exists()
    assert not SmsMessage.objects.exists()


def test_an_appeal_names_the_persons_own_decision(alice, appeal, decision_about):
    entry = decision_about(alice.person)
    complaint = _open(alice.person, appeal, decision_entry_id=entry.pk)
    assert complaint.decision_entry_id == entry.pk
    assert complaint.unit_id == "decisions"


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001])
def test_bad_text_is_refused(alice, quality, text):
    with pytest.raises(DomainError):
        _open(alice.person, quality, text=text)
    assert not Complaint.objects.exists()


def test_a_citizen_cannot_be_the_official_taking_a_complaint(alice, bob, quality):
    with pytest.raises(DomainError):
        _open(alice.person, quality, channel=Channel.CENTRE, opened_by=bob)
    with pytest.raises(DomainError):
        _open(alice.person, quality, channel=Channel.PHONE)
    assert not Complaint.objects.exists()


def test_an_agent_takes_one_by_phone_for_the_citizen(alice, agent, quality):
    complaint = _open(alice.person, quality, channel=Channel.PHONE, opened_by=agent)
    assert complaint.opened_by == agent
    assert complaint.steps.get().actor == agent
    record = AccessRecord.objects.get(person=alice.person)
    assert (record.actor, record.what) == (agent, Subject.COMPLAINTS)


def test_take_answer_each_tell_the_citizen_and_log_the_decision(alice, officer, appeal,
                                                                 decision_about):
    complaint = _open(alice.person, appeal, decision_entry_id=decision_about(alice.person).pk)
    complaint_take(complaint=complaint, actor=officer)
    complaint_answer(complaint=complaint, actor=officer, answer="The amount was right.")
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert list(complaint.steps.order_by("at", "id").values_list("kind", flat=True)) == [
        "received", "in_progress", "answered"]
    assert set(SmsMessage.objects.filter(person=alice.person, template__startswith="complaint")
               .values_list("dedupe_key", flat=True)) == {
        f"complaint:{complaint.pk}:received", f"complaint:{complaint.pk}:in_progress",
        f"complaint:{complaint.pk}:answered"}
    entry = DecisionEntry.objects.get(kind="complaint")
    assert (entry.person_id, entry.subject) == (alice.person.pk, complaint.reference)
    assert entry.details["contested"] == complaint.decision_entry_id


def test_a_reject_needs_a_reason_and_changes_nothing_without(alice, officer, quality):
    complaint = _open(alice.person, quality)
    with pytest.raises(DomainError):
        complaint_reject(complaint=complaint, actor=officer, reason=" ")
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert not DecisionEntry.objects.filter(kind="complaint").exists()


def test_staff_of_another_unit_cannot_answer(alice, outsider, appeal, decision_about):
    complaint = _open(alice.person, appeal, decision_entry_id=decision_about(alice.person).pk)
    with pytest.raises(DomainError) as refusal:
        complaint_answer(complaint=complaint, actor=outsider, answer="Not ours.")
    assert refusal.value.code == "not_of_unit"
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_head_and_the_manager_may_answer(alice, unit, appeal, decision_about):
    for actor in (unit.head, unit.manager):
        complaint = _open(alice.person, appeal,
                          decision_entry_id=decision_about(alice.person).pk)
        complaint_answer(complaint=complaint, actor=actor, answer="Reviewed.")
        assert complaint.status == Status.ANSWERED


def test_a_closed_complaint_cannot_be_answered_again(alice, officer, appeal, decision_about):
    complaint = _open(alice.person, appeal, decision_entry_id=decision_about(alice.person).pk)
    complaint_answer(complaint=complaint, actor=officer, answer="Done.")
    with pytest.raises(DomainError):
        complaint_reject(complaint=complaint, actor=officer, reason="Again.")
    assert DecisionEntry.objects.filter(kind="complaint").count() == 1
