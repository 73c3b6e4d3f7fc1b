"""The phone PIN page and the console's waiting callers, as a browser shows them."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from callcentre.ivr.services import ivr_call_begin, ivr_call_identified, ivr_handover_request
from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E


def test_citizen_sets_a_phone_pin_after_a_refusal_shown_accessibly(any_page, sign_in, alice):
    sign_in(any_page, alice)
    any_page.goto(reverse("esocial:phone_pin"))
    expect(any_page.get_by_role("heading", level=1)).to_have_text("My phone PIN")
    assert_page_ok(any_page)

    any_page.get_by_label("New PIN", exact=True).fill("1234")
    any_page.get_by_label("New PIN again").fill("1234")
    any_page.get_by_role("button", name="Save the PIN").click()
    expect(any_page.get_by_role("alert").first).to_contain_text("Digits in a row")
    assert_page_ok(any_page)

    any_page.get_by_label("New PIN", exact=True).fill("2580")
    any_page.get_by_label("New PIN again").fill("2580")
    any_page.get_by_label("New PIN again").press("Enter")
    expect(any_page.locator("main")).to_contain_text("Your phone PIN was set on")
    assert_page_ok(any_page)


def test_agent_takes_a_waiting_caller_from_the_keyboard(any_page, sign_in, agent, alice):
    call = ivr_call_begin(call_sid="CAe2e0001")
    ivr_call_identified(call, person=alice.person, user_id=alice.pk)
    ivr_handover_request(call)
    sign_in(any_page, agent)
    any_page.goto(reverse("callcentre:console"))
    expect(any_page.locator("main")).to_contain_text("Callers waiting for an agent")
    assert_page_ok(any_page)

    any_page.get_by_role("button", name="Take the call").focus()
    any_page.keyboard.press("Enter")

    expect(any_page).to_have_url(f"{reverse('callcentre:console')}?q={alice.person.fin}")
    expect(any_page.locator(f"main a[href='{reverse('callcentre:open', args=[alice.person.fin])}']")
           ).to_be_visible()
    expect(any_page.locator("main")).to_contain_text("No callers are waiting.")
    assert_page_ok(any_page)
