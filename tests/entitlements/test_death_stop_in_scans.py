"""Every scan, and every life event, stops the monthly awards of those who have died."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.entitlements.models import Award, ScanChunk, ScanRun
from dost.entitlements.stops import DEATH_STOP
from tests.pensions.conftest import TODAY, insure, record_death, run_rules

TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_recording_margin(settings):
    # Everything in a test happens within seconds; the margin would make every fact
    # recorded in it count as recent.
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0


@pytest.fixture
def pensioner(make_person):
    """A man long past retirement age, insured for thirty years, drawing his pension."""
    person = make_person(fin="1DTH001", sex="M", birth_date=dt.date(1955, 3, 1))
    insure(person, range(1996, 2026))
    run_rules(person)
    assert Award.objects.filter(person=person, frequency="monthly",
                                status=Award.Status.AWARDED).exists()
    return person


def monthly_awards(person) -> list[Award]:
    return list(Award.objects.filter(person=person, frequency="monthly"))


def test_a_scan_stops_the_awards_of_someone_who_died_and_counts_them(scan, pensioner):
    record_death(pensioner, dt.date(2026, 10, 5))
    scan_run = scan()
    [award] = monthly_awards(pensioner)
    assert (award.status, award.end_reason) == (Award.Status.STOPPED, "death")
    assert award.period_end == dt.date(2026, 10, 31)
    assert scan_run.stopped == 1
    assert sum(ScanChunk.objects.filter(scan_run=scan_run, rule=DEATH_STOP)
               .values_list("stopped", flat=True)) == 1


def test_a_scan_stops_nothing_for_the_living(scan, pensioner):
    scan_run = scan()
    assert scan_run.stopped == 0
    assert [award.status for award in monthly_awards(pensioner)] == [Award.Status.AWARDED]


def test_a_death_after_the_scan_date_is_not_stopped_yet(scan, pensioner):
    record_death(pensioner, TOMORROW)
    assert scan().stopped == 0
    assert scan(TOMORROW).stopped == 1


def test_a_life_event_stops_the_awards_of_someone_who_died(pensioner):
    record_death(pensioner, dt.date(2026, 11, 2))
    run_rules(pensioner)
    [award] = monthly_awards(pensioner)
    assert (award.status, award.period_end) == (Award.Status.STOPPED, dt.date(2026, 11, 30))


def test_an_incremental_scan_looks_for_deaths_only_among_who_changed(scan, pensioner,
                                                                    make_person):
    make_person(fin="1DTH002")
    scan()
    record_death(pensioner, TODAY)
    next_day = scan(TOMORROW)
    assert DEATH_STOP in next_day.incremental_rules
    [chunk] = ScanChunk.objects.filter(scan_run=next_day, rule=DEATH_STOP)
    assert chunk.people == [pensioner.pk]
    assert next_day.stopped == 1


def test_a_scan_after_one_that_did_not_stop_deaths_looks_at_everyone(scan, pensioner):
    first = scan()
    # As a scan made before every scan ran the death stop.
    ScanRun.objects.filter(pk=first.pk).update(
        rules=[code for code in first.rules if code != DEATH_STOP])
    next_day = scan(TOMORROW)
    assert DEATH_STOP in next_day.rules
    assert DEATH_STOP not in next_day.incremental_rules
