"""The employer's page as a browser shows it: accessible, on a desk and on a phone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from dost.accounts.models import Role, User
from dost.registry.models import EmploymentSpell
from employment.models import Employer, EmployerRepresentative
from tests.e2e.harness import E2E, assert_page_ok

pytestmark = E2E


def test_employer_lands_on_its_personnel_record(any_page, sign_in, make_person):
    employer = Employer.objects.create(tin="1402000001", name="Bakı Tekstil")
    user = User.objects.create_user(username="tekstil", password="x", role=Role.EMPLOYER)
    EmployerRepresentative.objects.create(user=user, employer=employer)
    EmploymentSpell.objects.create(
        person=make_person(first_name="Rauf", last_name="Nəbiyev"), employer_name=employer.name,
        employer_tin=employer.tin, occupation_code="7531", started_on=dt.date(2018, 5, 1),
        monthly_wage=Decimal("850"), source_id="labour")
    sign_in(any_page, user)
    any_page.goto(reverse("employment:employer"))
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Bakı Tekstil")
    expect(any_page.locator("main table")).to_contain_text("Nəbiyev")
    assert_page_ok(any_page)
