"""Booking a visit in a real browser, on a desktop and a phone: accessible, ticket prints."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from dost.equeue import services
from dost.equeue.models import Booking
from tests.e2e.harness import E2E, assert_page_ok, chromium_path
from tests.equeue.conftest import TUESDAY, slot_at

pytestmark = [*E2E, pytest.mark.usefixtures("week_of_slots")]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}


@pytest.fixture
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found")
    # The sync API runs an asyncio loop in this thread; the ORM calls stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=list(VIEWPORTS))
def citizen_page(request, browser, live_server, alice) -> Iterator[Page]:
    """Alice signed in, on a desktop screen and on a phone."""
    mobile = request.param == "mobile"
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORTS[request.param],
                                  is_mobile=mobile, has_touch=mobile, locale="en-GB")
    context.set_default_timeout(10_000)
    client = Client()
    client.force_login(alice)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    yield context.new_page()
    context.close()
    # While Playwright's loop runs, the test's ORM calls get a connection of their
    # own; close it, or the test database cannot be dropped at the end.
    connections.close_all()


def test_citizen_books_a_visit_and_gets_a_printable_ticket(citizen_page, alice, centre,
                                                          service):
    page = citizen_page
    page.goto(f"{reverse('esocial:queue_book')}?service={service.code}")
    page.get_by_label("DOST centre").select_option(centre.code)
    page.get_by_label("Day").select_option(index=1)
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("group", name="Choose a time")).to_be_visible()
    assert_page_ok(page)

    page.get_by_label("10:00–10:20").check()
    page.get_by_role("button", name="Book this time").click()
    booking = Booking.objects.get(person=alice.person)
    expect(page.get_by_role("heading", level=1)).to_have_text("Queue ticket")
    expect(page.get_by_role("img", name=booking.ticket_code)).to_be_visible()
    assert_page_ok(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Cancel the booking")).to_be_hidden()
    expect(page.get_by_role("img", name=booking.ticket_code)).to_be_visible()


def test_free_times_follow_the_chosen_day_without_a_reload(citizen_page, centre, service):
    page = citizen_page
    page.goto(f"{reverse('esocial:queue_book')}?service={service.code}")
    page.get_by_label("DOST centre").select_option(centre.code)
    page.get_by_label("Day").select_option(index=2)
    expect(page.get_by_role("group", name="Choose a time")).to_be_visible()
    assert "day=" in page.url


def test_citizen_moves_a_visit_from_my_bookings(citizen_page, alice, centre, service):
    booking = services.booking_create(person_id=alice.person_id, service_id=service.pk,
                                      slot_id=slot_at(centre, TUESDAY, "09:20").pk)
    page = citizen_page
    page.goto(reverse("esocial:queue_mine"))
    assert_page_ok(page)
    page.get_by_role("link", name=f"Move {booking.ticket_code}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move my visit")
    assert_page_ok(page)

    page.get_by_label("14:00–14:20").check()
    page.get_by_role("button", name="Move my visit to this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Queue ticket")
    moved = Booking.objects.get(pk=booking.pk)
    assert moved.slot.starts_at.strftime("%H:%M") == "14:00"
    expect(page.get_by_role("img", name=moved.ticket_code)).to_be_visible()
