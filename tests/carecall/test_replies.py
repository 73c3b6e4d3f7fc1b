"""Replies: only one digit from 1 to 5, to the latest request to the number within a week,
scores it, once; anything else changes nothing but the reply log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dost.carecall.models import FollowUp, RatingReply, RatingRequest
from dost.carecall.services import (
    normalised_phone,
    parse_score,
    rating_reply_receive,
    rating_request_for_call,
)
from dost.errors import DomainError

PHONE = "+994501112233"


def _state() -> list[tuple]:
    """Everything a reply could change, but the reply log."""
    return [*RatingRequest.objects.order_by("pk").values_list("pk", "score", "answered_at"),
            *FollowUp.objects.order_by("pk").values_list("pk", "status")]


@pytest.mark.parametrize(("body", "score"), [
    ("5", 5), ("1", 1), (" 4 ", 4), ("\n3\t", 3), ("\u00a02\u00a0", 2),
    ("٤", 4),  # Arabic-Indic four
    ("۳", 3),  # Extended Arabic-Indic (Persian) three
    ("５", 5),  # fullwidth five
])
def test_one_digit_from_1_to_5_is_a_score(body, score):
    assert parse_score(body) == score


@pytest.mark.parametrize("body", [
    "", " ", "0", "6", "9", "10", "12", "45", "4 5", "5.", "+5", "-1", "five", "beş", "5/5",
    "²", "½", "Ⅴ", "x", "4,5",
])
def test_anything_else_is_not_a_score(body):
    assert parse_score(body) is None


@pytest.mark.parametrize(("sent", "number"), [
    ("+994501112233", "+994501112233"), ("994501112233", "+994501112233"),
    ("00994501112233", "+994501112233"), ("+994 50 111-22-33", "+994501112233"),
])
def test_a_sender_is_read_as_the_registry_writes_numbers(sent, number):
    assert normalised_phone(sent) == number


def test_a_digit_answering_the_latest_request_is_recorded(citizen, rated_call):
    request = rated_call(citizen)
    result = rating_reply_receive(sid="SM1", from_number=PHONE, body=" 4 ")
    assert result.outcome == "accepted"
    request.refresh_from_db()
    assert request.score == 4
    assert request.answered_at is not None
    reply = RatingReply.objects.get(sid="SM1")
    assert (reply.outcome, reply.request, reply.body, reply.from_number, reply.repeats) == (
        "accepted", request, " 4 ", PHONE, 0)
    # A good score needs no follow-up.
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("score", ["1", "2"])
def test_a_low_score_opens_one_follow_up(citizen, rated_call, score):
    request = rated_call(citizen)
    result = rating_reply_receive(sid="SM1", from_number=PHONE, body=score)
    follow_up = FollowUp.objects.get()
    assert result.follow_up == follow_up
    assert (follow_up.request, follow_up.person, follow_up.status, follow_up.taken_by) == (
        request, citizen, "open", None)


def test_a_score_of_3_opens_no_follow_up(citizen, rated_call):
    rated_call(citizen)
    rating_reply_receive(sid="SM1", from_number=PHONE, body="3")
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("body", ["6", "0", "12", "five", "", "5.", "Thanks, 5!", "x" * 2000])
def test_a_malformed_reply_changes_nothing_and_is_logged(citizen, rated_call, body):
    request = rated_call(citizen)
    before = _state()
    result = rating_reply_receive(sid="SM1", from_number=PHONE, body=body)
    assert result.outcome == "malformed"
    assert _state() == before
    reply = RatingReply.objects.get(sid="SM1")
    assert (reply.outcome, reply.request) == ("malformed", request)
    assert reply.body == body[:1600]
    # The request is still open for a proper answer.
    assert rating_reply_receive(sid="SM2", from_number=PHONE, body="5").outcome == "accepted"


def test_a_reply_from_a_number_never_asked_changes_nothing_and_is_logged(citizen, rated_call):
    rated_call(citizen)
    before = _state()
    result = rating_reply_receive(sid="SM1", from_number="+994559998877", body="5")
    assert result.outcome == "unknown"
    assert _state() == before
    reply = RatingReply.objects.get(sid="SM1")
    assert (reply.outcome, reply.request, reply.from_number) == ("unknown", None, "+994559998877")


def test_a_reply_to_a_request_older_than_a_week_is_unknown(citizen, agent):
    rating_request_for_call(person=citizen, agent_id=agent.pk, call_note_id=1,
                            now=timezone.now() - dt.timedelta(days=7, minutes=1))
    before = _state()
    assert rating_reply_receive(sid="SM1", from_number=PHONE, body="5").outcome == "unknown"
    assert _state() == before


def test_a_second_reply_to_an_answered_request_changes_nothing(citizen, rated_call):
    request = rated_call(citizen)
    rating_reply_receive(sid="SM1", from_number=PHONE, body="5")
    before = _state()
    result = rating_reply_receive(sid="SM2", from_number=PHONE, body="1")
    assert result.outcome == "repeated"
    assert _state() == before
    request.refresh_from_db()
    assert request.score == 5
    # The second (low) reply opened no follow-up.
    assert not FollowUp.objects.exists()
    assert RatingReply.objects.get(sid="SM2").outcome == "repeated"


def test_the_same_message_delivered_again_changes_nothing_and_is_counted(citizen, rated_call):
    request = rated_call(citizen)
    rating_reply_receive(sid="SM1", from_number=PHONE, body="2")
    before = _state()
    again = rating_reply_receive(sid="SM1", from_number=PHONE, body="2")
    assert again.outcome == "repeated"
    assert _state() == before
    reply = RatingReply.objects.get()
    assert (reply.outcome, reply.request, reply.repeats) == ("accepted", request, 1)
    assert FollowUp.objects.count() == 1


def test_the_same_message_id_before_any_request_is_logged_once(citizen):
    rating_reply_receive(sid="SM1", from_number=PHONE, body="5")
    rating_reply_receive(sid="SM1", from_number=PHONE, body="5")
    reply = RatingReply.objects.get()
    assert (reply.outcome, reply.repeats) == ("unknown", 1)


def test_a_reply_answers_the_latest_request_only(citizen, agent):
    earlier = rating_request_for_call(person=citizen, agent_id=agent.pk, call_note_id=1,
                                      now=timezone.now() - dt.timedelta(days=2))
    latest = rating_request_for_call(person=citizen, agent_id=agent.pk, call_note_id=2)
    assert rating_reply_receive(sid="SM1", from_number=PHONE, body="4").outcome == "accepted"
    # A second reply does not fall back to the earlier, unanswered request.
    assert rating_reply_receive(sid="SM2", from_number=PHONE, body="2").outcome == "repeated"
    earlier.refresh_from_db()
    latest.refresh_from_db()
    assert (earlier.score, latest.score) == (None, 4)


def test_a_sender_written_without_the_plus_is_matched(citizen, rated_call):
    request = rated_call(citizen)
    assert rating_reply_receive(sid="SM1", from_number="994501112233",
                                body="5").outcome == "accepted"
    request.refresh_from_db()
    assert request.score == 5


@pytest.mark.parametrize(("sid", "sender", "code"), [
    ("", PHONE, "invalid_sid"), ("   ", PHONE, "invalid_sid"), ("S" * 65, PHONE, "invalid_sid"),
    ("SM1", "", "invalid_sender"), ("SM1", "1" * 33, "invalid_sender"),
])
def test_a_message_without_an_id_or_sender_is_refused_and_changes_nothing(
        citizen, rated_call, sid, sender, code):
    rated_call(citizen)
    before = _state()
    with pytest.raises(DomainError) as refusal:
        rating_reply_receive(sid=sid, from_number=sender, body="5")
    assert refusal.value.code == code
    assert _state() == before
    assert not RatingReply.objects.exists()


def test_a_nul_in_a_reply_is_dropped_rather_than_failing(citizen, rated_call):
    rated_call(citizen)
    result = rating_reply_receive(sid="SM1\x00", from_number=PHONE, body="5\x00")
    assert result.outcome == "accepted"
    assert RatingReply.objects.get().sid == "SM1"
