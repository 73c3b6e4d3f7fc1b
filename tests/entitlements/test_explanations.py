"""Explanations a citizen reads: parameter names, amounts and dates in az, en and ru, with
estimates marked, on the award pages and the award certificate alike."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont

from dost.certificates.fonts import manat_font
from dost.certificates.services import certificate_issue
from dost.entitlements.models import Award
from dost.entitlements.parameter_labels import (
    ParameterLabel,
    Unit,
    format_parameter_value,
    register_parameter_labels,
)
from dost.entitlements.selectors import Explanation, award_explanation
from dost.formatting import capfirst, format_date, format_money, format_number, format_percent
from tests.certificates.conftest import pdf_font_names
from tests.pensions.conftest import (
    TODAY,
    awards_of,
    find_disabled,
    insure,
    make_parent,
    run_rules,
)

# Azerbaijani amounts: thousands a no-break space apart, a decimal comma, the manat sign.
AZ_MONEY = re.compile(r"\d{1,3}(?:\xa0\d{3})+,\d{2}\xa0₼")
AZ_MONTHS = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr",
             "oktyabr", "noyabr", "dekabr")


def explained(award: Award, language: str) -> Explanation:
    with translation.override(language):
        return award_explanation(award)


def reasons(award: Award, language: str) -> str:
    return " ".join(explained(award, language).reasons)


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture
def retiree(make_person) -> Award:
    """A man who reached 65 on 2025-02-01, with a capital of over 100 000 manat."""
    person = make_person(fin="1XPL001", sex="M", birth_date=dt.date(1960, 2, 1))
    insure(person, range(2006, 2026), amount="4000")
    run_rules(person)
    [award] = awards_of(person, "old_age_pension")
    return award


def give_birth(make_person, *, born: dt.date, on: dt.date, fin: str = "1XPM001") -> Award:
    mother = make_person(fin=fin, sex="F", birth_date=dt.date(1995, 3, 1))
    child = make_person(fin=fin[:-1] + "9", first_name="Nərgiz", birth_date=born)
    make_parent(child, mother)
    run_rules(mother, on=on)
    [award] = awards_of(mother, "childbirth_allowance")
    return award


# The formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "amount", "day", "rate"), [
    ("az", "102\xa0560,69\xa0₼", "1 dekabr 2026", "9,3%"),
    ("en", "AZN\xa0102,560.69", "December 1, 2026", "9.3%"),
    ("ru", "102\xa0560,69\xa0AZN", "1 декабря 2026\u202fг.", "9,3\xa0%"),
])
def test_each_language_writes_amounts_dates_and_percentages_its_own_way(language, amount, day,
                                                                        rate):
    with translation.override(language):
        assert format_money("102560.69") == amount
        assert format_date(dt.date(2026, 12, 1)) == day
        assert format_percent("0.093") == rate


def test_amounts_are_rounded_half_up_as_the_rules_round():
    assert format_money("0.125", language="en") == "AZN\xa00.13"
    assert format_number("30.45", places=1, language="en") == "30.5"


def test_a_number_keeps_its_decimals_without_trailing_zeros():
    assert format_number("80.640", language="az") == "80,64"
    assert format_number("1200", language="az") == "1\xa0200"


def test_azerbaijani_capitalises_a_dotted_i_as_dotted():
    assert capfirst("istifadəçilər", language="az") == "İstifadəçilər"
    assert capfirst("ıldırım", language="az") == "Ildırım"
    assert capfirst("insurance", language="en") == "Insurance"


# Sentences -----------------------------------------------------------------------------


def test_azerbaijani_explanation_groups_thousands_with_spaces_and_uses_the_manat_sign(retiree):
    text = reasons(retiree, "az")

    capital = format_money(retiree.facts["pension_capital"], language="az")
    assert AZ_MONEY.fullmatch(capital)
    assert capital in text
    assert "AZN" not in text


def test_azerbaijani_explanation_writes_months_in_lower_case(retiree):
    text = reasons(retiree, "az")

    assert "1 fevral 2025" in text
    assert not any(month.capitalize() in text for month in AZ_MONTHS)


def test_russian_explanation_uses_russian_forms_without_a_doubled_full_stop(retiree):
    text = reasons(retiree, "ru")

    assert format_money(retiree.facts["pension_capital"], language="ru") in text
    assert "1 февраля 2025\u202fг." in text
    assert "г.." not in text


def test_english_explanation_uses_english_forms(retiree):
    text = reasons(retiree, "en")

    capital = format_money(retiree.facts["pension_capital"], language="en")
    assert f"Your pension capital is {capital} and your insurance period 20 years." in text
    assert "You reached the retirement age of 65 years on February 1, 2025." in text


def test_indexation_sentence_dates_and_formats_the_rise(retiree):
    retiree.facts = {**retiree.facts, "indexations": [
        {"year": 2026, "rate": "0.093", "before": "1212.19", "after": "1324.92"}]}

    [azerbaijani] = [sentence for sentence in explained(retiree, "az").reasons
                     if "2026" in sentence]
    for part in ("1 yanvar 2026", "9,3%", "1\xa0212,19\xa0₼", "1\xa0324,92\xa0₼"):
        assert part in azerbaijani
    assert ("On January 1, 2026, your pension was indexed by 9.3%: from AZN\xa01,212.19 to "
            "AZN\xa01,324.92.") in reasons(retiree, "en")


def test_childbirth_explanation_states_the_amount(make_person):
    award = give_birth(make_person, born=TODAY - dt.timedelta(days=10), on=TODAY)

    assert award.amount == 600
    assert "The allowance for a child born on that day is AZN\xa0600.00, paid once." in \
        reasons(award, "en")
    assert "600,00\xa0₼" in reasons(award, "az")
    assert "600,00\xa0AZN" in reasons(award, "ru")


# Parameters ----------------------------------------------------------------------------


def test_parameter_names_are_in_the_readers_language(retiree):
    for language in ("az", "en", "ru"):
        parameters = explained(retiree, language).parameters
        names = {parameter.code: parameter.name for parameter in parameters}

        assert names["minimum_pension"] == translated(language, "Minimum old-age pension")
        assert all(name != code for code, name in names.items())
    assert translated("az", "Minimum old-age pension") != "Minimum old-age pension"


def test_parameter_values_are_written_in_their_unit(retiree):
    values = {parameter.code: parameter.value for parameter in explained(retiree, "az").parameters}

    assert values["minimum_pension"] == "349,76\xa0₼"
    with translation.override("az"):
        assert values["expected_payment_months"] == translation.ngettext(
            "%(count)s month", "%(count)s months", 144) % {"count": "144"}


def test_retirement_age_shows_only_the_mans_age_in_force_when_he_reached_it(retiree):
    ages = [parameter for parameter in explained(retiree, "en").parameters
            if parameter.code.startswith("retirement_age")]

    assert [(age.code, age.value, age.starts_on) for age in ages] == [
        ("retirement_age_men_months", "65 years", dt.date(2020, 7, 1))]


def test_table_parameter_shows_only_the_entry_for_the_age_at_the_finding(make_person):
    worker = make_person(fin="1XPD001", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(worker, range(2010, 2026))
    find_disabled(worker, determined_on=dt.date(2026, 6, 1))
    run_rules(worker)
    [award] = awards_of(worker, "disability_pension")

    values = {parameter.code: parameter.value for parameter in explained(award, "en").parameters}

    assert values["disability_pension_coefficients"] == "80.64 (at age 43)"
    assert values["disability_min_insurance_months"] == "96 months (at age 41)"


def test_table_parameter_without_the_fact_shows_its_first_and_last_entries():
    with translation.override("en"):
        shown = format_parameter_value("disability_pension_coefficients",
                                       {"18": 8.64, "43": 80.64, "65": 144}, {})

    assert shown == "8.64 (at age 18) … 144 (at age 65)"


def test_dated_parameter_shows_only_the_value_in_force_on_the_birth(make_person):
    award = give_birth(make_person, born=TODAY - dt.timedelta(days=10), on=TODAY)

    [allowance] = [parameter for parameter in explained(award, "en").parameters
                   if parameter.code == "childbirth_allowance"]

    assert (allowance.value, allowance.starts_on) == ("AZN\xa0600.00", dt.date(2025, 7, 1))


def test_unlabelled_parameter_keeps_its_code_and_value():
    award = Award(rule="no.such.rule", benefit="x", amount=1, facts={}, parameters={})
    assert award_explanation(award).parameters == []
    with translation.override("en"):
        assert format_parameter_value("mystery_parameter", "12.5", {}) == "12.5"


def test_a_parameter_is_labelled_once():
    register_parameter_labels({"minimum_pension": ParameterLabel(
        translation.gettext_lazy("Minimum old-age pension"), Unit.MONEY)})  # the same: harmless

    with pytest.raises(ValueError, match="labelled twice"):
        register_parameter_labels({"minimum_pension": ParameterLabel("Other", Unit.NUMBER)})


# Estimates -----------------------------------------------------------------------------


def test_an_estimated_amount_is_marked_in_the_sentence_and_the_list(make_person):
    # 500 AZN from 2023: the date of that law is estimated.
    award = give_birth(make_person, born=dt.date(2024, 3, 1), on=dt.date(2024, 3, 10))

    explanation = explained(award, "en")

    assert award.amount == 500
    assert "is AZN\xa0500.00 (an estimate), paid once." in " ".join(explanation.reasons)
    [allowance] = [parameter for parameter in explanation.parameters
                   if parameter.code == "childbirth_allowance"]
    assert (allowance.value, allowance.starts_on, allowance.estimate) == (
        "AZN\xa0500.00", dt.date(2023, 1, 1), True)


def test_an_amount_from_an_official_source_is_not_marked(make_person):
    award = give_birth(make_person, born=TODAY - dt.timedelta(days=10), on=TODAY)

    explanation = explained(award, "en")

    assert "estimate" not in " ".join(explanation.reasons)
    [allowance] = [parameter for parameter in explanation.parameters
                   if parameter.code == "childbirth_allowance"]
    assert not allowance.estimate


def test_estimated_coefficient_is_marked_in_the_disability_sentence(make_person):
    worker = make_person(fin="1XPD002", sex="M", birth_date=dt.date(1983, 5, 1))
    insure(worker, range(2010, 2026))
    find_disabled(worker, determined_on=dt.date(2026, 6, 1))
    run_rules(worker)
    [award] = awards_of(worker, "disability_pension")

    text = reasons(award, "en")

    assert "coefficient 80.64 (an estimate) for that age" in text
    assert "at least 96 months (an estimate) are needed" in text


# Pages and the certificate -------------------------------------------------------------


def test_award_page_in_azerbaijani_writes_the_amount_date_and_estimate(client, alice,
                                                                       make_person):
    child = make_person(fin="1XPC009", first_name="Nərgiz", birth_date=dt.date(2024, 3, 1))
    make_parent(child, alice.person)
    run_rules(alice.person, on=dt.date(2024, 3, 10))
    client.force_login(alice)

    page = client.get(reverse("esocial:my_awards"), HTTP_ACCEPT_LANGUAGE="az").content.decode()

    estimate = translated("az", "%(value)s (an estimate)") % {"value": "500,00\xa0₼"}
    assert estimate in page
    assert "1 yanvar 2023" in page  # the allowance's value in force from
    assert translated("az", "Lump-sum childbirth allowance") in page
    assert "childbirth_allowance" not in page


def test_award_certificate_writes_as_the_award_page_does(alice, make_person):
    child = make_person(fin="1XPC019", first_name="Nərgiz", birth_date=dt.date(2024, 3, 1))
    make_parent(child, alice.person)
    run_rules(alice.person, on=dt.date(2024, 3, 10))
    [award] = awards_of(alice.person, "childbirth_allowance")
    contexts = []

    def capture(sender, template, context, **kwargs):
        if template.name == "certificates/award_statement.html":
            contexts.append(context.flatten())

    template_rendered.connect(capture)
    try:
        certificate = certificate_issue(person=alice.person, kind="award_statement",
                                        options={"award": award.pk}, language="az",
                                        shared=["amounts"])
    finally:
        template_rendered.disconnect(capture)

    # The page the PDF was made from, rendered again as it was, in the certificate's language.
    [context] = contexts
    with translation.override("az"):
        page = render_to_string("certificates/award_statement.html", context)
    with translation.override("az"):
        estimate = translation.gettext("%(value)s (an estimate)") % {"value": "500,00\xa0₼"}
        once = translation.gettext("%(amount)s, paid once") % {"amount": "500,00\xa0₼"}
    assert estimate in page
    assert translated("az", "Lump-sum childbirth allowance") in page
    assert "1 mart 2024" in page  # from
    assert "childbirth_allowance" not in page
    assert certificate.facts["amount"] == once
    # DejaVu has no manat sign: the one-glyph font after it in the style draws it.
    assert any("DOST-Manat" in font for font in pdf_font_names(bytes(certificate.pdf)))


def test_manat_font_draws_the_manat_sign_and_nothing_else():
    font = TTFont(io.BytesIO(manat_font()))

    assert font.getBestCmap() == {0x20BC: "manat"}
    assert font["glyf"]["manat"].numberOfContours == 2


def test_award_list_on_the_dashboard_formats_the_amount(client, alice, make_person):
    child = make_person(fin="1XPC029", first_name="Nərgiz",
                        birth_date=TODAY - dt.timedelta(days=3))
    make_parent(child, alice.person)
    run_rules(alice.person)
    client.force_login(alice)

    page = client.get(reverse("esocial:application_list"),
                      HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert translated("ru", "%(amount)s, paid once") % {"amount": "600,00\xa0AZN"} in page
