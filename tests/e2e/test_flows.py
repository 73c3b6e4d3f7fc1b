"""What citizens do on the portal, end to end in a browser, each page checked with axe.

A flow whose pages are not routed yet skips, naming the missing URL, and runs as soon
as that part of the portal is built.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.e2e.harness import E2E, assert_page_ok, url_or_skip

pytestmark = E2E


def test_wage_calculator_shows_the_net_wage(any_page):
    any_page.goto(url_or_skip("esocial:wage_calculator"))
    assert_page_ok(any_page)
    any_page.get_by_label("Gross monthly wage, AZN").fill("1 250,50")
    any_page.locator("main").get_by_role("button", name="Calculate").click()
    expect(any_page.get_by_role("heading", name="Result")).to_be_visible()
    expect(any_page.locator("main")).to_contain_text("1,250.50")
    assert_page_ok(any_page)


def test_pension_calculator_shows_the_retirement_date_and_pension(any_page):
    any_page.goto(url_or_skip("esocial:pension_calculator"))
    any_page.get_by_label("Sex").select_option(label="female")
    any_page.get_by_label("Date of birth").fill("1975-04-30")
    any_page.get_by_label("Pension capital so far, AZN").fill("42000")
    any_page.get_by_label("Insurance period so far, years").fill("20")
    any_page.locator("main").get_by_role("button", name="Calculate").click()
    expect(any_page.get_by_role("heading", name="Result")).to_be_visible()
    expect(any_page.locator("main")).to_contain_text("retirement age")
    assert_page_ok(any_page)


def test_pension_calculator_explains_a_birth_date_in_the_future(any_page):
    any_page.goto(url_or_skip("esocial:pension_calculator"))
    any_page.get_by_label("Sex").select_option(label="male")
    future = dt.date.today() + dt.timedelta(days=30)
    any_page.get_by_label("Date of birth").fill(future.isoformat())
    any_page.locator("main").get_by_role("button", name="Calculate").click()
    birth_date = any_page.get_by_label("Date of birth")
    expect(birth_date).to_have_attribute("aria-invalid", "true")
    error_id = birth_date.get_attribute("aria-describedby").split()[-1]
    expect(any_page.locator(f"#{error_id}")).to_contain_text("cannot be in the future")
    expect(any_page.get_by_role("heading", name="Result")).to_have_count(0)
    assert_page_ok(any_page)


def test_citizen_books_a_queue_slot_and_sees_the_ticket(any_page, citizen, sign_in,
                                                        bookable_visit):
    service, centre, day = bookable_visit
    sign_in(any_page, citizen)
    any_page.goto(url_or_skip("esocial:queue_book"))
    assert_page_ok(any_page)
    any_page.get_by_label("Service").select_option(service.code)
    any_page.get_by_label("DOST centre").select_option(centre.code)
    any_page.get_by_label("Day").select_option(day.isoformat())
    # htmx swaps the free times in as soon as the choice changes.
    times = any_page.get_by_role("group", name="Choose a time")
    expect(times).to_be_visible()
    assert_page_ok(any_page)
    times.get_by_role("radio").first.check()
    any_page.get_by_role("button", name="Book this time").click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Queue ticket")
    expect(any_page.locator("main svg")).to_be_visible()
    expect(any_page.locator("main")).to_contain_text(centre.name_en)
    assert_page_ok(any_page)
    any_page.get_by_role("link", name="My bookings").click()
    expect(any_page.locator("main")).to_contain_text(service.title_en)
    assert_page_ok(any_page)


def test_queue_booking_needs_a_time(page, citizen, sign_in, bookable_visit):
    service, centre, day = bookable_visit
    sign_in(page, citizen)
    page.goto(url_or_skip("esocial:queue_book") + f"?service={service.code}"
              f"&centre={centre.code}&day={day.isoformat()}")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("group", name="Choose a time")).to_contain_text("Choose a free time")
    assert_page_ok(page)


def test_home_search_finds_a_service_despite_a_typo(any_page):
    any_page.goto(url_or_skip("esocial:home"))
    url_or_skip("esocial:service_search")
    search = any_page.get_by_role("searchbox").first
    search.fill("pensya")
    result = any_page.locator("main").get_by_role("link", name=re.compile("ension", re.I)).first
    expect(result).to_be_visible()
    assert_page_ok(any_page)
    result.click()
    expect(any_page.get_by_role("heading", level=1)).to_contain_text(re.compile("ension", re.I))
    assert_page_ok(any_page)


def test_service_catalogue_lists_services(any_page):
    any_page.goto(url_or_skip("esocial:service_list"))
    expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
    assert_page_ok(any_page)


def test_open_data_pages(any_page):
    any_page.goto(url_or_skip("esocial:open_data"))
    assert_page_ok(any_page)
    dataset = any_page.locator("main").get_by_role("link").first
    dataset.click()
    expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
    assert_page_ok(any_page)
