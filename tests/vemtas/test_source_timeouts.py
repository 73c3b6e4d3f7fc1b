"""A Digital Bridge source that does not answer leaves the case waiting, never decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import timezone

from dost.bridge.registers import Vehicle
from dost.bridge.sources import VEHICLES, source_adapter_replace
from dost.entitlements.models import Award
from tests.vemtas.households import apply, household
from vemtas.checks import cases_cross_check
from vemtas.models import CaseState

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
# The vehicle register, answering after a second.
SLOW_VEHICLES = replace(VEHICLES, sql=VEHICLES.sql.replace(
    "FROM bridge_subjects s", "FROM bridge_subjects s CROSS JOIN pg_sleep(1)", 1))


@pytest.fixture
def slow_vehicle_register(settings):
    settings.BRIDGE_SOURCE_TIMEOUT_MS = 100
    previous = source_adapter_replace(SLOW_VEHICLES)
    yield
    source_adapter_replace(previous)


def test_a_source_timing_out_leaves_the_case_waiting_and_it_is_decided_on_retry(
        slow_vehicle_register, settings):
    _home, (mother,) = household(dt.date(1980, 5, 1))
    # Something for the register to find (a vehicle no ground refuses), so it has work to do.
    Vehicle.objects.create(person=mother, plate="10-AB-125", make="Lada", given_by_state=True,
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    case = apply(mother, on=TODAY, income="10")
    type(case).objects.filter(pk=case.pk).update(visit_required=False)

    outcome = cases_cross_check(on=TODAY)

    case.refresh_from_db()
    assert outcome.waiting == 1 and "vehicles" in outcome.unavailable
    assert case.state == CaseState.WAITING and case.waiting_for == ["vehicles"]
    assert case.retry_at > timezone.now() and case.attempts == 1
    assert not case.discrepancies.exists() and not Award.objects.filter(person=mother).exists()
    # Not due yet: the next run leaves it alone.
    assert cases_cross_check(on=TODAY).claimed == 0

    source_adapter_replace(VEHICLES)
    type(case).objects.filter(pk=case.pk).update(retry_at=timezone.now())
    assert cases_cross_check(on=TODAY).awarded == 1
    case.refresh_from_db()
    assert case.state == CaseState.AWARDED and case.waiting_for == [] and case.attempts == 2


def test_a_mistake_in_a_source_is_raised_not_taken_for_silence(settings):
    broken = replace(VEHICLES, sql="SELECT no_such_column FROM bridge_subjects s")
    previous = source_adapter_replace(broken)
    try:
        _home, (mother,) = household(dt.date(1980, 5, 1))
        apply(mother, on=TODAY)
        with pytest.raises(Exception, match="no_such_column"):
            cases_cross_check(on=TODAY)
    finally:
        source_adapter_replace(previous)
