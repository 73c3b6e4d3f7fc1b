"""The back-office pages of targeted social assistance: the queue by state, a case's
cross-check report side by side, overturning a decision, assigning the home visit, who
may open them, and the access log they write."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dost.accounts.models import Role, User
from dost.audit.models import AccessRecord, DecisionEntry, Subject
from dost.bridge.registers import Vehicle
from dost.entitlements.models import Award
from dost.registry.models import EmploymentSpell
from tests.vemtas.households import apply, household
from vemtas.checks import cases_cross_check
from vemtas.models import Assessment, AssessmentState, Case, CaseState, Ground

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
QUEUE = reverse("vemtas_staff:queue")
REASON = "The vehicle was sold in 2019; the register has not caught up."


def case_url(case: Case, name: str = "case") -> str:
    return reverse(f"vemtas_staff:{name}", args=[case.pk])


def today() -> dt.date:
    return timezone.localdate()


def decided(case: Case) -> Case:
    cases_cross_check(case_ids=[case.pk], on=today())
    case.refresh_from_db()
    return case


def row_html(body: str, key: str) -> str:
    """The report's row of one check, as the page renders it."""
    match = re.search(rf'<tr id="check-{key}">(.*?)</tr>', body, re.DOTALL)
    assert match, f"no row {key}"
    return match.group(1)


