"""The employer's page: its current staff as the registry holds them, each look logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dost.accounts.models import Role, User
from dost.audit.models import AccessRecord, Channel, Subject
from dost.registry.models import EmploymentSpell
from employment.demo import demo_employment
from employment.models import Employer, EmployerRepresentative

PAGE = reverse("employment:employer")
TIN = "1402000001"


def _job(person, *, tin: str = TIN, name: str = "Bakı Tekstil", ended_on=None,
         started_on=dt.date(2018, 5, 1)) -> EmploymentSpell:
    return EmploymentSpell.objects.create(
        person=person, employer_name=name, employer_tin=tin, occupation_code="7531",
        started_on=started_on, ended_on=ended_on, monthly_wage=Decimal("850"),
        source_id="labour")


@pytest.fixture
def representative(db) -> User:
    user = User.objects.create_user(username="tekstil", password="x", role=Role.EMPLOYER)
    employer = Employer.objects.create(tin=TIN, name="Bakı Tekstil")
    EmployerRepresentative.objects.create(user=user, employer=employer)
    return user


def test_an_employer_sees_its_current_staff_and_not_former_or_others(client, representative,
                                                                    make_person):
    current = make_person(first_name="Rauf", last_name="Nəbiyev")
    former = make_person(first_name="Sona", last_name="Əsgərova")
    elsewhere = make_person(first_name="Orxan", last_name="Qasımov")
    _job(current)
    _job(former, ended_on=dt.date(2024, 1, 31))
    _job(elsewhere, tin="9999999999", name="Gəncə Şərab")
    client.force_login(representative)

    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rauf" in page and current.fin in page
    assert "Sona" not in page and "Orxan" not in page


def test_each_employee_shown_finds_the_employer_in_their_access_log(client, representative,
                                                                    make_person):
    shown = make_person()
    other = make_person()
    _job(shown)
    client.force_login(representative)

    client.get(PAGE)

    record = AccessRecord.objects.get(person=shown)
    assert (record.channel, record.what) == (Channel.EMPLOYER, Subject.EMPLOYMENT)
    assert record.actor == representative
    assert "Bakı Tekstil" in record.reason
    assert not AccessRecord.objects.filter(person=other).exists()


def test_an_employer_account_not_linked_yet_is_told_whom_to_ask(client, db, make_person):
    _job(make_person())
    user = User.objects.create_user(username="newco", password="x", role=Role.EMPLOYER)
    client.force_login(user)

    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "not linked to an employer" in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_the_staff_list_is_paged(client, representative, make_person):
    for _ in range(51):
        _job(make_person())
    client.force_login(representative)

    first = client.get(PAGE)
    second = client.get(PAGE, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert AccessRecord.objects.count() == 51


# Officials who need a second factor are covered by the access matrix (tests/security).
@pytest.mark.parametrize("role", [Role.CITIZEN, Role.DOCTOR])
def test_other_roles_cannot_see_an_employers_staff(client, db, make_person, role):
    person = make_person()
    user = User.objects.create_user(username="someone", password="x", role=role,
                                    person=person if role == Role.CITIZEN else None)
    client.force_login(user)

    assert client.get(PAGE).status_code == 403


def test_the_demo_employer_acts_for_the_employer_with_most_staff(db, make_person, settings):
    settings.DEBUG = True
    User.objects.create_user(username="employer", password="x", role=Role.EMPLOYER)
    _job(make_person(), tin="1111111111", name="Kiçik MMC")
    for _ in range(2):
        _job(make_person())

    lines = demo_employment(dt.date(2026, 12, 1))

    assert Employer.objects.get().tin == TIN
    assert lines and demo_employment(dt.date(2026, 12, 1)) == []
