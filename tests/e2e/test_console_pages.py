"""The 142 agent's console as a browser shows it: keyboard first, accessible, fitting."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E


def test_agent_finds_opens_and_reads_a_citizen_from_the_keyboard(any_page, sign_in, citizen,
                                                                 agent):
    sign_in(any_page, agent)
    any_page.goto(reverse("callcentre:console"))
    assert_page_ok(any_page)
    search = any_page.get_by_role("searchbox").or_(any_page.get_by_role("textbox")).first
    expect(search).to_be_focused()
    any_page.keyboard.type(citizen.person.fin)
    any_page.keyboard.press("Enter")
    any_page.locator("main a[href*='/callcentre/citizens/']").first.click()
    assert_page_ok(any_page)
    any_page.locator("main select").first.select_option(index=1)
    any_page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(any_page).to_have_url(reverse("callcentre:view", kwargs={"fin": citizen.person.fin}))
    assert_page_ok(any_page)
