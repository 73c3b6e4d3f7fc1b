"""CareCall pages as a browser shows them: the agent takes a low score's follow-up, calls
back and closes it from the keyboard; every page accessible and fitting a phone."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from callcentre.services import call_note_add
from dost.carecall.models import FollowUp
from dost.carecall.services import rating_reply_receive
from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E


def test_agent_takes_and_closes_a_follow_up_of_a_low_score(any_page, sign_in, alice, agent):
    person = alice.person
    call_note_add(person=person, agent=agent, topic="payment", outcome="Explained.")
    rating_reply_receive(sid="SMe2e0001", from_number=person.phone, body="1")
    follow_up = FollowUp.objects.get()
    sign_in(any_page, agent)

    any_page.goto(reverse("callcentre:carecall_follow_ups"))
    assert_page_ok(any_page)
    take = any_page.get_by_role("button", name="Take it")
    take.focus()
    any_page.keyboard.press("Enter")
    expect(any_page).to_have_url(reverse("callcentre:carecall_follow_up", args=[follow_up.pk]))
    assert_page_ok(any_page)
    expect(any_page.locator("main")).to_contain_text(person.phone)

    any_page.get_by_label("What came of the call back").fill("Called back; apologised.")
    any_page.get_by_role("button", name="Close it").press("Enter")
    expect(any_page).to_have_url(reverse("callcentre:carecall_follow_ups"))
    follow_up.refresh_from_db()
    assert follow_up.status == "closed"


def test_scores_page_is_accessible(any_page, sign_in, charlie, alice, agent):
    call_note_add(person=alice.person, agent=agent, topic="payment", outcome="Explained.")
    rating_reply_receive(sid="SMe2e0002", from_number=alice.person.phone, body="4")
    sign_in(any_page, charlie)
    any_page.goto(reverse("callcentre:carecall"))
    assert_page_ok(any_page)
    expect(any_page.locator("main")).to_contain_text("agent142")
