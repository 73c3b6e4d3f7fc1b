"""Targeted social assistance as a browser shows it: the citizen's decision, the kiosk,
and the staff's report, accessible and fitting on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dost.accounts.services import citizen_account_create
from dost.bridge.registers import Vehicle
from dost.notifications.models import SmsMessage
from tests.e2e.harness import E2E, assert_page_ok
from tests.vemtas.households import apply, household
from vemtas.checks import cases_cross_check

pytestmark = E2E


@pytest.fixture
def refused_case(db):
    """A household refused for a car, and its applicant's account."""
    _home, (mother, son) = household(dt.date(1988, 4, 4), dt.date(2015, 6, 6))
    Vehicle.objects.create(person=mother, plate="10-AB-321", make="Toyota Prius",
                           registered_on=dt.date(2021, 1, 1), source_id="vehicles")
    case = apply(mother, on=dt.date.today(), income="120")
    cases_cross_check(case_ids=[case.pk])
    user = citizen_account_create(person=mother, password="correct-horse-battery-9")
    return case, user


def test_the_refusal_lists_its_ground_and_how_to_contest(any_page, sign_in, refused_case):
    case, user = refused_case
    sign_in(any_page, user)
    any_page.goto(reverse("assistance:case_detail", args=[case.pk]))
    expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
    expect(any_page.locator("main")).to_contain_text("10-AB-321 Toyota Prius")
    assert_page_ok(any_page)
    any_page.goto(reverse("assistance:case_list"))
    assert_page_ok(any_page)


# A kiosk is a large touch screen: checked at the desktop size only.
def test_the_kiosk_signs_in_by_id_card_and_sms_code(page, refused_case):
    case, user = refused_case
    page.goto(reverse("kiosk:start"))
    assert_page_ok(page)
    page.get_by_label("ID card number (FIN)").fill(user.person.fin)
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_label("Code from the SMS")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_page_ok(page)
    assert SmsMessage.objects.filter(person=user.person, template="kiosk_code").exists()


def test_the_staff_queue_and_the_report_side_by_side(any_page, sign_in, refused_case, charlie):
    case, _user = refused_case
    sign_in(any_page, charlie)
    for url in (reverse("vemtas_staff:queue"), reverse("vemtas_staff:case", args=[case.pk]),
                reverse("vemtas_visits:visits")):
        any_page.goto(url)
        expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
        assert_page_ok(any_page)
    any_page.goto(reverse("vemtas_staff:case", args=[case.pk]))
    expect(any_page.locator("main")).to_contain_text("10-AB-321 Toyota Prius")
