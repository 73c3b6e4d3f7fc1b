"""The citizen's targeted assistance pages: who sees a case, and what a decision shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dost.accounts.services import citizen_account_create
from dost.applications.models import Application
from dost.audit.models import DecisionEntry
from dost.bridge.registers import Vehicle
from dost.errors import DomainError
from dost.registry.models import EmploymentSpell, FamilyRelation, RelationKind
from tests.vemtas.households import apply, household, person
from vemtas.checks import cases_cross_check
from vemtas.models import Case, CaseState
from vemtas.services import case_open

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
PASSWORD = "correct-horse-battery-9"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _decide(case: Case, *, visit: bool = False) -> Case:
    if not visit:
        Case.objects.filter(pk=case.pk).update(visit_required=False)
    cases_cross_check(case_ids=[case.pk], on=TODAY)
    case.refresh_from_db()
    return case


def _signed_in(client, someone):
    user = citizen_account_create(person=someone, password=PASSWORD)
    client.force_login(user)
    return client


def _detail(case: Case) -> str:
    return reverse("assistance:case_detail", args=[case.pk])


@pytest.fixture
def awarded(db):
    """A mother and two children, 150 a month declared and nothing else found."""
    _home, (mother, daughter, son) = household(dt.date(1990, 5, 1), dt.date(2016, 2, 2),
                                               dt.date(2019, 3, 3))
    case = _decide(apply(mother, on=TODAY, income="150"))
    assert case.state == CaseState.AWARDED
    return case


@pytest.fixture
def refused(db):
    """A mother with a car and a wage she did not declare."""
    _home, (mother, _son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-123", make="Toyota Prius",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    EmploymentSpell.objects.create(person=mother, employer_name="Azersu",
                                   employer_tin="1234567890", occupation_code="1234",
                                   started_on=dt.date(2024, 1, 1), monthly_wage=Decimal(900),
                                   source_id="tax")
    case = _decide(apply(mother, on=TODAY, income="100"))
    assert case.state == CaseState.REFUSED
    return case


def test_the_applicant_sees_their_case_in_the_list_with_a_link_to_it(client, awarded):
    _signed_in(client, awarded.applicant)

    response = client.get(reverse("assistance:case_list"), **ENGLISH)

    assert response.status_code == 200
    page = response.content.decode()
    assert _detail(awarded) in page
    assert awarded.application.reference in page


def test_the_list_links_to_the_e_application_the_citizen_submitted(client, make_person):
    home, (mother,) = household(dt.date(1990, 5, 1))
    user = citizen_account_create(person=mother, password=PASSWORD)
    client.force_login(user)
    response = client.post(
        reverse("esocial:application_new", args=["targeted_social_assistance"]),
        {"monthly_income": "100", "truthful": "on"})
    assert response.status_code == 302
    application = Application.objects.get(person=mother)

    page = client.get(reverse("assistance:case_list"), **ENGLISH).content.decode()

    assert reverse("esocial:application_detail", args=[application.pk]) in page


def test_an_award_shows_the_amount_the_period_and_how_it_was_computed(client, awarded):
    _signed_in(client, awarded.applicant)

    response = client.get(_detail(awarded), **ENGLISH)

    assert response.status_code == 200
    page = response.content.decode()
    assert "awarded" in page.lower()
    # 300 × 3 − 150 = 750 a month, for the year from 1 March 2026.
    assert awarded.criterion == Decimal(300) and awarded.members_counted == 3
    assert awarded.amount == Decimal(750)
    for figure in ("300", "900", "150", "750"):
        assert figure in page
    assert "March 1, 2026" in page and "February 28, 2027" in page
    assert reverse("complaints:new") + f"?decision={_entry(awarded).pk}" in page


def _entry(case: Case) -> DecisionEntry:
    if case.state == CaseState.REFUSED:
        return DecisionEntry.objects.get(subject=f"tssa-case:{case.pk}")
    return DecisionEntry.objects.get(award_id=case.award_id, kind="award")


def test_a_refusal_shows_each_ground_with_its_source_and_the_declared_and_found_values(
        client, refused):
    _signed_in(client, refused.applicant)

    response = client.get(_detail(refused), **ENGLISH)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A vehicle other than a rehabilitation vehicle from the state" in page
    assert "Income found above the income declared" in page
    # Each ground's institution, by the source's title.
    assert "Vehicles" in page
    assert "Income: wages, pensions and benefits" in page
    assert "10-AB-123 Toyota Prius" in page
    assert "100.00" in page and "900.00" in page


def test_a_refusal_offers_to_contest_it_with_the_decision_named(client, refused):
    _signed_in(client, refused.applicant)
    entry = _entry(refused)

    page = client.get(_detail(refused), **ENGLISH).content.decode()

    contest = reverse("complaints:new") + f"?decision={entry.pk}"
    assert contest in page
    form = client.get(contest, **ENGLISH)
    assert form.status_code == 200
    # The appeal form comes with this decision chosen and the appeals category.
    assert form.context["form"].initial["decision"] == str(entry.pk)
    assert form.context["form"].initial["category"] == "decision_appeal"


def test_the_assessment_ground_names_the_home_visit_as_its_source(client, refused):
    refused.discrepancies.update(source="assessment")
    _signed_in(client, refused.applicant)

    page = client.get(_detail(refused), **ENGLISH).content.decode()

    assert "home visit" in page


@pytest.fixture
def represented(db):
    """A ward living alone, and her registered legal representative who applied for her."""
    home, (ward,) = household(dt.date(1950, 5, 1))
    guardian = person(None, birth=dt.date(1975, 1, 1), phone="+994501112299",
                      first_name="Kamran", sex="M")
    FamilyRelation.objects.create(person=ward, relative=guardian, kind=RelationKind.GUARDIAN,
                                  source_id="justice")
    case = apply(ward, on=TODAY, income="50", submitted_by=guardian)
    return case, ward, guardian


def test_the_representative_who_applied_sees_the_case(client, represented):
    case, _ward, guardian = represented
    _signed_in(client, guardian)

    listed = client.get(reverse("assistance:case_list"), **ENGLISH)
    shown = client.get(_detail(case), **ENGLISH)

    assert _detail(case) in listed.content.decode()
    assert shown.status_code == 200
    assert "registered legal representative" in shown.content.decode()


def test_the_represented_applicant_sees_their_case_too(client, represented):
    case, ward, _guardian = represented
    _signed_in(client, ward)

    assert client.get(_detail(case)).status_code == 200


def test_the_representative_is_told_to_contest_at_a_centre(client, represented):
    case, _ward, guardian = represented
    case = _decide(case)
    assert case.state == CaseState.AWARDED
    _signed_in(client, guardian)

    page = client.get(_detail(case), **ENGLISH).content.decode()

    # An appeal on the portal names a decision about whoever files it: not the ward's.
    assert "?decision=" not in page
    assert "DOST centre" in page and _entry(case).reference in page


def test_a_third_party_gets_404_for_a_case(client, bob, awarded):
    client.force_login(bob)

    assert client.get(_detail(awarded)).status_code == 404
    assert _detail(awarded) not in client.get(reverse("assistance:case_list")).content.decode()


def test_a_third_party_posting_another_household_as_applicant_is_refused_and_nothing_saved(
        client):
    """The form offers only the user and their wards; someone else's FIN is refused."""
    _home, (ward,) = household(dt.date(1950, 5, 1))
    guardian = person(None, birth=dt.date(1975, 1, 1), phone="+994501112299")
    FamilyRelation.objects.create(person=ward, relative=guardian, kind=RelationKind.GUARDIAN,
                                  source_id="justice")
    _other_home, (stranger,) = household(dt.date(1960, 1, 1), phone="+994501112200")
    _signed_in(client, guardian)
    before = (Application.objects.count(), Case.objects.count())

    response = client.post(
        reverse("esocial:application_new", args=["targeted_social_assistance"]),
        {"applicant": stranger.fin, "monthly_income": "10", "truthful": "on"}, **ENGLISH)

    assert response.status_code == 400
    assert "whose registered legal representative you are" in response.content.decode()
    assert (Application.objects.count(), Case.objects.count()) == before


