from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dost.accounts.services import citizen_account_create
from dost.certificates.services import certificate_issue
from dost.registry.models import Contribution, Person
from pensions.selectors import capital_statement, pension_calculator_facts, pension_projection
from tests.pensions.conftest import (
    MINIMUM_PENSION,
    TODAY,
    awards_of,
    employ,
    insure,
    run_rules,
)

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
    assert "1,234.56" in body
    assert "9,876.54" not in body
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


# Entitlement: the statement and the pension calculator decide it as the old-age rule does.


def test_statement_says_not_yet_entitled_when_neither_capital_nor_insurance_suffices(
        make_person, client, alice):
    insure(alice.person, range(2016, 2026), amount="500")  # 10 years, a small capital
    statement = capital_statement(person_id=alice.person_id, on=TODAY)
    client.force_login(alice)

    body = client.get(CAPITAL_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (statement.entitled, statement.pension) == (False, None)
    assert statement.capital_pension < MINIMUM_PENSION
    assert "Not yet entitled to an old-age labour pension" in body
    assert f"<strong>{MINIMUM_PENSION}" not in body  # the minimum is no promise


def test_statement_shows_the_pension_when_the_capital_pays_the_minimum(make_person):
    person = make_person(fin="1CAP010")
    insure(person, range(2006, 2016), amount="6000")  # 10 years, a capital above 144 × 349.76

    statement = capital_statement(person_id=person.pk, on=TODAY)

    assert statement.capital_pays_minimum
    assert statement.entitled
    assert statement.pension == statement.capital_pension


@pytest.mark.parametrize(("months", "entitled"), [(299, False), (300, True)])
def test_twenty_five_insured_years_entitle_to_the_minimum_whatever_the_capital(
        make_person, months, entitled):
    person = make_person(fin=f"1CAP{months}")
    insure(person, range(2001, 2026), amount="10")  # 25 years of contributions, next to nothing
    Contribution.objects.filter(person=person, year=2025).update(insured_months=months - 288)

    statement = capital_statement(person_id=person.pk, on=TODAY)

    assert statement.entitled is entitled
    assert statement.pension == (MINIMUM_PENSION if entitled else None)


def test_insurance_period_is_shown_in_completed_tenths_of_a_year(make_person, client, alice):
    # 299 months: 24.92 years is 24.9, not the 25 that would read as entitling.
    insure(alice.person, range(2001, 2026), amount="10")
    Contribution.objects.filter(person=alice.person, year=2025).update(insured_months=11)
    client.force_login(alice)

    body = client.get(CAPITAL_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "24.9 years" in body
    assert "it is 24.9 years" in body


def test_capital_certificate_says_not_yet_entitled_instead_of_the_minimum(alice):
    insure(alice.person, range(2016, 2026), amount="500")

    certificate = certificate_issue(person=alice.person, kind="pension_capital_statement",
                                    language="en", shared=["amounts"])

    assert certificate.facts["capital_pension"] == "Not yet entitled"


def test_capital_statement_and_pension_calculator_agree_for_seeded_people(db):
    call_command("seed_population", people=200, seed=3, no_progress=True, stdout=StringIO())
    people = Person.objects.filter(contributions__isnull=False).distinct()
    verdicts = set()

    for person in people:
        statement = capital_statement(person_id=person.pk, on=TODAY)
        facts = pension_calculator_facts(person_id=person.pk, on=TODAY)
        # The calculator for today: no contributions or years still to come.
        today = pension_projection(sex=facts.sex, birth_date=facts.birth_date,
                                   capital=facts.capital, insured_years=facts.insured_years,
                                   monthly_contributions=Decimal(0), working_years=Decimal(0),
                                   on=TODAY)

        assert (today.capital, today.insured_years, today.capital_pension, today.entitled) == (
            statement.capital.capital, statement.capital.insured_years,
            statement.capital_pension, statement.entitled), person.fin
        assert (today.pension if today.entitled else None) == statement.pension, person.fin
        verdicts.add(statement.entitled)

    assert verdicts == {True, False}  # people of both kinds were compared


def test_calculator_page_of_a_seeded_pensioner_shows_what_the_statement_does(client, db):
    call_command("seed_population", people=200, seed=3, no_progress=True, stdout=StringIO())
    # A seeded person past the retirement age with contributions: nothing is still to come.
    person = (Person.objects.filter(contributions__isnull=False, death_date__isnull=True,
                                    birth_date__lte=dt.date(1960, 1, 1))
              .order_by("fin").first())
    assert person is not None
    user = citizen_account_create(person=person, password="correct-horse-battery-9")
    client.force_login(user)

    projection = client.get(reverse("esocial:pension_calculator"),
                            HTTP_ACCEPT_LANGUAGE="en").context["projection"]
    statement = client.get(CAPITAL_URL, HTTP_ACCEPT_LANGUAGE="en").context["statement"]

    assert projection.retired and projection.months_ahead == 0
    assert projection.capital == statement.capital.capital
    assert projection.entitled == statement.entitled
    assert (projection.pension if projection.entitled else None) == statement.pension


def test_a_statement_before_the_years_indexation_is_decreed_is_indexed_to_the_last_year(
    make_person,
):
    person = make_person(fin="1CPS001")
    insure(person, range(2020, 2026), amount="1000")

    early_2027 = capital_statement(person_id=person.pk, on=dt.date(2027, 1, 15))
    end_2026 = capital_statement(person_id=person.pk, on=dt.date(2026, 12, 31))

    assert early_2027.indexation_pending
    assert early_2027.indexed_to == dt.date(2026, 12, 31)
    assert early_2027.capital.capital == end_2026.capital.capital
    assert not end_2026.indexation_pending
