"""An expert's assessment, its confirmation by a second expert, and the move of a case."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from disability.models import (
    AssessedCondition,
    Assessment,
    AssessmentState,
    Commission,
    Reassignment,
    Referral,
    ReferralState,
    RegisterEntry,
)
from disability.services import assessments
from disability.services.assessments import (
    assessment_confirm,
    assessment_propose,
    assessment_withdraw,
    combined_percent,
    degree_for,
    percent_recorded,
    referral_reassign,
)
from dost.accounts.models import Role, User
from dost.audit.models import DecisionEntry
from dost.errors import DomainError
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock
from tests.disability.conftest import PASSWORD, member_of

WAIT_SECONDS = 10


# --- the combination rule ---------------------------------------------------------------------


@pytest.mark.parametrize(("percentages", "overall"), [
    ([40], 40),                 # one condition: its own percentage
    ([40, 40], 50),             # equal: + 10
    ([40, 60], 70),             # different: the highest + 10
    ([60, 40, 20], 70),         # three: still the highest + 10, once
    ([95, 50], 100),            # never above 100
    ([100, 100], 100),
    ([45, 0], 45),              # a condition at 0 % adds nothing
    ([0, 0], 0),
    ([], 0),
])
def test_combination_rule(percentages, overall):
    assert combined_percent(percentages) == overall


@pytest.mark.parametrize(("raw", "recorded"), [(31, 35), (33, 35), (35, 35), (36, 40), (0, 0),
                                               (100, 100)])
def test_a_range_of_the_criteria_is_recorded_as_its_top_step(raw, recorded):
    assert percent_recorded(raw) == recorded


def test_31_to_35_is_recorded_as_35_and_gives_degree_three():
    assert combined_percent([percent_recorded(32)]) == 35
    assert degree_for(combined_percent([percent_recorded(32)])) == 3


@pytest.mark.parametrize("percentages", [[33], [40, 42], [105], [-5], [40, 110]])
def test_percentages_off_the_5_percent_steps_or_out_of_range_are_refused(percentages):
    with pytest.raises(DomainError) as refused:
        combined_percent(percentages)
    assert refused.value.code == "percent_step"


@pytest.mark.parametrize(("percent", "degree"), [
    (100, 1), (81, 1), (80, 2), (61, 2), (60, 3), (31, 3), (30, None), (0, None),
])
def test_degree_by_percentage(percent, degree):
    assert degree_for(percent) == degree


# --- proposing --------------------------------------------------------------------------------


@pytest.fixture
def patient(make_person):
    return make_person(fin="5ASM1E1", first_name="Vüqar", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1980, 5, 17), phone="+994501234567")


@pytest.fixture
def child(make_person):
    return make_person(fin="5ASMCH1", first_name="Aysu", last_name="Əliyeva",
                       birth_date=dt.date(2016, 3, 1))


@pytest.fixture
def referral(patient, refer) -> Referral:
    return refer(patient.fin, diagnoses=["G35", "I10"])


@pytest.fixture
def first_expert(referral) -> User:
    return member_of(referral.commission, "first")


@pytest.fixture
def second_expert(referral) -> User:
    return member_of(referral.commission, "second")


@pytest.fixture
def outsider(referral, commissions) -> User:
    """An expert of another commission."""
    other = next(commission for commission in commissions.values()
                 if commission != referral.commission)
    return member_of(other, "outsider")


def in_two_years() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=730)


def percentages_of(referral: Referral, *percents: int) -> dict[int, int]:
    diagnoses = referral.diagnoses.order_by("-principal", "icd_id").values_list("pk", flat=True)
    return dict(zip(diagnoses, percents, strict=True))


def propose(referral: Referral, expert: User, *percents: int, **overrides: Any) -> Assessment:
    fields = {
        "cause": "general_illness", "duration": "2y", "next_review_on": in_two_years(),
        "lost_working_capacity": 40, "notes": "Walks 100 m with a stick.",
    }
    fields.update(overrides)
    return assessment_propose(referral=referral, expert=expert,
                              percentages=percentages_of(referral, *(percents or (60, 40))),
                              **fields)


def test_proposal_combines_the_conditions_and_waits_for_a_second_expert(referral, first_expert):
    assessment = propose(referral, first_expert, 60, 40)

    assert (assessment.state, assessment.overall_percent, assessment.degree,
            assessment.under_18) == (AssessmentState.PROPOSED, 70, 2, False)
    assert sorted(assessment.conditions.values_list("percent", flat=True)) == [40, 60]
    referral.refresh_from_db()
    assert referral.state == ReferralState.AWAITING_CONFIRMATION


def test_a_child_above_30_percent_has_a_disability_under_18_without_degree(child, refer):
    referral = refer(child.fin)
    expert = member_of(referral.commission, "paediatrician")

    assessment = propose(referral, expert, 65, duration="until_18", next_review_on=None)

    assert (assessment.overall_percent, assessment.degree, assessment.under_18) == (65, None, True)
    assert assessment.next_review_on is None


def test_an_adult_at_30_percent_or_less_has_no_degree(referral, first_expert):
    assessment = propose(referral, first_expert, 30, 0)

    assert (assessment.overall_percent, assessment.degree, assessment.under_18) == (30, None, False)


def assert_nothing_proposed(referral: Referral) -> None:
    assert not Assessment.objects.exists() and not AssessedCondition.objects.exists()
    referral.refresh_from_db()
    assert referral.state == ReferralState.ASSIGNED


@pytest.mark.parametrize(("percents", "overrides", "code"), [
    ((33, 40), {}, "percent_step"),
    ((60, 105), {}, "percent_step"),
    ((60, 40), {"lost_working_capacity": 33}, "working_capacity_step"),
    ((60, 40), {"lost_working_capacity": 110}, "working_capacity_step"),
    ((60, 40), {"next_review_on": None}, "next_review_missing"),
    ((60, 40), {"next_review_on": dt.date(2020, 1, 1)}, "next_review_past"),
    ((60, 40), {"duration": "indefinite"}, "next_review_unexpected"),
    ((60, 40), {"duration": "until_18", "next_review_on": None}, "until_18_adult"),
    ((60, 40), {"cause": "bad_luck"}, "cause"),
    ((60, 40), {"duration": "forever"}, "duration"),
])
def test_bad_proposal_is_refused_and_nothing_is_saved(referral, first_expert, percents,
                                                      overrides, code):
    with pytest.raises(DomainError) as refused:
        propose(referral, first_expert, *percents, **overrides)

    assert refused.value.code == code
    assert_nothing_proposed(referral)


def test_every_diagnosis_needs_a_percentage(referral, first_expert):
    principal = referral.diagnoses.get(principal=True)

    with pytest.raises(DomainError) as refused:
        assessment_propose(referral=referral, expert=first_expert, percentages={principal.pk: 60},
                           cause="general_illness", duration="2y",
                           next_review_on=in_two_years(), lost_working_capacity=0)

    assert refused.value.code == "percent_missing"
    assert_nothing_proposed(referral)


def test_a_diagnosis_of_another_case_is_refused(referral, first_expert, make_person, refer):
    other = refer(make_person(fin="5ASM2T1").fin)
    percentages = {**percentages_of(referral, 60, 40), other.diagnoses.get().pk: 50}

    with pytest.raises(DomainError) as refused:
        assessment_propose(referral=referral, expert=first_expert, percentages=percentages,
                           cause="general_illness", duration="2y",
                           next_review_on=in_two_years(), lost_working_capacity=0)

    assert refused.value.code == "unknown_diagnosis"
    assert_nothing_proposed(referral)


def test_an_expert_of_another_commission_cannot_propose(referral, outsider):
    with pytest.raises(DomainError) as refused:
        propose(referral, outsider)

    assert refused.value.code == "not_found"
    assert_nothing_proposed(referral)


def test_a_case_has_one_proposal_at_a_time(referral, first_expert, second_expert):
    propose(referral, first_expert)

    with pytest.raises(DomainError) as refused:
        propose(referral, second_expert, 80, 80)

    assert refused.value.code == "case_not_assigned"
    assert Assessment.objects.count() == 1


# --- confirming and withdrawing ---------------------------------------------------------------


def test_an_expert_cannot_confirm_their_own_assessment(referral, first_expert):
    assessment = propose(referral, first_expert)

    with pytest.raises(DomainError) as refused:
        assessment_confirm(assessment=assessment, expert=first_expert)

    assert refused.value.code == "own_assessment"
    assessment.refresh_from_db()
    assert (assessment.state, assessment.confirmed_by) == (AssessmentState.PROPOSED, None)
    assert not RegisterEntry.objects.exists()


def test_an_expert_of_another_commission_cannot_confirm(referral, first_expert, outsider):
    assessment = propose(referral, first_expert)

    with pytest.raises(DomainError) as refused:
        assessment_confirm(assessment=assessment, expert=outsider)

    assert refused.value.code == "not_found"
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.PROPOSED


def test_a_second_expert_confirms_and_the_case_is_decided(referral, first_expert, second_expert,
                                                          patient):
    assessment = propose(referral, first_expert, 60, 40)

    assessment_confirm(assessment=assessment, expert=second_expert)

    assessment.refresh_from_db()
    assert (assessment.state, assessment.confirmed_by) == (AssessmentState.CONFIRMED,
                                                           second_expert)
    assert assessment.confirmed_at is not None
    referral.refresh_from_db()
    assert referral.state == ReferralState.DECIDED
    entry = RegisterEntry.objects.get(person=patient)
    assert (entry.percent, entry.degree) == (70, 2)


def test_a_confirmed_assessment_cannot_be_confirmed_again(referral, first_expert, second_expert):
    assessment = propose(referral, first_expert)
    assessment_confirm(assessment=assessment, expert=second_expert)
    third = member_of(referral.commission, "third")

    with pytest.raises(DomainError) as refused:
        assessment_confirm(assessment=assessment, expert=third)

    assert refused.value.code == "not_proposed"
    assert RegisterEntry.objects.count() == 1


def test_disagreeing_withdraws_the_proposal_and_the_case_waits_again(referral, first_expert,
                                                                     second_expert):
    assessment = propose(referral, first_expert)

    assessment_withdraw(assessment=assessment, expert=second_expert,
                        reason="The documents show a milder course.")

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.WITHDRAWN
    assert "The documents show a milder course." in assessment.notes
    assert "Walks 100 m with a stick." in assessment.notes
    referral.refresh_from_db()
    assert referral.state == ReferralState.ASSIGNED
    assert propose(referral, second_expert, 40, 20).overall_percent == 50


def test_disagreeing_needs_a_reason(referral, first_expert, second_expert):
    assessment = propose(referral, first_expert)

    with pytest.raises(DomainError) as refused:
        assessment_withdraw(assessment=assessment, expert=second_expert, reason="  ")

    assert refused.value.code == "reason_missing"
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.PROPOSED


def test_an_expert_of_another_commission_cannot_withdraw(referral, first_expert, outsider):
    assessment = propose(referral, first_expert)

    with pytest.raises(DomainError) as refused:
        assessment_withdraw(assessment=assessment, expert=outsider, reason="No.")

    assert refused.value.code == "not_found"
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.PROPOSED


race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@race
def test_two_experts_confirming_at_once_confirm_once(referral, first_expert, second_expert,
                                                     monkeypatch):
    assessment = propose(referral, first_expert)
    third = member_of(referral.commission, "third")
    # Hold the first confirmation inside its transaction, so the second really
    # arrives while the first has confirmed but not yet committed.
    decided, release = threading.Event(), threading.Event()
    decide = assessments.assessment_decide

    def held_decide(**kwargs: Any) -> Any:
        entry = decide(**kwargs)
        decided.set()
        release.wait(WAIT_SECONDS)
        return entry

    monkeypatch.setattr(assessments, "assessment_decide", held_decide)
    first_results: list[Any] = []
    second_results: list[Any] = []
    first = in_thread(lambda: assessment_confirm(assessment=assessment, expert=second_expert),
                      first_results)
    try:
        assert decided.wait(WAIT_SECONDS)
        second = in_thread(lambda: assessment_confirm(assessment=assessment, expert=third),
                           second_results)
        assert someone_comes_to_wait_on_a_lock(), "the second confirmation should wait"
    finally:
        release.set()
        first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    [confirmed] = first_results
    [refusal] = second_results
    assert isinstance(confirmed, Assessment)
    assert isinstance(refusal, DomainError) and refusal.code == "not_proposed"
    assert Assessment.objects.get().confirmed_by == second_expert
    assert RegisterEntry.objects.count() == 1
    assert DecisionEntry.objects.filter(kind="assessment").count() == 1


# --- reassignment -----------------------------------------------------------------------------


@pytest.fixture
def supervisor(db) -> User:
    user = User.objects.create_user(username="supervisor", password=PASSWORD, role=Role.STAFF)
    user.user_permissions.add(Permission.objects.get(codename="reassign_referral"))
    return User.objects.get(pk=user.pk)  # without the permission cache of the old instance


def other_general(referral: Referral, commissions: dict[str, Commission]) -> Commission:
    return commissions["msec-2" if referral.commission.code == "msec-1" else "msec-1"]


def test_a_supervisor_moves_an_open_case_with_its_counters_and_a_logged_reason(
        referral, commissions, supervisor, first_expert):
    proposal = propose(referral, first_expert)
    target = other_general(referral, commissions)
    origin = referral.commission

    reassignment = referral_reassign(referral=referral, to_commission=target,
                                     supervisor=supervisor, reason="Conflict of interest.")

    referral.refresh_from_db()
    assert (referral.commission, referral.state) == (target, ReferralState.ASSIGNED)
    origin.refresh_from_db()
    target.refresh_from_db()
    assert (origin.open_cases, target.open_cases) == (0, 1)
    assert (reassignment.from_commission, reassignment.to_commission, reassignment.by) == (
        origin, target, supervisor)
    proposal.refresh_from_db()
    assert proposal.state == AssessmentState.WITHDRAWN
    entry = DecisionEntry.objects.filter(kind="assignment", subject=referral.case_number) \
        .order_by("-id").first()
    assert entry.details == {"from": origin.code, "to": target.code,
                             "reason": "Conflict of interest."}
    assert entry.decided_by == f"user:{supervisor.pk}" and entry.person_id is None


def assert_not_moved(referral: Referral) -> None:
    commission = referral.commission
    referral.refresh_from_db()
    assert referral.commission == commission
    assert not Reassignment.objects.exists()


def test_reassignment_without_a_reason_is_refused(referral, commissions, supervisor):
    with pytest.raises(DomainError) as refused:
        referral_reassign(referral=referral, to_commission=other_general(referral, commissions),
                          supervisor=supervisor, reason=" ")

    assert refused.value.code == "reason_missing"
    assert_not_moved(referral)


def test_reassignment_without_the_permission_is_refused(referral, commissions, charlie):
    with pytest.raises(DomainError) as refused:
        referral_reassign(referral=referral, to_commission=other_general(referral, commissions),
                          supervisor=charlie, reason="Conflict of interest.")

    assert refused.value.code == "not_permitted"
    assert_not_moved(referral)


def test_an_expert_cannot_reassign_their_own_case(referral, commissions, first_expert):
    with pytest.raises(DomainError) as refused:
        referral_reassign(referral=referral, to_commission=other_general(referral, commissions),
                          supervisor=first_expert, reason="Too much work.")

    assert refused.value.code == "not_permitted"
    assert_not_moved(referral)


def test_a_case_cannot_move_to_an_inactive_or_its_own_commission(referral, commissions,
                                                                 supervisor):
    target = other_general(referral, commissions)
    Commission.objects.filter(pk=target.pk).update(active=False)

    for to_commission, code in ((target, "commission_inactive"),
                                (referral.commission, "same_commission")):
        with pytest.raises(DomainError) as refused:
            referral_reassign(referral=referral, to_commission=to_commission,
                              supervisor=supervisor, reason="Load.")
        assert refused.value.code == code
    assert_not_moved(referral)


def test_a_decided_case_cannot_move(referral, commissions, supervisor, first_expert,
                                    second_expert):
    assessment_confirm(assessment=propose(referral, first_expert), expert=second_expert)
    referral.refresh_from_db()

    with pytest.raises(DomainError) as refused:
        referral_reassign(referral=referral, to_commission=other_general(referral, commissions),
                          supervisor=supervisor, reason="Late.")

    assert refused.value.code == "case_closed"
    assert_not_moved(referral)
