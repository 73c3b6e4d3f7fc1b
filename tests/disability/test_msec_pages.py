"""The expert commission's pages: anonymised, of its own cases only, with the assessment's steps;
and the supervisors' pages that move a case to another commission."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disability.models import (
    Assessment,
    AssessmentState,
    DocumentRequest,
    Reassignment,
    Referral,
    ReferralState,
)
from disability.services.assessments import assessment_propose
from dost.accounts.models import Role, User
from dost.audit.models import AccessRecord, Channel, Subject
from tests.disability.conftest import PASSWORD, member_of

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
INDEX = reverse("msec:index")
SUPERVISION = reverse("disability_supervision:open_cases")


@pytest.fixture
def patient(make_person):
    return make_person(fin="5PGS1E1", first_name="Vüqar", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1980, 5, 17), phone="+994501234567")


@pytest.fixture
def referral(patient, refer) -> Referral:
    return refer(patient.fin, diagnoses=["G35", "I10"],
                 clinical_summary="Relapsing-remitting course since 2019.")


@pytest.fixture
def nigar(referral) -> User:
    return member_of(referral.commission, "nigar")


@pytest.fixture
def rashad(referral) -> User:
    return member_of(referral.commission, "rashad")


@pytest.fixture
def outsider(referral, commissions) -> User:
    other = next(commission for code, commission in commissions.items()
                 if commission != referral.commission and code != "msec-children")
    return member_of(other, "outsider")


def case_url(referral: Referral, name: str = "case", **kwargs) -> str:
    return reverse(f"msec:{name}", kwargs={"case_number": referral.case_number, **kwargs})


def percent_fields(referral: Referral, *percents: int) -> dict[str, int]:
    diagnoses = referral.diagnoses.order_by("-principal", "icd_id").values_list("pk", flat=True)
    return {f"percent_{pk}": percent for pk, percent in zip(diagnoses, percents, strict=True)}


def assessment_data(referral: Referral, *percents: int, **overrides) -> dict:
    data = {
        **percent_fields(referral, *(percents or (60, 40))),
        "cause": "general_illness", "duration": "2y",
        "next_review_on": (timezone.localdate() + dt.timedelta(days=730)).isoformat(),
        "lost_working_capacity": 40, "notes": "Walks 100 m with a stick.",
    }
    data.update(overrides)
    return data


def proposed_by(referral: Referral, expert: User) -> Assessment:
    diagnoses = referral.diagnoses.order_by("-principal", "icd_id").values_list("pk", flat=True)
    return assessment_propose(
        referral=referral, expert=expert, percentages=dict(zip(diagnoses, (60, 40), strict=True)),
        cause="general_illness", duration="2y",
        next_review_on=timezone.localdate() + dt.timedelta(days=730), lost_working_capacity=40)


def identity_of(referral: Referral, patient) -> list[str]:
    return [patient.fin, patient.first_name, patient.last_name, "Samir Rzayev", "Aynur",
            "baku-clinic-1", "Baku Polyclinic", "Bakı 1 saylı"]


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_the_commissions_cases_without_identity(client, referral, nigar, patient):
    client.force_login(nigar)

    response = client.get(INDEX, **EN)

    assert response.status_code == 200
    body = response.content.decode()
    assert referral.case_number in body
    assert "G35" in body and "45 to 59" in body
    for identity in identity_of(referral, patient):
        assert identity not in body


def test_list_shows_only_the_experts_own_commissions_cases(client, referral, outsider):
    client.force_login(outsider)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert referral.case_number not in response.content.decode()
    assert list(response.context["page"]) == []


def test_list_tabs_by_state(client, referral, nigar, rashad):
    proposed_by(referral, rashad)
    client.force_login(nigar)

    waiting = client.get(INDEX).content.decode()
    to_confirm = client.get(INDEX, {"state": "awaiting_confirmation"}).content.decode()

    assert referral.case_number not in waiting
    assert referral.case_number in to_confirm


def test_list_reads_the_same_queries_whatever_the_number_of_cases(client, referral, nigar,
                                                                  make_person, refer):
    client.force_login(nigar)
    client.get(INDEX)  # the session and the content types are loaded once
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    for fin in ("5PGS2E2", "5PGS3E3", "5PGS4E4"):
        made = refer(make_person(fin=fin).fin)
        Referral.objects.filter(pk=made.pk).update(commission=referral.commission)

    with CaptureQueriesContext(connection) as four:
        response = client.get(INDEX)

    assert len(response.context["page"]) == 4
    assert len(four) == len(one)


def test_list_is_logged_for_the_people_listed_without_the_case_number(client, referral, nigar,
                                                                      patient):
    client.force_login(nigar)

    client.get(INDEX)

    [record] = AccessRecord.objects.filter(person=patient)
    assert (record.actor, record.channel, record.what) == (nigar, Channel.MSEC,
                                                           Subject.DISABILITY_CASE)
    assert referral.case_number not in record.reason


def test_an_expert_of_no_commission_is_refused(client, expert, referral):
    client.force_login(expert)

    assert client.get(INDEX).status_code == 403
    assert client.get(case_url(referral)).status_code == 403


def test_other_roles_are_refused(client, charlie, alice, referral):
    for user in (charlie, alice):
        client.force_login(user)
        assert client.get(INDEX).status_code == 403
    client.logout()
    assert client.get(INDEX).status_code == 302


# --- the case ---------------------------------------------------------------------------------


def test_case_shows_the_medical_content_and_no_identity(client, referral, nigar, patient):
    client.force_login(nigar)

    response = client.get(case_url(referral), **EN)

    assert response.status_code == 200
    body = response.content.decode()
    for shown in ("Relapsing-remitting course since 2019.", "G35", "I10", "Mobility",
                  "severe difficulty", case_url(referral, "document", number=1),
                  f"{referral.case_number}-1.pdf"):
        assert shown in body
    for identity in identity_of(referral, patient):
        assert identity not in body


def test_opening_a_case_is_logged_for_the_person_without_the_case_number(client, referral,
                                                                         nigar, patient):
    client.force_login(nigar)

    client.get(case_url(referral))

    [record] = AccessRecord.objects.filter(person=patient)
    assert (record.actor, record.channel, record.what) == (nigar, Channel.MSEC,
                                                           Subject.DISABILITY_CASE)
    assert referral.case_number not in record.reason


def test_document_is_an_attachment_under_its_neutral_name(client, referral, nigar):
    client.force_login(nigar)

    response = client.get(case_url(referral, "document", number=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{referral.case_number}-1.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_expert_of_another_commission_gets_404_everywhere_on_the_case(client, referral,
                                                                         rashad, outsider):
    proposal = proposed_by(referral, rashad)
    client.force_login(outsider)

    answers = [
        client.get(case_url(referral)),
        client.get(case_url(referral, "document", number=1)),
        client.post(case_url(referral, "confirm", pk=proposal.pk)),
        client.post(case_url(referral, "withdraw", pk=proposal.pk), {"reason": "No."}),
        client.post(case_url(referral, "propose"), assessment_data(referral)),
        client.post(case_url(referral, "request_documents"), {"question": "X-ray"}),
    ]

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    proposal.refresh_from_db()
    assert proposal.state == AssessmentState.PROPOSED
    assert not DocumentRequest.objects.exists()


def test_an_unknown_document_is_404(client, referral, nigar):
    client.force_login(nigar)

    assert client.get(case_url(referral, "document", number=9)).status_code == 404


# --- the assessment on the page ---------------------------------------------------------------


def test_expert_proposes_and_sees_the_overall_percentage_and_degree(client, referral, nigar):
    client.force_login(nigar)

    response = client.post(case_url(referral, "propose"), assessment_data(referral, 60, 40),
                           follow=True, **EN)

    assessment = Assessment.objects.get()
    assert (assessment.assessed_by, assessment.overall_percent, assessment.degree) == (nigar, 70, 2)
    body = response.content.decode()
    assert "70 %" in body and "degree II" in body
    assert "Confirm the assessment" not in body  # not to its own author


def test_a_percentage_off_the_steps_is_refused_on_the_page(client, referral, nigar):
    client.force_login(nigar)

    response = client.post(case_url(referral, "propose"), assessment_data(referral, 33, 40),
                           **EN)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()
    referral.refresh_from_db()
    assert referral.state == ReferralState.ASSIGNED


def test_a_refusal_of_the_service_is_shown_on_the_page(client, referral, nigar):
    client.force_login(nigar)

    response = client.post(case_url(referral, "propose"),
                           assessment_data(referral, next_review_on="2020-01-01"), **EN)

    assert response.status_code == 400
    assert "The next review must be after today." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_proposal_after_a_colleagues_is_refused_above_the_case(client, referral, nigar,
                                                                 rashad):
    proposed_by(referral, rashad)
    client.force_login(nigar)

    response = client.post(case_url(referral, "propose"), assessment_data(referral, 80, 80),
                           **EN)

    assert response.status_code == 400
    assert "This case is not waiting for an assessment." in response.content.decode()
    assert Assessment.objects.get().assessed_by == rashad


def test_preview_without_javascript_shows_the_overall_percentage_and_saves_nothing(
        client, referral, nigar):
    client.force_login(nigar)

    response = client.post(case_url(referral, "propose"),
                           {**percent_fields(referral, 50, 50), "preview": "1"}, **EN)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>60 %</strong>, degree III" in body
    assert not Assessment.objects.exists()


def test_an_expert_confirming_their_own_assessment_is_refused(client, referral, nigar):
    proposal = proposed_by(referral, nigar)
    client.force_login(nigar)

    response = client.post(case_url(referral, "confirm", pk=proposal.pk), **EN)

    assert response.status_code == 400
    assert "you cannot confirm your own" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == AssessmentState.PROPOSED


def test_a_second_expert_confirms_on_the_page(client, referral, nigar, rashad):
    proposal = proposed_by(referral, rashad)
    client.force_login(nigar)

    response = client.post(case_url(referral, "confirm", pk=proposal.pk), follow=True, **EN)

    assert response.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.state, proposal.confirmed_by) == (AssessmentState.CONFIRMED, nigar)
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECIDED
    assert "Confirmed assessment" in response.content.decode()


def test_disagreeing_needs_a_reason_on_the_page(client, referral, nigar, rashad):
    proposal = proposed_by(referral, rashad)
    client.force_login(nigar)

    refused = client.post(case_url(referral, "withdraw", pk=proposal.pk), {"reason": ""})
    proposal.refresh_from_db()
    assert refused.status_code == 400 and proposal.state == AssessmentState.PROPOSED

    client.post(case_url(referral, "withdraw", pk=proposal.pk), {"reason": "Milder course."})
    proposal.refresh_from_db()
    assert proposal.state == AssessmentState.WITHDRAWN


def test_expert_requests_documents_and_the_case_waits(client, referral, nigar):
    client.force_login(nigar)

    response = client.post(case_url(referral, "request_documents"),
                           {"question": "The MRI of 2024."})

    assert response.status_code == 302
    request = DocumentRequest.objects.get()
    assert (request.referral, request.asked_by, request.question) == (
        referral, nigar, "The MRI of 2024.")
    referral.refresh_from_db()
    assert referral.state == ReferralState.DOCUMENTS_REQUESTED


def test_a_request_for_documents_without_a_question_is_refused(client, referral, nigar):
    client.force_login(nigar)

    response = client.post(case_url(referral, "request_documents"), {"question": " "})

    assert response.status_code == 400
    assert not DocumentRequest.objects.exists()


# --- the live preview -------------------------------------------------------------------------


def test_combine_gives_the_overall_percentage_and_degree(client, nigar):
    client.force_login(nigar)

    page = client.get(reverse("msec:combine"), {"p": ["60", "40"]}, **EN)
    fragment = client.get(reverse("msec:combine"), {"percent_7": "50", "percent_9": "50"},
                          HTTP_HX_REQUEST="true", **EN)
    child = client.get(reverse("msec:combine"), {"p": "65", "child": "1"}, **EN)

    assert page.status_code == 200 and "<strong>70 %</strong>, degree II" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "<strong>60 %</strong>, degree III" in fragment.content.decode()
    assert "disability under 18" in child.content.decode()


def test_combine_refuses_a_percentage_off_the_steps(client, nigar):
    client.force_login(nigar)

    response = client.get(reverse("msec:combine"), {"p": ["33"]}, **EN)

    assert response.status_code == 400
    assert "steps of 5" in response.content.decode()


# --- supervision ------------------------------------------------------------------------------


@pytest.fixture
def supervisor(db) -> User:
    user = User.objects.create_user(username="supervisor", password=PASSWORD, role=Role.STAFF)
    TOTP.activate(user, generate_totp_secret())
    user.user_permissions.add(Permission.objects.get(codename="reassign_referral"))
    return user


def reassign_url(referral: Referral) -> str:
    return reverse("disability_supervision:reassign", kwargs={"case_number": referral.case_number})


def test_supervision_lists_open_cases_by_commission_without_identity(client, referral,
                                                                      supervisor, patient):
    client.force_login(supervisor)

    response = client.get(SUPERVISION, **EN)

    assert response.status_code == 200
    body = response.content.decode()
    assert referral.case_number in body and referral.commission.code in body
    for identity in identity_of(referral, patient):
        assert identity not in body
    assert not AccessRecord.objects.exists()


def test_supervision_is_refused_without_the_permission(client, referral, charlie, nigar):
    for user in (charlie, nigar):
        client.force_login(user)
        assert client.get(SUPERVISION).status_code == 403
        assert client.get(reassign_url(referral)).status_code == 403


def test_supervisor_moves_a_case_with_a_reason(client, referral, supervisor, commissions):
    target = commissions["msec-2" if referral.commission.code == "msec-1" else "msec-1"]
    client.force_login(supervisor)

    response = client.post(reassign_url(referral),
                           {"commission": target.pk, "reason": "Conflict of interest."})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.commission == target
    assert Reassignment.objects.get().reason == "Conflict of interest."


def test_a_move_without_a_reason_is_refused_on_the_page(client, referral, supervisor,
                                                        commissions):
    target = commissions["msec-2" if referral.commission.code == "msec-1" else "msec-1"]
    commission = referral.commission
    client.force_login(supervisor)

    response = client.post(reassign_url(referral), {"commission": target.pk, "reason": ""})

    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.commission == commission
    assert not Reassignment.objects.exists()
