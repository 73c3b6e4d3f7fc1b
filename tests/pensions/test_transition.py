from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.audit.models import DecisionEntry
from dost.entitlements.models import Award
from dost.notifications.models import SmsMessage
from dost.payments.models import Payment, PaymentSchedule
from dost.payments.services import payments_plan_month
from dost.registry.models import Person
from tests.pensions.conftest import (
    awards_of,
    find_disabled,
    insure,
    reasons_in_english,
    run_rules,
)

DISABILITY_SCAN = dt.date(2025, 1, 15)  # he is 63 and a half: below retirement age


def disability_pensioner(make_person, *, yearly: str, valid_until: dt.date | None = None):
    """Reaches 65 on 2026-06-01; disabled at 58 with the 132 insured months needed then."""
    person = make_person(fin="1TRN001", sex="M", birth_date=dt.date(1961, 6, 1))
    insure(person, range(2006, 2017), amount=yearly)
    find_disabled(person, determined_on=dt.date(2019, 9, 1), valid_until=valid_until)
    run_rules(person, on=DISABILITY_SCAN)
    return person


@pytest.fixture
def poor_then_rich(make_person):
    """A minimum disability pension, then a large late contribution: old age pays more."""
    person = disability_pensioner(make_person, yearly="100")
    insure(person, range(2026, 2027), amount="100000")
    return person


def test_disability_pensioner_at_retirement_age_moves_to_a_higher_old_age_pension(
    poor_then_rich,
):
    [disability] = awards_of(poor_then_rich, "disability_pension")
    assert disability.amount == Decimal("280")

    assert run_rules(poor_then_rich) == 1

    [old_age] = awards_of(poor_then_rich, "old_age_pension")
    assert old_age.rule == "pensions.old_age_transition"
    assert old_age.amount > disability.amount
    # From the day he reached 65, not from the day the scan noticed.
    assert old_age.period_start == dt.date(2026, 6, 1)
    assert old_age.facts["replaced_award"] == disability.pk
    assert "disability labour pension" in reasons_in_english(old_age)


def test_transition_switches_from_the_retirement_day_and_stops_the_lower_pension(
    poor_then_rich,
):
    [disability] = awards_of(poor_then_rich, "disability_pension")
    payments_plan_month(month=dt.date(2026, 11, 1))
    payments_plan_month(month=dt.date(2026, 12, 1))
    Person.objects.filter(pk=poor_then_rich.pk).update(phone="+994501234567")

    run_rules(poor_then_rich)

    [old_age] = awards_of(poor_then_rich, "old_age_pension")
    disability.refresh_from_db()
    assert (disability.status, disability.end_reason) == (Award.Status.SUPERSEDED, "switch")
    assert disability.period_end == dt.date(2026, 5, 31)
    schedule = PaymentSchedule.objects.get(reference=f"award:{disability.pk}")
    assert (schedule.ends_on, schedule.status) == (dt.date(2026, 5, 31), "stopped")
    # The planned (unsent) months are no longer the disability pension's.
    assert not Payment.objects.filter(schedule=schedule).exists()
    # June to October are owed at the old-age amount; nothing was sent for them.
    assert old_age.arrears == old_age.amount * 5
    sms = SmsMessage.objects.get(dedupe_key=f"award:{old_age.pk}")
    assert sms.template == "award_switched"
    assert sms.context["replaced"] == "disability_pension"


def test_the_switch_is_in_the_decision_log(poor_then_rich):
    [disability] = awards_of(poor_then_rich, "disability_pension")
    run_rules(poor_then_rich)

    assert DecisionEntry.objects.filter(kind="switch", award_id=disability.pk).exists()


def test_arrears_of_a_switch_deduct_what_the_lower_pension_already_paid(poor_then_rich):
    [disability] = awards_of(poor_then_rich, "disability_pension")
    schedule = PaymentSchedule.objects.get(reference=f"award:{disability.pk}")
    for month in (6, 7):
        Payment.objects.create(schedule=schedule, month=dt.date(2026, month, 1),
                               amount=disability.amount, status="paid")

    run_rules(poor_then_rich)

    [old_age] = awards_of(poor_then_rich, "old_age_pension")
    assert old_age.arrears == old_age.amount * 5 - disability.amount * 2


def test_disability_pension_kept_when_old_age_would_be_lower(make_person):
    person = disability_pensioner(make_person, yearly="20000")

    assert run_rules(person) == 0

    assert not awards_of(person, "old_age_pension")
    assert awards_of(person, "disability_pension")[0].status == Award.Status.AWARDED


def test_old_age_pension_starts_after_a_disability_pension_that_ran_out(make_person):
    person = disability_pensioner(make_person, yearly="20000", valid_until=dt.date(2026, 8, 1))
    run_rules(person)  # the finding has lapsed: the ordinary old-age rule applies
    [old_age] = awards_of(person, "old_age_pension")
    assert old_age.rule == "pensions.old_age"
    # The disability pension was the one labour pension until it ran out.
    assert old_age.period_start == dt.date(2026, 8, 1)

    [disability] = awards_of(person, "disability_pension")
    assert (disability.status, disability.period_end) == (Award.Status.AWARDED,
                                                          dt.date(2026, 7, 31))


def test_switching_again_changes_nothing(poor_then_rich):
    run_rules(poor_then_rich)

    assert run_rules(poor_then_rich) == 0
    assert len(awards_of(poor_then_rich, "old_age_pension")) == 1