def test_the_case_service_refuses_a_submitter_who_does_not_represent_the_applicant():
    _home, (stranger,) = household(dt.date(1960, 1, 1))
    intruder = person(None, birth=dt.date(1980, 1, 1))
    application = Application.objects.create(person=intruder,
                                             type_code="targeted_social_assistance",
                                             status="submitted", data={})
    before = Case.objects.count()

    with translation.override("en"), pytest.raises(DomainError) as refusal:
        case_open(application=application, applicant=stranger, submitted_by=intruder,
                  declared_income=Decimal(10), declared_business=False, confirmed=[],
                  on=TODAY)

    assert refusal.value.code == "not_representative"
    assert "legal representative" in str(refusal.value.message)
    assert Case.objects.count() == before


def test_the_list_costs_the_same_queries_for_one_case_or_several(client,
                                                                 django_assert_num_queries):
    _home, (mother,) = household(dt.date(1990, 5, 1))
    user = citizen_account_create(person=mother, password=PASSWORD)
    client.force_login(user)

    def closed_case(applied_on: dt.date) -> None:
        case = apply(mother, on=applied_on, income="50")
        Case.objects.filter(pk=case.pk).update(state=CaseState.REFUSED)
        Application.objects.filter(pk=case.application_id).update(status="rejected")

    closed_case(dt.date(2024, 3, 1))
    client.get(reverse("assistance:case_list"))  # sessions, user: warmed up
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assistance:case_list"))
    closed_case(dt.date(2025, 3, 1))
    closed_case(dt.date(2026, 3, 1))

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("assistance:case_list"))
    assert len(response.context["cases"]) == 3
