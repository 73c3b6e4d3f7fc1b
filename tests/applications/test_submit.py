from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from dost.accounts.services import citizen_account_create
from dost.applications.form_base import ApplicationForm
from dost.applications.models import Application, ApplicationEvent
from dost.applications.registry import (
    ApplicationType,
    PrefilledFact,
    application_type,
    register_application_type,
    unregister_application_type,
)
from dost.applications.services import InvalidApplication, application_form, application_submit
from dost.applications.statuses import Status
from dost.audit.models import DecisionEntry
from dost.errors import DomainError
from dost.registry.models import Household, Person
from employment.applications import insured_months_in_window
from tests.applications.conftest import VALID_IBAN, apply_for_unemployment, lay_off


def _facts(application: Application) -> dict[str, dict]:
    return {fact["key"]: fact for fact in application.prefilled}


def test_submitted_application_keeps_the_registry_facts_with_their_sources(alice):
    lay_off(alice.person)
    application = apply_for_unemployment(alice)
    facts = _facts(application)
    assert application.status == Status.SUBMITTED
    assert facts["employer"]["value"]["en"] == "Bakı Tekstil"
    assert facts["employer"]["source"] == "labour"
    assert facts["end_reason"]["value"]["en"] == "staff reduction"
    assert facts["insured_months"]["source"] == "sssf"
    assert facts["name"]["source"] == "justice"


def test_submitted_application_stores_the_answers_and_a_reference(alice):
    lay_off(alice.person)
    application = apply_for_unemployment(alice, bank_account="az21 nabz 0000 0000 1370 1000 1944")
    assert application.data == {"bank_account": VALID_IBAN, "looking_for_work": True}
    assert application.reference == f"{application.submitted_at:%Y}-{application.pk:07d}"
    event = ApplicationEvent.objects.get(application=application)
    assert (event.status_from, event.status_to, event.actor) == ("", Status.SUBMITTED, alice)


def test_bank_account_is_not_asked_when_one_is_on_file(make_person):
    person = make_person(bank_account=VALID_IBAN)
    form = application_form(kind=application_type("unemployment_insurance"), person=person)
    assert "bank_account" not in form.fields
    assert "looking_for_work" in form.fields


def test_bank_account_is_asked_when_none_is_on_file(alice):
    form = application_form(kind=application_type("unemployment_insurance"), person=alice.person)
    assert "bank_account" in form.fields


def test_invalid_iban_is_refused_and_saves_nothing(alice):
    lay_off(alice.person)
    with pytest.raises(InvalidApplication) as refused:
        apply_for_unemployment(alice, bank_account="AZ00NABZ00000000137010001944")
    assert "bank_account" in refused.value.form.errors
    assert not Application.objects.exists()
    assert not ApplicationEvent.objects.exists()


