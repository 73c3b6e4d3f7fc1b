"""Follow-ups of low scores: agents and staff see them, an agent takes one, calls back and
closes it with a note; every look at a citizen through them is in the citizen's access log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dost.audit.models import AccessRecord, Channel, Subject
from dost.carecall.models import FollowUp
from dost.carecall.services import follow_up_close, follow_up_take, rating_reply_receive
from dost.errors import DomainError
from tests.carecall.conftest import EN

LIST = reverse("callcentre:carecall_follow_ups")


@pytest.fixture
def follow_up(citizen, rated_call) -> FollowUp:
    """Alice rated the agent's call 1."""
    rated_call(citizen)
    result = rating_reply_receive(sid="SMlow", from_number=citizen.phone, body="1")
    assert result.follow_up is not None
    return result.follow_up


def _detail(follow_up: FollowUp) -> str:
    return reverse("callcentre:carecall_follow_up", args=[follow_up.pk])


def _take(follow_up: FollowUp) -> str:
    return reverse("callcentre:carecall_follow_up_take", args=[follow_up.pk])


def _close(follow_up: FollowUp) -> str:
    return reverse("callcentre:carecall_follow_up_close", args=[follow_up.pk])


def _state(follow_up: FollowUp) -> tuple:
    follow_up.refresh_from_db()
    return follow_up.status, follow_up.taken_by_id, follow_up.closed_at, follow_up.note


def test_an_agent_sees_the_open_follow_up_and_the_listing_is_logged(
        client, agent, follow_up, citizen):
    client.force_login(agent)
    response = client.get(LIST, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert citizen.full_name in page
    assert "142 call" in page
    assert agent.username in page  # whose call it was
    assert _take(follow_up) in page
    record = AccessRecord.objects.get(person=citizen)
    assert (record.actor, record.channel, record.what) == (
        agent, Channel.CALLCENTRE, Subject.REGISTRY_RECORD)


def test_staff_see_the_list_without_taking_and_the_listing_is_logged(
        client, charlie, follow_up, citizen):
    client.force_login(charlie)
    response = client.get(LIST, **EN)
    assert response.status_code == 200
    assert citizen.full_name in response.content.decode()
    assert _take(follow_up) not in response.content.decode()
    assert AccessRecord.objects.get(person=citizen).channel == Channel.BACKOFFICE
    assert client.post(_take(follow_up)).status_code == 403
    assert _state(follow_up)[0] == "open"


def test_an_unknown_status_filter_is_refused(client, agent, follow_up):
    client.force_login(agent)
    response = client.get(LIST, {"status": "lost"}, **EN)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_an_agent_takes_an_open_follow_up_and_opens_it_with_a_logged_look(
        client, agent, follow_up, citizen):
    client.force_login(agent)
    response = client.post(_take(follow_up))
    assert response.status_code == 302
    assert response.url == _detail(follow_up)
    assert _state(follow_up)[:2] == ("taken", agent.pk)
    page = client.get(_detail(follow_up), **EN).content.decode()
    assert citizen.phone in page
    assert citizen.full_name in page
    record = AccessRecord.objects.get(person=citizen)
    assert (record.actor, record.what) == (agent, Subject.REGISTRY_RECORD)
    # In the citizen's own language: the access log is theirs to read.
    with translation.override(citizen.language):
        assert record.reason == gettext("Calling you back about your rating of a DOST service")


def test_another_agent_cannot_take_a_taken_follow_up(client, agent, other_agent, follow_up):
    follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    before = _state(follow_up)
    client.force_login(other_agent)
    response = client.post(_take(follow_up), **EN)
    assert response.status_code == 409
    assert "Another agent has taken this follow-up." in response.content.decode()
    assert _state(follow_up) == before


def test_another_agent_cannot_open_or_close_a_follow_up_not_theirs(
        client, agent, other_agent, follow_up):
    follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    before = _state(follow_up)
    client.force_login(other_agent)
    assert client.get(_detail(follow_up)).status_code == 404
    assert client.post(_close(follow_up), {"note": "Called back."}).status_code == 404
    assert _state(follow_up) == before
    assert not AccessRecord.objects.filter(actor=other_agent).exists()


def test_an_open_follow_up_is_not_opened_before_it_is_taken(client, agent, follow_up):
    client.force_login(agent)
    assert client.get(_detail(follow_up)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_follow_up_that_does_not_exist_is_404(client, agent):
    client.force_login(agent)
    assert client.post(reverse("callcentre:carecall_follow_up_take", args=[999999])
                       ).status_code == 404
    assert client.get(reverse("callcentre:carecall_follow_up", args=[999999])).status_code == 404


def test_the_agent_closes_it_with_a_note(client, agent, follow_up):
    follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    client.force_login(agent)
    response = client.post(_close(follow_up), {"note": "  Called back; the wait is fixed. "})
    assert response.status_code == 302
    status, taken_by, closed_at, note = _state(follow_up)
    assert (status, taken_by, note) == ("closed", agent.pk, "Called back; the wait is fixed.")
    assert closed_at is not None


@pytest.mark.parametrize("note", ["", "   ", "x" * 4001])
def test_closing_without_a_proper_note_is_refused_and_changes_nothing(
        client, agent, follow_up, note):
    follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    before = _state(follow_up)
    client.force_login(agent)
    response = client.post(_close(follow_up), {"note": note}, **EN)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert _state(follow_up) == before


def test_closing_twice_is_refused(agent, follow_up):
    follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    follow_up_close(follow_up_id=follow_up.pk, agent=agent, note="Done.")
    before = _state(follow_up)
    with pytest.raises(DomainError) as refusal:
        follow_up_close(follow_up_id=follow_up.pk, agent=agent, note="Again.")
    assert refusal.value.code == "closed"
    assert _state(follow_up) == before
    with pytest.raises(DomainError) as refusal:
        follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    assert refusal.value.code == "closed"


def test_closing_an_untaken_follow_up_is_refused(agent, follow_up):
    with pytest.raises(DomainError) as refusal:
        follow_up_close(follow_up_id=follow_up.pk, agent=agent, note="Done.")
    assert refusal.value.code == "not_taken"
    assert _state(follow_up)[0] == "open"


def test_taking_ones_own_follow_up_again_changes_nothing(agent, follow_up):
    first = follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    again = follow_up_take(follow_up_id=follow_up.pk, agent=agent)
    assert (again.status, again.taken_by_id, again.taken_at) == (
        first.status, first.taken_by_id, first.taken_at)


def test_a_citizen_cannot_see_follow_ups(client, alice, follow_up):
    client.force_login(alice)
    assert client.get(LIST).status_code == 403
    assert client.post(_take(follow_up)).status_code == 403


def test_the_list_reads_a_bounded_number_of_queries(
        client, agent, make_person, rated_call, django_assert_max_num_queries):
    for number in range(12):
        person = make_person(phone=f"+99455300{number:04d}")
        rated_call(person)
        rating_reply_receive(sid=f"SMmany{number}", from_number=person.phone, body="2")
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    assert AccessRecord.objects.count() == 12
