"""When the law has not given a value yet, nothing is guessed: the rules that need it hold,
and a rule not in force yet on the scan date is skipped, while the others still run."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from dost.entitlements import tasks
from dost.entitlements.models import Award, ScanRun
from dost.entitlements.parameters import ParameterMissing, parameter_on
from dost.entitlements.services import entitlements_for_people
from pensions.capital import capital_indexation
from tests.pensions.conftest import insure, make_parent

NO_RATE_YET = dt.date(2027, 1, 5)
MISSING_2027 = "pension_capital_indexation: no rate for 2027"
# The pension rules that need every contribution's indexed capital.
CAPITAL_RULES = {"pensions.old_age", "pensions.disability", "pensions.survivor",
                 "pensions.early_old_age_mothers", "pensions.old_age_transition"}
CHILDBIRTH = "pensions.childbirth_allowance"
EARLY = "pensions.early_old_age_mothers"


@pytest.fixture
def mother_and_retiree(make_person):
    """A mother whose child was born in November, and a man long past
    retirement age, insured for thirty years, awarded nothing yet."""
    mother = make_person(fin="1LAW001")
    make_parent(make_person(fin="1LAW002", birth_date=dt.date(2026, 11, 20)), mother)
    retiree = make_person(fin="1LAW003", sex="M", birth_date=dt.date(1955, 3, 1))
    insure(retiree, range(1996, 2026))
    return mother, retiree


@pytest.fixture
def dispatch_at_once(monkeypatch):
    # The command commits inside the test's transaction, where on_commit would wait for
    # the test's end: the chunks are sent at once instead.
    monkeypatch.setattr(tasks, "transaction", SimpleNamespace(
        on_commit=lambda run, **_: run(), atomic=transaction.atomic))


def test_a_year_without_an_indexation_rate_is_never_guessed():
    with pytest.raises(ParameterMissing, match=MISSING_2027):
        capital_indexation(NO_RATE_YET)


def test_the_last_day_of_a_year_with_a_rate_is_indexed():
    indexation = capital_indexation(dt.date(2026, 12, 31))
    factors = dict(zip(indexation["index_years"], indexation["index_factors"], strict=True))
    rate_2026 = parameter_on("pension_capital_indexation", dt.date(2026, 1, 1)).value
    assert factors[2026] == Decimal(1)
    assert factors[2025] == (1 + rate_2026).quantize(Decimal("0.000001"))


def test_a_scan_without_the_years_rate_holds_the_capital_rules_and_runs_the_others(
        scan, mother_and_retiree):
    mother, retiree = mother_and_retiree
    scan_run = scan(NO_RATE_YET)
    assert scan_run.status == ScanRun.Status.DONE
    assert set(scan_run.held_rules) >= CAPITAL_RULES
    assert MISSING_2027 in scan_run.missing_parameters
    assert not CAPITAL_RULES & set(scan_run.rules)
    assert not scan_run.chunks.filter(rule__in=CAPITAL_RULES).exists()
    assert CHILDBIRTH in scan_run.rules
    assert Award.objects.filter(person=mother, benefit="childbirth_allowance").count() == 1
    assert not Award.objects.filter(person=retiree).exists()


def test_the_day_before_the_year_without_a_rate_the_capital_rules_run(scan,
                                                                       mother_and_retiree):
    _mother, retiree = mother_and_retiree
    scan_run = scan(dt.date(2026, 12, 31))
    assert scan_run.held_rules == []
    assert scan_run.missing_parameters == []
    assert set(scan_run.rules) >= CAPITAL_RULES
    assert Award.objects.filter(person=retiree, benefit="old_age_pension").exists()


def test_a_life_event_without_the_years_rate_runs_the_rules_that_can_run(
        mother_and_retiree):
    mother, retiree = mother_and_retiree
    assert entitlements_for_people(people=[mother.pk, retiree.pk], on=NO_RATE_YET) == 1
    assert Award.objects.get().person == mother


def test_a_scan_before_a_rule_was_in_force_skips_it(scan, make_person):
    make_person(fin="1LAW010", birth_date=dt.date(1960, 1, 1))
    scan_run = scan(dt.date(2019, 1, 1))
    assert scan_run.status == ScanRun.Status.DONE
    # The childbirth allowance's first value starts on 2019-04-01; the early pension's
    # law on 2024-04-19.
    assert {CHILDBIRTH, EARLY} <= set(scan_run.skipped_rules)
    assert not {CHILDBIRTH, EARLY} & set(scan_run.rules)
    assert scan_run.error == ""


@pytest.mark.parametrize(("on", "skipped"), [
    (dt.date(2019, 3, 31), True),
    (dt.date(2019, 4, 1), False),
])
def test_the_childbirth_rule_is_skipped_only_before_its_first_day(scan, make_person, on,
                                                                  skipped):
    make_person(fin="1LAW011")
    scan_run = scan(on)
    assert (CHILDBIRTH in scan_run.skipped_rules) is skipped
    assert (CHILDBIRTH in scan_run.rules) is not skipped


@pytest.mark.parametrize(("on", "skipped"), [
    (dt.date(2024, 4, 18), True),
    (dt.date(2024, 4, 19), False),
])
def test_the_early_pension_is_skipped_only_before_its_law(scan, make_person, on, skipped):
    make_person(fin="1LAW012")
    assert (EARLY in scan(on).skipped_rules) is skipped


def test_a_life_event_before_a_rule_was_in_force_skips_it(make_person):
    mother = make_person(fin="1LAW020")
    make_parent(make_person(fin="1LAW021", birth_date=dt.date(2018, 12, 20)), mother)
    assert entitlements_for_people(people=[mother.pk], on=dt.date(2019, 1, 1)) == 0


def test_the_command_summary_reports_held_and_skipped_rules(mother_and_retiree,
                                                            dispatch_at_once, capsys):
    call_command("proactive_scan", "--on", NO_RATE_YET.isoformat(), "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary["held_rules"]) >= CAPITAL_RULES
    assert MISSING_2027 in summary["missing_parameters"]
    assert summary["skipped_rules"] == []
    assert summary["stopped"] == 0
    assert summary["awarded"] == 1
    assert any(MISSING_2027 in line for line in lines[:-1])


def test_staff_see_what_a_scan_held_and_why(scan, mother_and_retiree, client, charlie):
    scan_run = scan(NO_RATE_YET)
    client.force_login(charlie)
    page = client.get(reverse("entitlements:scan_detail", args=[scan_run.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Held: waiting for a value the law has not given yet" in page
    assert MISSING_2027 in page
    assert "pensions.old_age" in page
    listing = client.get(reverse("entitlements:scan_list"),
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{len(scan_run.held_rules)} held ({MISSING_2027}" in listing


def test_staff_see_what_a_scan_skipped(scan, make_person, client, charlie):
    make_person(fin="1LAW030")
    scan_run = scan(dt.date(2019, 1, 1))
    client.force_login(charlie)
    page = client.get(reverse("entitlements:scan_detail", args=[scan_run.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Skipped: not in force yet on the scan date" in page
    assert CHILDBIRTH in page
    listing = client.get(reverse("entitlements:scan_list"),
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{len(scan_run.skipped_rules)} not in force yet" in listing
