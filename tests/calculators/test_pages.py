"""The calculator pages: open to anyone, clear about bad input, pre-filled only from one's own
record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation

from pensions.selectors import capital_statement
from tests.pensions.conftest import employ, insure

WAGE_URL = "/calculators/wage/"
PENSION_URL = "/calculators/pension/"


def test_calculators_have_their_addresses():
    assert reverse("esocial:wage_calculator") == WAGE_URL
    assert reverse("esocial:pension_calculator") == PENSION_URL


def get(client, url, language="en", **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


# Wage calculator ---------------------------------------------------------------------


def test_wage_page_shows_an_empty_form_first(client, db):
    response = get(client, WAGE_URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="gross"' in body
    assert "result-heading" not in body


def test_wage_page_lists_each_deduction_with_its_source(client, db):
    response = get(client, WAGE_URL, gross="1000", sector="private", on="2025-06-01")

    body = response.content.decode()
    assert response.status_code == 200
    assert "889.00 AZN" in body        # net
    assert "1,189.00 AZN" in body      # employer's total cost
    assert "86.00" in body and "164.00" in body
    assert "3 % up to 200 AZN; 10 % above 200 AZN" in body
    assert "Law on social insurance, art. 14.1-1" in body


def test_wage_page_applies_the_law_of_the_chosen_day(client, db):
    response = get(client, WAGE_URL, gross="1000", sector="private", on="2026-01-01")

    assert "859.00 AZN" in response.content.decode()


def test_wage_page_accepts_a_decimal_comma(client, db):
    response = get(client, WAGE_URL, gross="1 000,00", sector="private", on="2025-06-01")

    assert "889.00 AZN" in response.content.decode()


@pytest.mark.parametrize(("gross", "message"), [
    ("-5", "Enter a wage greater than 0 AZN."),
    ("0", "Enter a wage greater than 0 AZN."),
    ("abc", "Enter an amount in numbers, for example 1250.50."),
    ("NaN", "Enter an amount in numbers, for example 1250.50."),
    ("1e12", "Enter a monthly wage below 1,000,000 AZN."),
    ("", "This field is required."),
])
def test_wage_page_explains_bad_wages(client, db, gross, message):
    response = get(client, WAGE_URL, gross=gross, sector="private")

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'aria-describedby="id_gross_helptext id_gross_error"' in body
    assert 'id="id_gross_error"' in body
    assert "result-heading" not in body


def test_wage_page_refuses_a_day_before_the_known_rates(client, db):
    response = get(client, WAGE_URL, gross="1000", sector="private", on="2018-05-01")

    body = response.content.decode()
    assert "Rates are known from" in body
    assert 'id="id_on_error"' in body
    assert "result-heading" not in body


def test_wage_page_refuses_an_unknown_sector(client, db):
    response = get(client, WAGE_URL, gross="1000", sector="bank")

    assert 'id="id_sector_error"' in response.content.decode()


# Pension calculator ------------------------------------------------------------------


def test_pension_page_gives_the_retirement_date(client, db):
    response = get(client, PENSION_URL, sex="M", birth_date="1960-01-15")

    body = response.content.decode()
    assert response.status_code == 200
    assert "You reached the retirement age (65 years) on Jan. 15, 2025." in body


def test_pension_page_counts_contributions_on_the_wage(client, db):
    response = get(client, PENSION_URL, sex="F", birth_date="2000-01-01",
                   monthly_wage="1000", sector="private", working_years="10")

    body = response.content.decode()
    # 250 AZN a month of social insurance for 120 months
    assert "250.00 AZN × 120 months = 30,000.00 AZN" in body


def test_pension_page_prefers_contributions_given_directly(client, db):
    response = get(client, PENSION_URL, sex="F", birth_date="2000-01-01",
                   monthly_wage="1000", monthly_contributions="100", working_years="1")

    assert "100.00 AZN × 12 months = 1,200.00 AZN" in response.content.decode()


def test_pension_page_shows_the_parameters_with_their_sources(client, db):
    response = get(client, PENSION_URL, sex="F", birth_date="1990-05-01")

    body = response.content.decode()
    assert "Expected payment period (divisor of the capital)" in body
    assert "Law on labour pensions, art. 8 (2017 reform)" in body


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"sex": "F", "birth_date": "2999-01-01"}, "birth_date",
     "The date of birth cannot be in the future."),
    ({"sex": "F", "birth_date": "31.02.1970"}, "birth_date", "Enter a date, for example"),
    ({"sex": "F", "birth_date": "1850-01-01"}, "birth_date", "Enter a date of birth after 1900."),
    ({"sex": "", "birth_date": "1970-01-01"}, "sex", "Choose your sex."),
    ({"sex": "F", "birth_date": "1970-01-01", "capital": "-100"}, "capital",
     "Enter 0 or a positive amount."),
    ({"sex": "F", "birth_date": "1970-01-01", "capital": "1e15"}, "capital",
     "That amount is too large to be a real one."),
    ({"sex": "F", "birth_date": "1970-01-01", "insured_years": "many"}, "insured_years",
     "Enter a number of years, for example 12.5."),
    ({"sex": "F", "birth_date": "2000-01-01", "insured_years": "40"}, "insured_years",
     "The insurance period cannot be longer than your age."),
    ({"sex": "F", "birth_date": "1970-01-01", "working_years": "-1"}, "working_years",
     "Enter 0 or a positive number of years."),
])
def test_pension_page_explains_bad_input(client, db, params, field, message):
    response = get(client, PENSION_URL, **params)

    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert "result-heading" not in body


def test_pension_page_is_empty_for_a_visitor(client, db):
    response = get(client, PENSION_URL)

    body = response.content.decode()
    assert "result-heading" not in body
    assert "Filled in from your record" not in body


def test_pension_page_is_prefilled_from_the_citizens_own_record(client, alice, bob):
    insure(alice.person, range(2010, 2020), amount="1234.56")
    employ(alice.person, dt.date(2015, 1, 1), None)
    insure(bob.person, range(2010, 2020), amount="9876.54")
    client.force_login(alice)

    response = get(client, PENSION_URL)

    body = response.content.decode()
    form = response.context["form"]
    assert "Filled in from your record" in body
    assert form.initial["birth_date"] == dt.date(1990, 1, 1)
    assert form.initial["sex"] == "F"
    assert form.initial["insured_years"] == Decimal("10.0")
    assert form.initial["monthly_wage"] == Decimal("500.00")
    assert form.initial["capital"] > Decimal("12345.60")  # indexed since paid
    assert form.initial["capital"] == own_capital(alice)
    # Exactly the capital statement's, so that the two agree (test_capital_statement_...).
    assert response.context["projection"].capital_now == capital_statement(
        person_id=alice.person_id, on=timezone.localdate()).capital.capital
    with translation.override("en"):
        assert floatformat(own_capital(alice), "2g") in body
        assert floatformat(own_capital(bob), "2g") not in body


def own_capital(user) -> Decimal:
    statement = capital_statement(person_id=user.person_id, on=timezone.localdate())
    return statement.capital.capital.quantize(Decimal("0.01"))


def test_pension_page_uses_what_the_citizen_typed_over_the_record(client, alice):
    insure(alice.person, range(2010, 2020), amount="1234.56")
    client.force_login(alice)

    response = get(client, PENSION_URL, sex="F", birth_date="1990-01-01", capital="1000")

    assert response.context["projection"].capital_now == Decimal("1000")
    assert "Filled in from your record" not in response.content.decode()


def test_pension_page_prefills_nothing_for_staff(client, charlie):
    client.force_login(charlie)

    response = get(client, PENSION_URL)

    assert response.status_code == 200
    assert response.context["projection"] is None


@pytest.mark.parametrize("language", ["az", "en", "ru"])
@pytest.mark.parametrize("url", [WAGE_URL + "?gross=1000&sector=public",
                                 PENSION_URL + "?sex=F&birth_date=1970-01-01"])
def test_calculators_render_in_every_language(client, db, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert "result-heading" in response.content.decode()
