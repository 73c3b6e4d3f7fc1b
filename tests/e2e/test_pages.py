"""The citizen's pages as a browser shows them: accessible and fitting a phone's screen."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E


def test_home_page_in_each_language_chosen_in_the_language_form(any_page):
    any_page.goto(reverse("esocial:home"))
    # The choice is made by value: each language's name is itself translated.
    for language in ("az", "ru", "en"):
        form = any_page.locator("form.language-form")
        form.get_by_role("combobox").select_option(language)
        form.get_by_role("button").click()
        expect(any_page.locator("html")).to_have_attribute("lang", language)
        expect(any_page.locator("form.language-form select")).to_have_value(language)
        expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
        assert_page_ok(any_page)


def test_citizen_signs_in_with_fin_and_password(any_page, alice):
    any_page.goto(reverse("account_login"))
    assert_page_ok(any_page)
    any_page.get_by_label("FIN or username").fill(alice.username.lower())
    any_page.get_by_label("Password").fill(PASSWORD)
    any_page.locator("main").get_by_role("button", name="Sign in").click()
    expect(any_page.get_by_role("button", name="Sign out")).to_be_visible()
    any_page.get_by_role("link", name="My data", exact=True).click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("My data")
    expect(any_page.locator("main")).to_contain_text(alice.person.fin)


def test_wrong_password_is_refused_accessibly(any_page, alice):
    any_page.goto(reverse("account_login"))
    any_page.get_by_label("FIN or username").fill(alice.username)
    any_page.get_by_label("Password").fill("not-the-password")
    any_page.locator("main").get_by_role("button", name="Sign in").click()
    expect(any_page.get_by_role("alert").first).to_be_visible()
    expect(any_page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_page_ok(any_page)


@pytest.mark.parametrize(("url_name", "heading", "shows"), [
    ("esocial:my_data", "My data", "Bakı Tekstil"),
    ("esocial:access_log", "Who saw my data", "Checking the childbirth allowance"),
    ("esocial:my_awards", "My awards", "Nərgiz"),
    ("pensions:capital", "My pension capital", "2012"),
])
def test_citizen_page(any_page, citizen, sign_in, url_name, heading, shows):
    sign_in(any_page, citizen)
    any_page.goto(reverse(url_name))
    expect(any_page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(any_page.locator("main")).to_contain_text(shows)
    assert_page_ok(any_page)


def test_award_explanation_opens_and_stays_accessible(any_page, citizen, sign_in):
    sign_in(any_page, citizen)
    any_page.goto(reverse("esocial:my_awards"))
    any_page.locator("details summary").first.click()
    expect(any_page.locator("details").first).to_have_attribute("open", re.compile(".*"))
    assert_page_ok(any_page)


def test_missing_page_is_the_sites_own_and_accessible(any_page):
    any_page.goto("/no-such-page/")
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_page_ok(any_page)


def test_officials_refused_a_citizens_page_are_told_why_accessibly(any_page, charlie, sign_in):
    sign_in(any_page, charlie)
    any_page.goto(reverse("esocial:queue_book"))
    expect(any_page.get_by_role("heading", level=1)).to_have_text("This page is not open to you")
    expect(any_page.locator("main")).to_contain_text("This page is for citizens")
    assert_page_ok(any_page)


def test_signed_out_visitor_is_sent_to_sign_in(page):
    page.goto(reverse("esocial:my_data"))
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))


def test_keyboard_user_skips_to_the_main_content(page):
    page.goto(reverse("esocial:home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_wide_table_scrolls_from_the_keyboard_on_a_phone(phone, citizen, sign_in):
    sign_in(phone, citizen)
    phone.goto(reverse("esocial:my_data"))
    employment = phone.locator("section", has=phone.get_by_role("heading", name="Employment"))
    table = employment.locator(".table-wrap")
    assert table.evaluate("box => box.scrollWidth > box.clientWidth")
    table.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    # The browser may scroll smoothly: wait for the box to move rather than read it at once.
    phone.wait_for_function("box => box.scrollLeft > 0", arg=table.element_handle(),
                            timeout=5_000)
