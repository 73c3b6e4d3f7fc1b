from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pensions.selectors import capital_statement
from tests.pensions.conftest import TODAY, awards_of, employ, insure, run_rules

CAPITAL_URL = "/pensions/capital/"


def test_capital_page_has_its_address():
    assert reverse("pensions:capital") == CAPITAL_URL


def test_capital_statement_equals_what_the_old_age_rule_relied_on(make_person):
    retiree = make_person(fin="1CAP001", sex="M", birth_date=dt.date(1960, 2, 1))
    employ(retiree, dt.date(1984, 9, 1), dt.date(1997, 3, 15))
    employ(retiree, dt.date(2001, 5, 1), None)  # still working: only 2001-2005 is credited
    insure(retiree, range(2006, 2026), amount="2345.67")
    insure(retiree, range(2026, 2027), amount="1500", months=10)
    run_rules(retiree)
    [award] = awards_of(retiree, "old_age_pension")

    statement = capital_statement(person_id=retiree.pk, on=TODAY)

    capital = statement.capital
    assert capital.capital.quantize(Decimal("0.01")) == Decimal(
        str(award.facts["pension_capital"]))
    assert capital.insured_years.quantize(Decimal("0.1")) == Decimal(
        str(award.facts["insured_years"]))
    assert statement.capital_pension == Decimal(str(award.facts["capital_pension"]))
    assert statement.pension == award.amount


def test_capital_statement_takes_two_queries(make_person, django_assert_num_queries):
    person = make_person(fin="1CAP002")
    insure(person, range(2006, 2026))
    employ(person, dt.date(2000, 1, 1), dt.date(2004, 1, 1))

    with django_assert_num_queries(2):
        statement = capital_statement(person_id=person.pk, on=TODAY)

    assert len(statement.capital.years) == 20


def test_capital_page_shows_only_the_signed_in_citizens_contributions(client, alice, bob):
    insure(alice.person, range(2019, 2020), amount="1234.56")
    insure(bob.person, range(2020, 2021), amount="9876.54")
    client.force_login(alice)

    response = client.get(CAPITAL_URL, HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    assert "1234.56" in body
    assert "9876.54" not in body
    assert '<th scope="row">2019</th>' in body
    assert "2020</th>" not in body


def test_capital_page_refuses_other_roles(client, charlie):
    client.force_login(charlie)

    assert client.get(CAPITAL_URL).status_code == 403


def test_capital_page_sends_visitors_to_sign_in(client):
    response = client.get(CAPITAL_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_capital_page_renders_in_every_language(client, alice, language):
    client.force_login(alice)

    assert client.get(CAPITAL_URL, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
