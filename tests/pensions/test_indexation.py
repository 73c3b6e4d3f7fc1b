from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dost.audit.models import DecisionEntry
from dost.audit.verification import decision_log_verify
from dost.entitlements.models import Award
from dost.errors import DomainError
from dost.formatting import format_money
from dost.payments.models import Payment, PaymentSchedule
from dost.payments.services import payments_plan_month
from pensions.models import PensionIndexation
from pensions.services import pensions_index
from pensions.tasks import index_pensions
from tests.pensions.conftest import insure, reasons_in_english, run_rules

LAST_YEAR = timezone.make_aware(dt.datetime(2025, 6, 1, 12, 0))


@pytest.fixture
def pension(make_person) -> Award:
    """An old-age pension decided in June 2025, before the 2026 indexation."""
    retiree = make_person(fin="1NDX001", sex="M", birth_date=dt.date(1959, 1, 1))
    insure(retiree, range(2006, 2025))
    run_rules(retiree, on=dt.date(2025, 6, 1))
    # Awards are stamped with the time they are made; this one stands for last year's.
    Award.objects.filter(benefit="old_age_pension").update(decided_at=LAST_YEAR)
    return Award.objects.get(benefit="old_age_pension")


def test_indexation_raises_pensions_and_their_schedules(pension):
    indexation = pensions_index(year=2026)

    raised = (pension.amount * Decimal("1.093")).quantize(Decimal("0.01"))
    pension.refresh_from_db()
    assert pension.amount == raised
    assert PaymentSchedule.objects.get(reference=f"award:{pension.pk}").monthly_amount == raised
    assert (indexation.year, indexation.rate, indexation.awards_updated) == (
        2026, Decimal("0.0930"), 1)
    assert indexation.applied_at is not None


def test_each_raised_pension_is_a_change_in_the_decision_log(pension):
    pensions_index(year=2026)

    [change] = DecisionEntry.objects.filter(award_id=pension.pk, kind="change")
    assert change.decided_by == "pensions.indexation"
    assert change.details["year"] == 2026
    assert decision_log_verify().intact


def test_indexation_updates_payments_of_the_year_not_yet_sent(pension):
    payments_plan_month(month=dt.date(2025, 12, 1))
    payments_plan_month(month=dt.date(2026, 1, 1))
    before = pension.amount

    pensions_index(year=2026)

    pension.refresh_from_db()
    amounts = dict(Payment.objects.values_list("month", "amount"))
    assert amounts == {dt.date(2025, 12, 1): before, dt.date(2026, 1, 1): pension.amount}


def test_indexation_twice_in_a_year_is_refused(pension):
    pensions_index(year=2026)
    pension.refresh_from_db()
    once = pension.amount

    with pytest.raises(DomainError) as refusal:
        pensions_index(year=2026)

    assert refusal.value.code == "already_indexed"
    pension.refresh_from_db()
    assert pension.amount == once
    assert PensionIndexation.objects.count() == 1


def test_indexation_leaves_pensions_decided_this_year_alone(pension):
    Award.objects.filter(pk=pension.pk).update(decided_at=timezone.now())

    assert pensions_index(year=2026).awards_updated == 0

    assert Award.objects.get(pk=pension.pk).amount == pension.amount


def test_indexation_leaves_replaced_pensions_alone(pension):
    Award.objects.filter(pk=pension.pk).update(status=Award.Status.SUPERSEDED)

    assert pensions_index(year=2026).awards_updated == 0


def test_indexation_without_the_years_rate_is_refused(pension):
    with pytest.raises(DomainError) as refusal:
        pensions_index(year=2027)

    assert refusal.value.code == "indexation_rate_missing"
    assert not PensionIndexation.objects.exists()


def test_explanation_tells_of_the_indexation(pension):
    before = pension.amount
    pensions_index(year=2026)
    pension.refresh_from_db()

    reasons = reasons_in_english(pension)

    assert (f"indexed by 9.3%: from {format_money(before, language='en')} "
            f"to {format_money(pension.amount, language='en')}.") in reasons


def test_indexation_task_does_nothing_once_the_year_is_applied(pension):
    assert index_pensions.delay(2026).get() == 1
    assert index_pensions.delay(2026).get() == 0
