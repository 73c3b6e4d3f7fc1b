"""A confirmed assessment becomes a finding, a register entry, a certificate, an SMS and awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from disability.models import (
    AssessedCondition,
    Assessment,
    AssessmentState,
    Referral,
    ReferralState,
    RegisterEntry,
)
from disability.services.decisions import assessment_decide
from dost.audit.models import DecisionEntry
from dost.entitlements.models import Award
from dost.notifications.models import SmsMessage
from dost.notifications.templates import render_message
from dost.registry.models import DisabilityStatus, Person
from tests.disability.conftest import member_of

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def patient(make_person):
    return make_person(fin="5DEC1S1", first_name="Vüqar", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1990, 6, 1), phone="+994501234568")


def decided(referral: Referral, percent: int, *, on: dt.date = DAY, duration: str = "2y",
            next_review_on: dt.date | None = dt.date(2028, 11, 2)) -> RegisterEntry:
    first = member_of(referral.commission, f"first-{referral.pk}")
    second = member_of(referral.commission, f"second-{referral.pk}")
    degree = 1 if percent > 80 else 2 if percent > 60 else 3 if percent > 30 else None
    assessment = Assessment.objects.create(
        referral=referral, assessed_by=first, state=AssessmentState.CONFIRMED,
        overall_percent=percent, degree=degree, cause="general_illness", duration=duration,
        next_review_on=next_review_on, confirmed_by=second)
    AssessedCondition.objects.create(assessment=assessment, diagnosis=referral.diagnoses.first(),
                                     percent=percent)
    with transaction.atomic():
        return assessment_decide(assessment=assessment, on=on)


def test_decision_records_the_finding_from_the_commission(patient, refer):
    entry = decided(refer(patient.fin, on=DAY), 85)

    status = DisabilityStatus.objects.get(person=patient)
    assert (status.percent, status.determined_on, status.valid_until, status.source_id) == (
        85, DAY, dt.date(2028, 11, 2), "msec")
    assert (entry.person, entry.status, entry.degree, entry.kind) == (patient, status, 1, "initial")
    referral = Referral.objects.get()
    assert referral.state == ReferralState.DECIDED and referral.decided_at is not None
    assert referral.commission.open_cases == 0


def test_decision_log_names_the_person_but_not_the_case(patient, refer):
    referral = refer(patient.fin, on=DAY)
    entry = decided(referral, 85)

    logged = DecisionEntry.objects.get(kind="assessment")
    assert logged.person_id == patient.pk
    assert logged.subject == f"disability-register:{entry.pk}"
    assert referral.case_number not in str(logged.details) + logged.subject + logged.decided_by


def test_decision_issues_a_certificate_and_an_sms(patient, refer):
    entry = decided(refer(patient.fin, on=DAY), 70)

    assert entry.certificate is not None
    assert bytes(entry.certificate.pdf).startswith(b"%PDF")
    assert entry.certificate.kind == "disability_finding"
    message = SmsMessage.objects.get(template="disability_decision")
    assert message.person == patient and message.context["percent"] == 70


def test_decision_awards_the_disability_benefit_the_same_day(patient, refer):
    decided(refer(patient.fin, on=DAY), 85)

    award = Award.objects.get(person=patient, benefit="disability_benefit")
    assert (award.period_start, award.amount) == (DAY, Decimal("300"))


def test_thirty_percent_or_less_is_no_disability_and_no_finding(patient, refer):
    entry = decided(refer(patient.fin, on=DAY), 30, duration="1y")

    assert entry.status is None and entry.certificate is None and entry.degree is None
    assert not DisabilityStatus.objects.filter(person=patient).exists()
    assert not Award.objects.filter(person=patient).exists()
    message = SmsMessage.objects.get(template="disability_decision")
    assert "no disability" in render_message(message.template, message.context, "en")


def test_repeat_assessment_lowering_the_degree_lowers_the_award_from_its_date(patient, refer):
    decided(refer(patient.fin, on=DAY), 85)
    later = dt.date(2027, 5, 4)

    entry = decided(refer(patient.fin, on=later), 65, on=later,
                    next_review_on=dt.date(2029, 5, 4))

    assert entry.kind == "repeat"
    periods = list(Award.objects.filter(person=patient, benefit="disability_benefit")
                   .order_by("period_start").values_list("period_start", "period_end", "amount"))
    assert periods == [(DAY, later - dt.timedelta(days=1), Decimal("300")),
                       (later, dt.date(2029, 5, 4), Decimal("250"))]


def test_until_18_runs_to_the_eighteenth_birthday(make_person, refer):
    child = make_person(fin="5KXD0A1", birth_date=dt.date(2016, 2, 29), phone="+994501234569")
    entry = decided(refer(child.fin, on=DAY), 50, duration="until_18", next_review_on=None)
    assert entry.next_assessment_on == dt.date(2034, 3, 1)


def test_repeat_assessment_finding_no_disability_ends_the_award_the_day_before(patient, refer):
    decided(refer(patient.fin, on=DAY), 85)
    later = dt.date(2027, 5, 4)

    decided(refer(patient.fin, on=later), 25, on=later, duration="1y",
            next_review_on=dt.date(2028, 5, 4))

    award = Award.objects.get(person=patient, benefit="disability_benefit")
    assert (award.status, award.end_reason, award.period_end) == (
        "stopped", "fact_ended", later - dt.timedelta(days=1))
    assert DisabilityStatus.objects.get(person=patient).valid_until == later
    assert DecisionEntry.objects.filter(kind="stop", award_id=award.pk).exists()


def test_a_person_who_died_before_the_decision_gets_the_finding_but_no_sms_or_award(
        patient, refer):
    referral = refer(patient.fin, on=DAY)
    Person.objects.filter(pk=patient.pk).update(death_date=DAY + dt.timedelta(days=3))

    entry = decided(referral, 85, on=DAY + dt.timedelta(days=10))

    assert entry.status is not None  # the commission's finding stands in the registry
    assert not SmsMessage.objects.filter(person=patient, template="disability_decision").exists()
    assert not Award.objects.filter(person=patient, benefit="disability_benefit",
                                    status="awarded").exists()
