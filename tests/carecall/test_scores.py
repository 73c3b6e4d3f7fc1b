"""Score roll-ups per agent, centre, service and month, on a fixed example; who sees what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from dost.carecall.selectors import score_rollup
from dost.carecall.services import (
    rating_reply_receive,
    rating_request_for_call,
    rating_requests_for_visits,
)
from tests.carecall.conftest import EN

SCORES = reverse("callcentre:carecall")
OCTOBER = dt.date(2026, 10, 1)


def _baku(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def ratings(make_person, agent, other_agent, served_visit, centre, service):
    """October 2026: the agent's calls scored 5, 4 and 1 (and one unanswered), the other
    agent's 2; visits to the centre scored 5 and 3. The agent also has a 4 in September and
    a 3 just after midnight on 1 November, Baku time (still 31 October in UTC)."""
    notes = count(1)
    phones = count(1)

    def rated(score: int | None, at: dt.datetime, *, by=None) -> None:
        person = make_person(phone=f"+99455400{next(phones):04d}")
        if by is not None:
            rating_request_for_call(person=person, agent_id=by.pk, call_note_id=next(notes),
                                    now=at)
        else:
            served_visit(person, finished_at=at - dt.timedelta(minutes=30))
            assert rating_requests_for_visits(now=at)["requests"] == 1
        if score is not None:
            outcome = rating_reply_receive(sid=f"SM{person.pk}", from_number=person.phone,
                                           body=str(score), now=at + dt.timedelta(hours=1))
            assert outcome.outcome == "accepted"

    for day, score in ((3, 5), (10, 4), (20, 1), (21, None)):
        rated(score, _baku(2026, 10, day, 11), by=agent)
    rated(2, _baku(2026, 10, 5, 12), by=other_agent)
    rated(5, _baku(2026, 10, 6, 12))
    rated(3, _baku(2026, 10, 7, 12))
    rated(4, _baku(2026, 9, 15, 12), by=agent)
    rated(3, _baku(2026, 11, 1, 0, 30), by=agent)


def _line(groups, key):
    [group] = [group for group in groups if group.key == key]
    return group.count, group.average, group.good


def test_october_per_agent_centre_service_and_month(ratings, agent, other_agent, centre,
                                                    service):
    rollup = score_rollup(month=dt.date(2026, 10, 17))
    assert rollup.month == OCTOBER
    assert _line(rollup.agents, agent.pk) == (3, Decimal("3.33"), 2)
    assert _line(rollup.agents, other_agent.pk) == (1, Decimal("2.00"), 0)
    assert [group.key for group in rollup.agents] == [agent.pk, other_agent.pk]
    assert _line(rollup.centres, centre.pk) == (2, Decimal("4.00"), 1)
    assert _line(rollup.services, service.pk) == (2, Decimal("4.00"), 1)
    assert [(group.key, group.count, group.average) for group in rollup.months] == [
        (dt.date(2026, 9, 1), 1, Decimal("4.00")), (OCTOBER, 6, Decimal("3.33"))]
    assert rollup.agents[0].good_share == Decimal(2) / Decimal(3)
    assert rollup.agents[0].subject == agent


def test_a_rating_after_midnight_in_baku_counts_in_the_new_month(ratings, agent):
    november = score_rollup(month=dt.date(2026, 11, 1))
    assert _line(november.agents, agent.pk) == (1, Decimal("3.00"), 0)


def test_an_agents_own_rollup_holds_only_their_line_and_the_centres(
        ratings, agent, centre):
    rollup = score_rollup(month=OCTOBER, agent_id=agent.pk, everything=False)
    assert [group.key for group in rollup.agents] == [agent.pk]
    assert [group.key for group in rollup.centres] == [centre.pk]
    assert rollup.services == [] and rollup.months == []


def test_an_agent_sees_their_own_line_and_the_centres_not_their_colleagues(
        client, ratings, agent, other_agent):
    client.force_login(agent)
    response = client.get(SCORES, {"month": "2026-10"}, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "October 2026" in page
    assert agent.username in page and "(you)" in page
    assert "3.3" in page and "66.7%" in page
    assert "Baku DOST centre 1" in page and "4.0" in page
    assert other_agent.username not in page
    assert "Services (visits)" not in page


def test_staff_see_every_agent_service_and_month(client, charlie, ratings, agent, other_agent,
                                                 service):
    client.force_login(charlie)
    response = client.get(SCORES, {"month": "2026-10"}, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert agent.username in page and other_agent.username in page
    assert service.title_en in page
    assert "September 2026" in page


def test_without_a_month_the_current_one_is_shown(client, charlie):
    client.force_login(charlie)
    response = client.get(SCORES, **EN)
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert "No ratings yet." in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-10-05x", "1999-01"])
def test_a_month_that_is_not_one_is_refused_with_a_message(client, charlie, month):
    client.force_login(charlie)
    response = client.get(SCORES, {"month": month}, **EN)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Enter a month" in page or "Choose a month between" in page


def test_the_page_reads_a_bounded_number_of_queries(client, charlie, ratings,
                                                    django_assert_max_num_queries):
    client.force_login(charlie)
    with django_assert_max_num_queries(12):
        response = client.get(SCORES, {"month": "2026-10"})
    assert response.status_code == 200


def test_doctors_and_citizens_cannot_see_scores(client, alice, expert):
    for user in (alice, expert):
        client.force_login(user)
        assert client.get(SCORES).status_code == 403
