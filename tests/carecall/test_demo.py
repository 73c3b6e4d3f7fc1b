"""The demo step: rated calls of the demo agent, one low score waiting for a follow-up."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from callcentre.carecall_demo import DEMO_AGENT, demo_carecall
from dost.accounts.demo import _demo_steps
from dost.accounts.models import Role, User
from dost.carecall.models import FollowUp, RatingRequest


def test_the_demo_step_is_registered():
    assert demo_carecall in _demo_steps


def test_the_demo_leaves_answered_and_unanswered_ratings_and_an_open_follow_up(make_person):
    User.objects.create_user(username=DEMO_AGENT, password="x", role=Role.AGENT)
    for number in range(8):
        make_person(phone=f"+99455500{number:04d}")
    lines = demo_carecall(timezone.localdate())
    assert len(lines) == 1
    assert RatingRequest.objects.filter(score__isnull=False).count() == 5
    assert RatingRequest.objects.filter(score__isnull=True).count() == 2
    [follow_up] = FollowUp.objects.all()
    assert (follow_up.status, follow_up.request.score) == ("open", 1)
    # Once only.
    assert demo_carecall(timezone.localdate() + dt.timedelta(days=1)) == []
    assert RatingRequest.objects.count() == 7
