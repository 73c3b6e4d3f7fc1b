"""Replies racing on the real database: one request is scored once, one message logged once."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from dost.carecall import services
from dost.carecall.models import FollowUp, RatingReply, RatingRequest
from dost.carecall.services import ReplyResult, rating_reply_receive
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock

WAIT_SECONDS = 10
PHONE = "+994501112233"
race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _reply(sid: str, body: str):
    return lambda: rating_reply_receive(sid=sid, from_number=PHONE, body=body)


@race
def test_two_replies_to_one_request_at_once_score_it_once(citizen, rated_call, monkeypatch):
    request = rated_call(citizen)
    # Hold the first reply inside its transaction once it has scored, so the second
    # arrives while the score is written but not yet committed.
    scored, release = threading.Event(), threading.Event()
    score_if_unanswered = services._score_if_unanswered

    def held(request_id: int, **kwargs: Any) -> bool:
        recorded = score_if_unanswered(request_id, **kwargs)
        if not scored.is_set():
            scored.set()
            release.wait(WAIT_SECONDS)
        return recorded

    monkeypatch.setattr(services, "_score_if_unanswered", held)
    first_results: list[Any] = []
    second_results: list[Any] = []
    first = in_thread(_reply("SMrace1", "1"), first_results)
    try:
        assert scored.wait(WAIT_SECONDS)
        second = in_thread(_reply("SMrace2", "5"), second_results)
        assert someone_comes_to_wait_on_a_lock(), "the second reply should wait for the first"
    finally:
        release.set()
        first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    [first_result] = first_results
    [second_result] = second_results
    assert isinstance(first_result, ReplyResult), first_result
    assert isinstance(second_result, ReplyResult), second_result
    assert (first_result.outcome, second_result.outcome) == ("accepted", "repeated")
    request.refresh_from_db()
    assert request.score == 1
    assert FollowUp.objects.filter(request=request).count() == 1
    assert dict(RatingReply.objects.values_list("sid", "outcome")) == {
        "SMrace1": "accepted", "SMrace2": "repeated"}


@race
def test_the_same_message_twice_at_once_is_logged_once(citizen, rated_call):
    request = rated_call(citizen)
    start = threading.Barrier(2)
    results: list[Any] = []
    threads = [in_thread(_reply("SMtwice", "2"), results, start) for _twice in range(2)]
    for thread in threads:
        thread.join(WAIT_SECONDS)
    assert all(isinstance(result, ReplyResult) for result in results), results
    assert sorted(result.outcome for result in results) == ["accepted", "repeated"]
    reply = RatingReply.objects.get()
    assert (reply.outcome, reply.repeats) == ("accepted", 1)
    assert RatingRequest.objects.get(pk=request.pk).score == 2
    assert FollowUp.objects.count() == 1