@pytest.fixture
def staff_page(client, charlie):
    client.force_login(charlie)
    return client


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user(username="root", password="correct-horse-battery-9",
                                    role=Role.ADMIN, is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def refused_for_vehicle_and_wages() -> Case:
    """A mother and her son; she owns a car and earns wages she did not declare."""
    _home, (mother, _son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-123", make="Toyota Prius",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    EmploymentSpell.objects.create(person=mother, employer_name="Azersu",
                                   employer_tin="1234567890", occupation_code="1234",
                                   started_on=dt.date(2024, 1, 1), monthly_wage=Decimal(900),
                                   source_id="tax")
    return decided(apply(mother, on=today(), income="100"))


@pytest.fixture
def refused_for_vehicle() -> Case:
    """Refused only because a car is registered to the mother: there is an amount."""
    _home, (mother, _son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-124", make="Lada 2107",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    case = decided(apply(mother, on=today(), income="100"))
    assert case.state == CaseState.REFUSED and case.amount == case.criterion * 2 - 100
    return case


@pytest.fixture
def awarded() -> Case:
    _home, (mother, _son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    case = apply(mother, on=today(), income="100")
    Case.objects.filter(pk=case.pk).update(visit_required=False)
    case = decided(case)
    assert case.state == CaseState.AWARDED
    return case


# --- the queue --------------------------------------------------------------------------------


@pytest.fixture
def queue_cases(make_person, make_case) -> dict[str, list[Case]]:
    retry_at = timezone.now() + dt.timedelta(minutes=10)
    return {
        "checking": [make_case(make_person(first_name=f"Nərmin{n}")) for n in range(2)],
        "waiting": [make_case(make_person(first_name="Vüsal"), state=CaseState.WAITING,
                              waiting_for=["income", "vehicles"], retry_at=retry_at)],
        "refused": [make_case(make_person(first_name="Rüstəm"), state=CaseState.REFUSED)],
    }


def test_the_queue_counts_cases_in_each_state(staff_page, queue_cases):
    response = staff_page.get(QUEUE, **EN)
    assert response.status_code == 200
    counts = {value: count for value, _label, count in response.context["states"]}
    assert counts == {"checking": 2, "waiting": 1, "visit": 0, "eligible": 0, "awarded": 0,
                      "refused": 1}
    body = response.content.decode()
    assert 'href="?state=waiting"' in body and 'href="?state=refused"' in body


def test_the_queue_filters_by_state_the_oldest_first(staff_page, queue_cases):
    response = staff_page.get(QUEUE, {"state": "checking"}, **EN)
    assert [case.pk for case, _waiting in response.context["rows"]] == [
        case.pk for case in queue_cases["checking"]]
    body = response.content.decode()
    assert "Nərmin0" in body and "Vüsal" not in body and "Rüstəm" not in body


def test_a_waiting_case_shows_the_sources_not_answered_and_the_next_attempt(staff_page,
                                                                            queue_cases):
    response = staff_page.get(QUEUE, {"state": "waiting"}, **EN)
    body = response.content.decode()
    assert "Vüsal" in body and "Nərmin0" not in body
    assert "Income: wages, pensions and benefits" in body and "Vehicles" in body
    assert "Next attempt" in body


def test_an_unknown_state_is_refused_with_a_message_and_lists_nobody(staff_page, queue_cases,
                                                                     charlie):
    response = staff_page.get(QUEUE, {"state": "lost"}, **EN)
    assert response.status_code == 400
    assert "There is no such state" in response.content.decode()
    assert not AccessRecord.objects.filter(actor=charlie).exists()


def test_listing_the_queue_logs_a_look_at_each_applicant_listed(staff_page, queue_cases,
                                                                charlie):
    staff_page.get(QUEUE, {"state": "checking"})
    logged = AccessRecord.objects.filter(actor=charlie, what=Subject.ASSISTANCE_CASE)
    assert set(logged.values_list("person_id", flat=True)) == {
        case.applicant_id for case in queue_cases["checking"]}


def test_the_queue_reads_the_same_queries_for_more_cases(staff_page, make_person, make_case):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_page.get(QUEUE, {"state": "checking"}).status_code == 200
        return len(captured)

    make_case(make_person(first_name="First"))
    few = queries()
    for n in range(5):
        make_case(make_person(first_name=f"More{n}"))
    assert queries() == few


def test_the_visits_tab_lists_home_visits_by_state_with_the_worker(staff_page, make_person,
                                                                   make_case, charlie):
    waiting = make_case(make_person(first_name="Visited"), state=CaseState.VISIT)
    Assessment.objects.create(case=waiting)
    response = staff_page.get(QUEUE, {"visits": "unassigned"}, **EN)
    assert response.status_code == 200
    counts = {value: count for value, _label, count in response.context["visit_states"]}
    assert counts == {"unassigned": 1, "scheduled": 0, "signed": 0}
    assert "Visited" in response.content.decode()
    assert AccessRecord.objects.filter(actor=charlie, person_id=waiting.applicant_id).exists()


# --- a case's report --------------------------------------------------------------------------


def test_the_report_shows_declared_and_found_side_by_side_for_a_refused_case(
        staff_page, refused_for_vehicle_and_wages):
    case = refused_for_vehicle_and_wages
    response = staff_page.get(case_url(case), **EN)
    assert response.status_code == 200
    body = response.content.decode()

    income = row_html(body, "income")
    assert "100.00 a month on average" in income  # declared
    assert "900.00 a month on average" in income  # found
    assert "Azersu" in income and "Income: wages, pensions and benefits" in income
    assert "ground for refusal" in income
    assert "income found above the income declared" in income.lower()

    vehicles = row_html(body, "vehicles")
    assert "10-AB-123 Toyota Prius" in vehicles and "ground for refusal" in vehicles

    household_row = row_html(body, "household")
    assert "agrees" in household_row and "ground for refusal" not in household_row
    grounds = {row.key: row.result for row in response.context["report"]}
    assert grounds["business"] == "ok" and grounds["real_estate"] == "ok"
    # Every discrepancy is in a row of its check, none left over.
    assert "other" not in grounds


def test_every_discrepancy_of_the_case_is_shown_once(staff_page, refused_for_vehicle_and_wages):
    case = refused_for_vehicle_and_wages
    response = staff_page.get(case_url(case), **EN)
    shown = [ground for row in response.context["report"] for ground in row.grounds]
    assert len(shown) == case.discrepancies.count() == 3
    assert {str(ground.label) for ground in shown} == {
        str(Ground.VEHICLE.label), str(Ground.INCOME_UNDECLARED.label),
        str(Ground.INCOME_ABOVE_CRITERION.label)}


def test_a_case_not_yet_checked_says_so_in_every_row(staff_page, make_person, make_case):
    case = make_case(make_person())
    response = staff_page.get(case_url(case), **EN)
    assert response.status_code == 200
    assert {row.result for row in response.context["report"]} == {"pending"}
    assert response.context["overturn_form"] is None


def test_the_case_page_links_the_e_application_and_lists_the_members(
        staff_page, refused_for_vehicle_and_wages):
    case = refused_for_vehicle_and_wages
    response = staff_page.get(case_url(case), **EN)
    body = response.content.decode()
    assert reverse("esocial:staff_application", args=[case.application_id]) in body
    ages = sorted(row.age for row in response.context["members"])
    assert len(ages) == 2 and ages[1] >= 45


def test_opening_a_case_logs_a_look_at_each_member_with_the_case_number(
        staff_page, charlie, refused_for_vehicle_and_wages):
    case = refused_for_vehicle_and_wages
    staff_page.get(case_url(case), **EN)
    logged = AccessRecord.objects.filter(actor=charlie, what=Subject.ASSISTANCE_CASE)
    assert set(logged.values_list("person_id", flat=True)) == set(
        case.members.values_list("person_id", flat=True))
    assert all(str(case.pk) in record.reason for record in logged)
    # The page itself shows who looked, this look included.
    response = staff_page.get(case_url(case), **EN)
    assert any(record.actor_id == charlie.pk for record in response.context["accesses"])


def test_the_case_page_shows_the_decision_log_entry_of_the_refusal(
        staff_page, refused_for_vehicle_and_wages):
    case = refused_for_vehicle_and_wages
    response = staff_page.get(case_url(case), **EN)
    kinds = [row.entry.kind for row in response.context["decisions"]]
    assert kinds == ["refusal"]


def test_an_awarded_case_shows_the_computation_and_the_award_period(staff_page, awarded):
    response = staff_page.get(case_url(awarded), **EN)
    computed = response.context["computation"]
    assert (computed.criterion * computed.members - computed.income) == computed.amount
    assert computed.amount == awarded.amount
    assert [award.pk for award in response.context["awards"]] == [awarded.award_id]
    assert "award" in [row.entry.kind for row in response.context["decisions"]]


def test_a_case_that_does_not_exist_is_a_404(staff_page):
    assert staff_page.get(reverse("vemtas_staff:case", args=[999_999])).status_code == 404
    assert staff_page.post(reverse("vemtas_staff:overturn", args=[999_999]),
                           {"reason": REASON}).status_code == 404


@pytest.mark.parametrize("role", ["alice", "agent", "expert"])
def test_other_roles_are_refused_the_pages(client, request, role, refused_for_vehicle):
    client.force_login(request.getfixturevalue(role))
    assert client.get(QUEUE).status_code == 403
    assert client.get(case_url(refused_for_vehicle)).status_code == 403
    assert client.post(case_url(refused_for_vehicle, "overturn"),
                       {"reason": REASON}).status_code == 403
    refused_for_vehicle.refresh_from_db()
    assert refused_for_vehicle.state == CaseState.REFUSED


def test_an_administrator_opens_a_case(client, administrator, refused_for_vehicle):
    client.force_login(administrator)
    assert client.get(case_url(refused_for_vehicle)).status_code == 200


# --- overturning ------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "too short"])
def test_overturning_without_a_reason_is_refused_and_changes_nothing(staff_page, reason,
                                                                     refused_for_vehicle):
    case = refused_for_vehicle
    entries = DecisionEntry.objects.count()
    response = staff_page.post(case_url(case, "overturn"), {"reason": reason}, **EN)
    assert response.status_code == 400
    assert response.context["overturn_form"].errors["reason"]
    case.refresh_from_db()
    assert (case.state, case.overturned_by_id, case.overturn_reason) == (
        CaseState.REFUSED, None, "")
    assert DecisionEntry.objects.count() == entries
    assert not Award.objects.filter(person_id=case.applicant_id).exists()


def test_overturning_a_refusal_awards_and_logs_the_reason_and_the_official(
        staff_page, charlie, refused_for_vehicle):
    case = refused_for_vehicle
    response = staff_page.post(case_url(case, "overturn"), {"reason": REASON}, **EN)
    assert response.status_code == 302 and response.url == case_url(case)
    case.refresh_from_db()
    assert case.state == CaseState.AWARDED
    assert (case.overturned_by_id, case.overturn_reason) == (charlie.pk, REASON)
    award = Award.objects.get(pk=case.award_id)
    assert award.benefit == "tssa" and award.amount == case.amount > 0
    entry = DecisionEntry.objects.get(subject=f"tssa-case:{case.pk}", kind="application")
    assert entry.decided_by == f"official:{charlie.pk}"
    assert entry.details["reason"] == REASON and entry.details["to"] == "awarded"

    page = staff_page.get(case_url(case), **EN)
    assert "The decision has been overturned: the case is now awarded." in (
        page.content.decode())
    shown = [row for row in page.context["decisions"] if row.reason == REASON]
    assert [row.decided_by for row in shown] == ["charlie"]


def test_overturning_an_award_stops_it(staff_page, charlie, awarded):
    response = staff_page.post(case_url(awarded, "overturn"), {"reason": REASON})
    assert response.status_code == 302
    awarded.refresh_from_db()
    assert awarded.state == CaseState.REFUSED and awarded.overturned_by_id == charlie.pk
    award = Award.objects.get(pk=awarded.award_id)
    assert award.status == Award.Status.STOPPED
    assert award.period_end < awarded.period_end
    assert DecisionEntry.objects.filter(award_id=award.pk, kind="stop").exists()
    entry = DecisionEntry.objects.get(subject=f"tssa-case:{awarded.pk}", kind="application")
    assert entry.details["reason"] == REASON and entry.details["to"] == "refused"


def test_a_refusal_with_no_amount_to_award_is_not_overturned(staff_page,
                                                            refused_for_vehicle_and_wages):
    case = refused_for_vehicle_and_wages
    assert case.amount == 0
    response = staff_page.post(case_url(case, "overturn"), {"reason": REASON}, **EN)
    assert response.status_code == 400
    assert "there is no amount to award" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED and case.overturned_by_id is None


def test_a_case_not_decided_cannot_be_overturned(staff_page, make_person, make_case):
    case = make_case(make_person())
    response = staff_page.post(case_url(case, "overturn"), {"reason": REASON}, **EN)
    assert response.status_code == 400
    assert "Only a decided case can be overturned." in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.CHECKING


# --- the home visit from the case page --------------------------------------------------------


@pytest.fixture
def waiting_for_visit(make_person, make_case) -> tuple[Case, Assessment]:
    case = make_case(make_person(first_name="Günel"), state=CaseState.VISIT)
    return case, Assessment.objects.create(case=case)


def test_staff_assign_the_visit_from_the_case_page(staff_page, charlie, waiting_for_visit):
    case, assessment = waiting_for_visit
    page = staff_page.get(case_url(case), **EN)
    assert page.context["assign_form"] is not None
    day = today() + dt.timedelta(days=2)
    response = staff_page.post(case_url(case, "assign"),
                               {"worker": charlie.pk, "day": day.isoformat(), "time": "10:30"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.state, assessment.worker_id) == (AssessmentState.SCHEDULED, charlie.pk)


def test_a_visit_in_the_past_is_refused_and_nothing_is_assigned(staff_page, charlie,
                                                                waiting_for_visit):
    case, assessment = waiting_for_visit
    yesterday = today() - dt.timedelta(days=1)
    response = staff_page.post(case_url(case, "assign"),
                               {"worker": charlie.pk, "day": yesterday.isoformat(),
                                "time": "10:00"}, **EN)
    assert response.status_code == 400
    assert "The visit must be at a time still to come." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.UNASSIGNED and assessment.worker_id is None


def test_a_case_without_a_visit_has_no_assignment(staff_page, refused_for_vehicle, charlie):
    response = staff_page.post(case_url(refused_for_vehicle, "assign"),
                               {"worker": charlie.pk, "day": today().isoformat(),
                                "time": "10:00"})
    assert response.status_code == 404