@pytest.mark.parametrize(("language", "message"), [
    ("en", "This IBAN&#x27;s check digits are wrong."),
    ("az", "Bu IBAN-ın nəzarət rəqəmləri yanlışdır."),
    ("ru", "Контрольные цифры этого IBAN неверны."),
])
def test_invalid_iban_gets_a_message_in_the_users_language(client, alice, language, message):
    lay_off(alice.person)
    client.force_login(alice)
    response = client.post(
        reverse("esocial:application_new", args=["unemployment_insurance"]),
        {"bank_account": "AZ00NABZ00000000137010001944", "looking_for_work": "on"},
        HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'aria-describedby="id_bank_account_helptext id_bank_account_error"' in body
    assert 'id="id_bank_account_error"' in body
    assert not Application.objects.exists()


@pytest.mark.parametrize(("language", "message"), [
    ("en", "This field is required."),
    ("az", "Bu sahə tələb edilir."),
    ("ru", "Обязательное поле."),
])
def test_missing_answers_get_a_message_in_the_users_language(client, alice, language, message):
    client.force_login(alice)
    response = client.post(reverse("esocial:application_new", args=["unemployment_insurance"]),
                           {}, HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count(message) == 2  # the IBAN and the declaration
    assert 'aria-invalid="true"' in body
    assert not Application.objects.exists()


def test_new_application_page_shows_known_facts_read_only_with_their_source(client, alice):
    lay_off(alice.person)
    client.force_login(alice)
    response = client.get(reverse("esocial:application_new", args=["unemployment_insurance"]),
                          HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Bakı Tekstil" in body
    assert "Electronic labour contracts system" in body
    assert "State Social Protection Fund" in body
    assert 'name="employer"' not in body
    assert 'name="bank_account"' in body


def test_submitting_through_the_page_leads_to_the_application(client, alice):
    lay_off(alice.person)
    client.force_login(alice)
    response = client.post(reverse("esocial:application_new", args=["unemployment_insurance"]),
                           {"bank_account": VALID_IBAN, "looking_for_work": "on"})
    application = Application.objects.get()
    assert response["Location"] == reverse("esocial:application_detail", args=[application.pk])


def test_unknown_service_page_is_not_found(client, alice):
    client.force_login(alice)
    response = client.get(reverse("esocial:application_new", args=["no_such_service"]))
    assert response.status_code == 404


def test_a_second_open_application_for_the_same_service_is_refused(alice):
    lay_off(alice.person)
    first = apply_for_unemployment(alice)
    with pytest.raises(DomainError, match=first.reference):
        apply_for_unemployment(alice)
    assert Application.objects.count() == 1


def test_citizen_cannot_apply_for_someone_else(alice, bob):
    with pytest.raises(DomainError):
        application_submit(person=bob.person, type_code="unemployment_insurance",
                           data={"bank_account": VALID_IBAN, "looking_for_work": "on"},
                           submitted_by=alice)
    assert not Application.objects.exists()


def test_a_job_ended_by_resignation_is_refused_at_once_with_the_reason(alice):
    lay_off(alice.person, reason="resignation")
    with translation.override("en"):
        application = apply_for_unemployment(alice)
    application.refresh_from_db()
    decision = application.events.order_by("id").last()
    assert application.status == Status.REJECTED
    assert decision.actor is None
    assert "does not cover" in decision.note


def test_a_refusal_by_the_rule_is_appended_to_the_decision_log(alice):
    lay_off(alice.person, reason="resignation")
    application = apply_for_unemployment(alice)
    entry = DecisionEntry.objects.get()
    assert (entry.kind, entry.subject, entry.decided_by) == (
        "application", application.reference, "unemployment_insurance")
    assert entry.details["status"] == Status.REJECTED
    # The facts it was decided on are hashed, not copied into the permanent log.
    assert VALID_IBAN not in str(entry.details)


def test_an_application_left_to_staff_is_not_yet_in_the_decision_log(alice):
    lay_off(alice.person)
    apply_for_unemployment(alice)
    assert not DecisionEntry.objects.exists()


def test_too_few_insured_months_are_refused_at_once(alice):
    lay_off(alice.person, insured_years=0)
    application = apply_for_unemployment(alice)
    application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_an_eligible_application_waits_for_staff(alice):
    lay_off(alice.person)
    application = apply_for_unemployment(alice)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_insured_months_count_only_the_window_before_the_job_ended():
    contributions = [(2023, 12), (2024, 12), (2025, 12)]
    # Window: March 2023 – February 2025: 10 + 12 + 2 months.
    assert insured_months_in_window(contributions, ended_on=dt.date(2025, 2, 14)) == 24
    assert insured_months_in_window([(2023, 4)], ended_on=dt.date(2025, 2, 14)) == 4
    assert insured_months_in_window([(2022, 12)], ended_on=dt.date(2025, 2, 14)) == 0


class _RefusingForm(ApplicationForm):
    pass


def _refuse(application: Application) -> None:
    raise DomainError("refused by the subsystem")


def test_a_refusing_submit_hook_saves_nothing(alice):
    register_application_type(ApplicationType(
        code="test_refusing", title="Test", form_class=_RefusingForm,
        prefill=lambda person: {"fin": PrefilledFact("FIN", person.fin, "justice")},
        on_submit=_refuse))
    try:
        with pytest.raises(DomainError, match="refused by the subsystem"):
            application_submit(person=alice.person, type_code="test_refusing", data={},
                               submitted_by=alice)
    finally:
        unregister_application_type("test_refusing")
    assert not Application.objects.exists()
    assert not ApplicationEvent.objects.exists()


def test_a_deceased_person_cannot_apply(alice):
    Person.objects.filter(pk=alice.person_id).update(death_date="2026-01-01")
    alice.person.refresh_from_db()
    with pytest.raises(DomainError):
        apply_for_unemployment(alice)


def test_household_members_are_prefilled_and_only_what_the_state_cannot_know_is_asked(
        make_person):
    household = Household.objects.create(region_id="nasimi", address="Nizami küç. 5",
                                         source_id="justice")
    mother = make_person(household_id=household.pk, bank_account=VALID_IBAN)
    daughter = make_person(first_name="Aysel", household_id=household.pk,
                           birth_date=dt.date(2015, 5, 5))
    user = citizen_account_create(person=mother, password="correct-horse-battery-9")
    application = application_submit(
        person=mother, type_code="targeted_social_assistance",
        data={"monthly_income": "350.50", "truthful": "on", "members": [str(daughter.pk)]},
        submitted_by=user)
    facts = _facts(application)
    assert facts["members"]["value"]["en"] == "2"
    assert "Aysel" in facts["member_2"]["value"]["en"]
    assert application.data == {"applicant": mother.fin, "members": [str(daughter.pk)],
                                "monthly_income": "350.50", "declared_business": False,
                                "truthful": True}
    case = application.tssa_case
    assert case.applicant == mother and case.declared_income == Decimal("350.50")
    assert set(case.members.filter(confirmed=True).values_list("person_id", flat=True)) == {
        mother.pk, daughter.pk}
