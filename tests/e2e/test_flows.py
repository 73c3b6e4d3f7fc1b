"""What citizens do on the portal, end to end in a browser, each page checked with axe.

A flow whose pages are not routed yet skips, naming the missing URL, and runs as soon
as that part of the portal is built.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.documents import pdf_bytes
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
    url_or_skip("esocial:service_search")
    any_page.goto(url_or_skip("esocial:home"))
    any_page.get_by_label("What do you need?").press_sequentially("pensoin", delay=30)
    # htmx fills the live region as one types; nothing reloads the page.
    results = any_page.locator("#home-search-results")
    expect(results).to_contain_text("found for")
    first = results.get_by_role("link").first
    expect(first).to_have_text(re.compile("pension", re.I))
    assert_page_ok(any_page)
    title = first.inner_text()
    first.click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text(title)
    assert_page_ok(any_page)


def test_search_without_a_match_suggests_the_catalogue(any_page):
    url_or_skip("esocial:service_search")
    any_page.goto(url_or_skip("esocial:home"))
    search = any_page.get_by_label("What do you need?")
    search.fill("qwxzv")
    search.press("Enter")
    expect(any_page.locator("main")).to_contain_text("0 services found")
    expect(any_page.get_by_role("link", name="browse all services")).to_be_visible()
    assert_page_ok(any_page)


def test_service_catalogue_leads_to_a_service_page(any_page):
    any_page.goto(url_or_skip("esocial:service_list"))
    expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
    assert_page_ok(any_page)
    service = any_page.locator("main").get_by_role("link", name=re.compile("pension", re.I)).first
    title = service.inner_text()
    service.click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text(title)
    assert_page_ok(any_page)


def test_open_data_index_and_every_dataset_page(any_page, citizen):
    any_page.goto(url_or_skip("esocial:opendata_index"))
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Open data")
    assert_page_ok(any_page)
    datasets = any_page.locator("main").get_by_role("heading", level=2).get_by_role("link")
    addresses = [datasets.nth(index).get_attribute("href") for index in range(datasets.count())]
    assert addresses
    for address in addresses:
        any_page.goto(address)
        expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
        assert_page_ok(any_page)


def test_citizen_applies_with_a_document_and_follows_the_application(any_page, citizen, sign_in,
                                                                      settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(any_page, citizen)
    any_page.goto(url_or_skip("esocial:application_list"))
    assert_page_ok(any_page)
    any_page.get_by_role("link", name="Pension recalculation").click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Pension recalculation")
    expect(any_page.locator("main")).to_contain_text(citizen.person.fin)
    assert_page_ok(any_page)

    any_page.get_by_label("What is wrong?").select_option(label="Years of work are missing")
    any_page.get_by_label("Explain what should be counted").fill(
        "Bakı Tekstil, 1998 to 2005, weaver: these years are missing.")
    submit = any_page.get_by_role("button", name="Submit the application")
    submit.click()
    # Missing years need their proof: the refusal is tied to the file field.
    proof = any_page.get_by_label("Proof of service the registry does not show")
    expect(proof).to_have_attribute("aria-invalid", "true")
    assert_page_ok(any_page)

    labour_book = tmp_path / "labour-book.pdf"
    labour_book.write_bytes(pdf_bytes())
    proof.set_input_files(labour_book)
    submit.click()
    expect(any_page.get_by_role("heading", level=1)).to_contain_text("Pension recalculation")
    expect(any_page.get_by_role("status").first).to_contain_text("has been submitted")
    expect(any_page.get_by_role("link", name="labour-book.pdf")).to_be_visible()
    assert_page_ok(any_page)

    any_page.get_by_role("link", name="My applications").first.click()
    expect(any_page.locator("main table").first).to_contain_text("Pension recalculation")
    assert_page_ok(any_page)


def test_citizen_issues_a_certificate_that_anyone_can_verify(any_page, citizen, sign_in):
    sign_in(any_page, citizen)
    any_page.goto(url_or_skip("esocial:certificate_list"))
    assert_page_ok(any_page)
    offer = any_page.get_by_role("form", name="Award statement")
    offer.get_by_label("Award", exact=True).select_option(index=1)
    offer.get_by_label("The amount").check()
    offer.get_by_role("button", name="Issue the certificate").click()
    ready = any_page.get_by_role("status").first
    expect(ready).to_contain_text("Your certificate is ready")
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", ready.inner_text()).group()
    assert_page_ok(any_page)

    with any_page.expect_download() as download:
        any_page.get_by_role("link", name=re.compile("Download PDF")).first.click()
    pdf = download.value.path()
    assert pdf.read_bytes().startswith(b"%PDF")

    # Whoever was given the file checks it without an account.
    any_page.context.clear_cookies()
    any_page.goto(url_or_skip("esocial:certificate_verify"))
    assert_page_ok(any_page)
    any_page.get_by_role("textbox", name="Verification code").fill(code.lower().replace("-", " "))
    any_page.get_by_label("The certificate's PDF file (optional)").set_input_files(pdf)
    any_page.locator("main").get_by_role("button", name="Check").click()
    expect(any_page.get_by_role("heading", name="Genuine and valid")).to_be_visible()
    expect(any_page.locator("main")).to_contain_text("exactly the one that was issued")
    expect(any_page.locator("main")).to_contain_text("Amount")
    assert_page_ok(any_page)

    any_page.goto(url_or_skip("esocial:certificate_verify_code", code))
    expect(any_page.get_by_role("heading", name="Genuine and valid")).to_be_visible()
    assert_page_ok(any_page)


def test_verification_of_an_unknown_code_says_so(page):
    page.goto(url_or_skip("esocial:certificate_verify"))
    page.get_by_role("textbox", name="Verification code").fill("7K2M-Q9XD-4HBR")
    page.locator("main").get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="No such certificate")).to_be_visible()
    assert_page_ok(page)
