"""The DOST Index and the open-data charts in a browser: accessible (axe), fitting a phone,
and drawn by pygal without anything the content policy refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dost.index.services import index_compute
from tests.e2e.harness import E2E, assert_page_ok
from tests.e2e.test_content_policy import Watch
from tests.index.conftest import MARCH, Example

pytestmark = E2E


@pytest.fixture
def index_of_march(make_person, charlie):
    example = Example(make_person)
    # A visit, a rating and a complaint at two centres, enough for a ranking and a trend.
    yasamal = example.person("yasamal", account=True)
    for month in ("2026-02", "2026-03"):
        example.visit("baku-1", f"{month}-03", "served", wait=600, service=900)
        example.visit("sumgait", f"{month}-04", "served", wait=300, service=1200)
        example.visit("sumgait", f"{month}-05", "no_show")
    example.complaint(yasamal, received=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC),
                      due="2026-03-10", answered=dt.datetime(2026, 3, 9, 8, tzinfo=dt.UTC))
    index_compute(first=dt.date(2026, 2, 1), last=MARCH)


def test_index_pages_are_accessible_and_fit(any_page, index_of_march):
    any_page.goto(reverse("esocial:dost_index"))
    expect(any_page.get_by_role("heading", level=1)).to_have_text("DOST Index")
    expect(any_page.get_by_role("img", name="Centres by score, March 2026")).to_be_visible()
    assert_page_ok(any_page)
    any_page.get_by_role("link", name="Baku DOST centre No. 1").first.click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Baku DOST centre No. 1")
    expect(any_page.locator("main svg.chart")).to_be_visible()
    assert_page_ok(any_page)


def test_choosing_a_month_shows_it(page, index_of_march):
    page.goto(reverse("esocial:dost_index"))
    page.get_by_label("Month", exact=True).select_option(label="February 2026")
    page.get_by_role("button", name="Show").click()

    heading = page.get_by_role("heading", name="Ranking of the centres, February 2026")
    expect(heading).to_be_visible()
    assert_page_ok(page)


def test_index_and_chart_pages_raise_no_policy_violation(page, index_of_march, sign_in,
                                                         administrator):
    watch = Watch(page)
    watch.visit(reverse("esocial:dost_index"))
    watch.visit(reverse("esocial:dost_index_centre", args=["sumgait"]))
    # A chart file opened on its own: its stylesheet is allowed by its hash.
    watch.visit(reverse("esocial:opendata_chart", args=["service-usage"]))
    fill = page.evaluate("getComputedStyle(document.querySelector('.background')).fill")
    assert fill == "rgb(255, 255, 255)"  # styled: pygal's default would be black
    sign_in(page, administrator)
    watch.visit(reverse("index_backoffice:dashboard"))
    watch.visit(reverse("index_backoffice:centre", args=["baku-1"]))

    watch.assert_clean()


def test_charts_are_styled_by_the_site_stylesheet(page, index_of_march):
    page.goto(reverse("esocial:dost_index"))

    bar = page.locator("#index-ranking .rect").first
    assert bar.evaluate("element => getComputedStyle(element).fill") == "rgb(0, 85, 140)"


def test_administrator_recomputes_a_month_in_the_back_office(page, index_of_march, sign_in,
                                                              administrator):
    sign_in(page, administrator)
    page.goto(reverse("index_backoffice:dashboard"))
    page.get_by_label("Month to compute").fill("2026-03")
    page.get_by_role("button", name="Compute").click()

    expect(page.locator(".messages")).to_contain_text("The Index of March 2026 has been computed.")
    assert_page_ok(page)


@pytest.fixture
def administrator(db):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from dost.accounts.models import Role, User
    from tests.conftest import PASSWORD

    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user
