"""The disability pages of each role as a browser shows them: accessible and fitting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from disability.models import AidItem, Commission, FacilityDoctor, Referral
from disability.services.aids import aid_request_create
from disability.services.assessments import assessment_confirm, assessment_propose
from dost.accounts.models import Role, User
from tests.disability.conftest import member_of
from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E


@pytest.fixture
def disability_world(alice, refer, commissions, facility, charlie):
    """Alice decided at 70 % with a crutches request, her doctor, an expert, a supervisor."""
    Commission.objects.exclude(code="msec-1").update(active=False)
    commission = Commission.objects.get(code="msec-1")
    first, second = member_of(commission, "e2e-a"), member_of(commission, "e2e-b")
    decided = refer(alice.person.fin, diagnoses=["G35", "I10"])
    proposal = assessment_propose(
        referral=decided, expert=first, percentages={d.pk: 60 for d in decided.diagnoses.all()},
        cause="general_illness", duration="2y",
        next_review_on=dt.date.today() + dt.timedelta(days=730), lost_working_capacity=30)
    assessment_confirm(assessment=proposal, expert=second)
    aid_request_create(person=alice.person, item=AidItem.objects.get(code="crutches"))
    doctor = User.objects.create_user(username="e2e-doctor", password="x-" * 8, role=Role.DOCTOR,
                                      first_name="Samir", last_name="Rzayev")
    FacilityDoctor.objects.create(user=doctor, facility=facility)
    charlie.user_permissions.add(Permission.objects.get(codename="reassign_referral"))
    return {"expert": first, "doctor": doctor, "staff": charlie, "citizen": alice,
            "case": decided.case_number}


# Each role's pages in one visit: the world is built once per role and screen.
PAGES_OF_ROLE = {
    "citizen": ["/disability/", "/disability/aids/"],
    "expert": ["/msec/", "case"],
    "doctor": ["/referrals/", "/referrals/new/"],
    "staff": ["/backoffice/disability/", "/backoffice/disability/aids/",
              "/backoffice/disability/cases/"],
}


@pytest.mark.parametrize("role", list(PAGES_OF_ROLE))
def test_disability_pages_are_accessible(any_page, sign_in, disability_world, role):
    sign_in(any_page, disability_world[role])
    for url in PAGES_OF_ROLE[role]:
        if url == "case":
            url = reverse("msec:case", kwargs={"case_number": disability_world["case"]})
        any_page.goto(url)
        expect(any_page.get_by_role("heading", level=1)).to_have_count(1)
        assert_page_ok(any_page)


def test_doctor_sees_the_case_and_expert_sees_no_name(page, sign_in, disability_world):
    sign_in(page, disability_world["doctor"])
    page.goto(reverse("referrals:detail", kwargs={"case_number": disability_world["case"]}))
    expect(page.locator("main")).to_contain_text(disability_world["citizen"].person.fin)
    assert_page_ok(page)
    page.context.clear_cookies()
    sign_in(page, disability_world["expert"])
    page.goto(reverse("msec:case", kwargs={"case_number": disability_world["case"]}))
    expect(page.locator("main")).to_contain_text(disability_world["case"])
    expect(page.locator("main")).not_to_contain_text(disability_world["citizen"].person.fin)
    assert Referral.objects.count() == 1
