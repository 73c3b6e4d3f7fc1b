"""Browser fixtures: one Debian Chromium for the whole folder, a fresh context per test."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from dost.accounts.models import User
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.centres.models import Centre, Service
from dost.entitlements.services import entitlements_for_people
from dost.equeue.selectors import bookable_services, open_centres
from dost.equeue.services import slots_open
from dost.registry.models import Contribution, EmploymentSpell, FamilyRelation

# The disability subsystem's facility, commissions and referrals, as its own tests make them.
from tests.disability.conftest import commissions, facility, make_submission, refer  # noqa: F401
from tests.e2e.harness import chromium_path

# The e-queue's own way to make a test centre and service, kept in step with its models.
from tests.equeue.conftest import make_centre, make_service  # noqa: F401

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found")
    # Playwright's sync API keeps an asyncio loop running in this thread, which makes
    # Django refuse ORM calls from the test itself; the calls stay synchronous, so
    # allow them while the browser is up, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {alias: connections[alias]._test_serialized_contents for alias in connections
                  if hasattr(connections[alias], "_test_serialized_contents")}
    try:
        with sync_playwright() as playwright:
            # With an event loop running, Django keeps this thread's database connections
            # apart from the ones opened before; the new ones need the reference data
            # that transactional tests put back after each flush.
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(executable_path=path, headless=True)
            yield browser
            browser.close()
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _context(browser: Browser, live_server, viewport: str) -> BrowserContext:
    mobile = viewport == "mobile"
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[viewport],
        is_mobile=mobile,
        has_touch=mobile,
        device_scale_factor=3 if mobile else 1,
        # Flows use the English labels; the language switch is tested on its own.
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A desktop browser tab on the live server."""
    context = _context(browser, live_server, "desktop")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, live_server) -> Iterator[Page]:
    """A browser tab on a phone-sized screen (390 x 844)."""
    context = _context(browser, live_server, "mobile")
    yield context.new_page()
    context.close()


@pytest.fixture(params=list(VIEWPORTS))
def any_page(request, browser, live_server) -> Iterator[Page]:
    """The same test on a desktop screen and on a phone (390 x 844)."""
    context = _context(browser, live_server, request.param)
    yield context.new_page()
    context.close()


@pytest.fixture
def sign_in(live_server) -> Callable[[Page, User], None]:
    """Give the tab a signed-in session without going through the form (tested on its own)."""

    def sign_in(page: Page, user: User) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                   "value": session.value, "url": live_server.url}])

    return sign_in


@pytest.fixture
def citizen(alice, make_person, charlie) -> User:
    """Alice with something on every page: family, work, contributions, an award, a look."""
    person = alice.person
    today = dt.date.today()
    baby = make_person(fin="1BBY777", first_name="Nərgiz", birth_date=today - dt.timedelta(days=2))
    FamilyRelation.objects.create(person=baby, relative=person, kind="parent",
                                  since=baby.birth_date, source_id="justice")
    EmploymentSpell.objects.create(person=person, employer_name="Bakı Tekstil",
                                   employer_tin="1234567890", occupation_code="7531",
                                   started_on=dt.date(2012, 3, 1), ended_on=None,
                                   monthly_wage=Decimal("900"), source_id="labour")
    Contribution.objects.bulk_create(
        Contribution(person=person, year=year, insured_months=12, wage_total=Decimal("10800"),
                     amount=Decimal("2700"), source_id="sssf")
        for year in range(2012, today.year)
    )
    entitlements_for_people(people=[person.pk], on=today)
    access_record(person_id=person.pk, what=Subject.AWARDS, channel=Channel.BACKOFFICE,
                  reason="Checking the childbirth allowance", actor_id=charlie.pk)
    return alice



@pytest.fixture
def bookable_visit(request) -> tuple[Service, Centre, dt.date]:
    """A bookable service and an open centre with free times from tomorrow on."""
    centre = open_centres().first() or request.getfixturevalue("make_centre")()
    service = bookable_services().first() or request.getfixturevalue("make_service")()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    slots_open(start=tomorrow, days=7, centre=centre)
    day = centre.slots.filter(day__gte=tomorrow).order_by("day").values_list("day", flat=True)[0]
    return service, centre, day
