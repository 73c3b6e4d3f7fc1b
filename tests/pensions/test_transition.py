from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.entitlements.models import Award
from dost.payments.models import Payment, PaymentSchedule
from dost.payments.services import payments_plan_month
from pensions.services import pension_supersede_replaced
from pensions.tasks import supersede_replaced_pensions
from tests.pensions.conftest import (
    TODAY,
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
    assert old_age.period_start == dt.date(2026, 12, 1)
    assert old_age.facts["replaced_award"] == disability.pk
    assert "disability labour pension" in reasons_in_english(old_age)


def test_transition_supersedes_the_lower_pension(poor_then_rich):
    [disability] = awards_of(poor_then_rich, "disability_pension")
    payments_plan_month(month=dt.date(2026, 11, 1))
    payments_plan_month(month=dt.date(2026, 12, 1))
    run_rules(poor_then_rich)

    outcome = pension_supersede_replaced(on=TODAY)

    assert (outcome.awards, outcome.schedules, outcome.payments_cancelled) == (1, 1, 1)
    disability.refresh_from_db()
    assert disability.status == Award.Status.SUPERSEDED
    assert disability.period_end == dt.date(2026, 11, 30)
    schedule = PaymentSchedule.objects.get(reference=f"award:{disability.pk}")
    assert schedule.ends_on == dt.date(2026, 11, 30)
    # November is still paid by the disability pension, December no longer.
    assert list(Payment.objects.filter(schedule=schedule).values_list("month", flat=True)) == [
        dt.date(2026, 11, 1)]


def test_disability_pension_kept_when_old_age_would_be_lower(make_person):
    person = disability_pensioner(make_person, yearly="20000")

    assert run_rules(person) == 0

    assert not awards_of(person, "old_age_pension")
    assert pension_supersede_replaced(on=TODAY).awards == 0
    assert awards_of(person, "disability_pension")[0].status == Award.Status.AWARDED


def test_pension_that_ran_out_before_the_old_age_pension_is_not_superseded(make_person):
    person = disability_pensioner(make_person, yearly="20000", valid_until=dt.date(2026, 8, 1))
    run_rules(person)  # the finding has lapsed: the ordinary old-age rule applies
    [old_age] = awards_of(person, "old_age_pension")
    assert old_age.rule == "pensions.old_age"

    assert pension_supersede_replaced(on=TODAY).awards == 0

    [disability] = awards_of(person, "disability_pension")
    assert (disability.status, disability.period_end) == (Award.Status.AWARDED,
                                                          dt.date(2026, 8, 1))


def test_superseding_again_changes_nothing(poor_then_rich):
    run_rules(poor_then_rich)
    pension_supersede_replaced(on=TODAY)

    assert pension_supersede_replaced(on=TODAY).awards == 0


def test_supersede_task_runs_the_service(poor_then_rich):
    run_rules(poor_then_rich)

    assert supersede_replaced_pensions.delay().get() == 1
