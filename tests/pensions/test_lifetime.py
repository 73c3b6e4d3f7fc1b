"""Awards over a life that goes on: a death stops them, an annulled death restores them,
a late notice owes arrears, a rise of the minimum pension lifts them, and the database
lets a person hold one labour pension at a time."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dost.audit.models import DecisionEntry
from dost.bridge.services import death_annulled_apply
from dost.entitlements.engine import run_rule
from dost.entitlements.models import Award
from dost.entitlements.rules import rule_for_code
from dost.entitlements.stops import stop_on_death
from dost.payments.models import BankRequest, Payment, PaymentSchedule
from dost.payments.services import payments_plan_month
from tests.pensions.conftest import (
    TODAY,
    awards_of,
    employ,
    find_disabled,
    insure,
    make_parent,
    record_death,
    run_rules,
)

# A man who reached 65 on 2026-03-10: a scan on TODAY (2026-11-23) notices it late.
RETIRED_ON = dt.date(2026, 3, 10)


@pytest.fixture
def pensioner(make_person):
    person = make_person(fin="1PEN001", sex="M", birth_date=dt.date(1961, 3, 10))
    insure(person, range(2006, 2026), amount="3000")
    return person


def old_age_of(person) -> Award:
    [award] = awards_of(person, "old_age_pension")
    return award


def test_a_retirement_noticed_late_starts_on_the_day_and_owes_the_months_since(pensioner):
    run_rules(pensioner)

    award = old_age_of(pensioner)
    assert award.period_start == RETIRED_ON
    # March to October are owed at once; November is planned with the schedule.
    assert award.arrears == award.amount * 8
    arrears = BankRequest.objects.get(reference=f"award:{award.pk}:arrears")
    assert (arrears.kind, arrears.amount) == ("payment", award.arrears)
    assert PaymentSchedule.objects.get(reference=f"award:{award.pk}").starts_on == \
        dt.date(2026, 3, 1)


def test_a_retirement_noticed_in_its_own_month_owes_no_arrears(pensioner):
    run_rules(pensioner, on=dt.date(2026, 3, 20))

    assert old_age_of(pensioner).arrears == 0
    assert not BankRequest.objects.filter(reference__endswith=":arrears").exists()


def test_a_death_mid_month_stops_the_pension_after_that_month(pensioner):
    run_rules(pensioner)
    award = old_age_of(pensioner)
    payments_plan_month(month=TODAY)
    record_death(pensioner, dt.date(2026, 11, 15))

    stopped = stop_on_death(on=TODAY, people=[pensioner.pk])

    award.refresh_from_db()
    assert stopped.awards == 1
    assert (award.status, award.end_reason) == ("stopped", "death")
    assert award.period_end == dt.date(2026, 11, 30)
    assert award.period_end_before is None
    schedule = PaymentSchedule.objects.get(reference=f"award:{award.pk}")
    assert schedule.ends_on == dt.date(2026, 11, 30)
    # The month of death is still paid in full.
    assert Payment.objects.filter(schedule=schedule, month=dt.date(2026, 11, 1)).exists()


def test_a_death_on_the_last_day_of_a_month_stops_from_the_next(pensioner):
    run_rules(pensioner)
    record_death(pensioner, dt.date(2026, 10, 31))

    stop_on_death(on=TODAY, people=[pensioner.pk])

    assert old_age_of(pensioner).period_end == dt.date(2026, 10, 31)


def test_a_death_dated_after_the_scan_date_stops_nothing_yet(pensioner):
    run_rules(pensioner)
    record_death(pensioner, dt.date(2026, 11, 15))

    assert stop_on_death(on=dt.date(2026, 11, 14), people=[pensioner.pk]).awards == 0
    assert old_age_of(pensioner).status == "awarded"


def test_stopping_again_changes_nothing(pensioner):
    run_rules(pensioner)
    record_death(pensioner, dt.date(2026, 11, 15))
    stop_on_death(on=TODAY, people=[pensioner.pk])

    assert stop_on_death(on=TODAY, people=[pensioner.pk]).awards == 0
    assert DecisionEntry.objects.filter(kind="stop").count() == 1


def test_the_stop_is_a_decision_in_the_log(pensioner):
    run_rules(pensioner)
    award = old_age_of(pensioner)
    record_death(pensioner, dt.date(2026, 11, 15))
    stop_on_death(on=TODAY, people=[pensioner.pk])

    kinds = list(DecisionEntry.objects.filter(award_id=award.pk).order_by("id")
                 .values_list("kind", "decided_by"))
    assert kinds == [("award", "pensions.old_age"), ("stop", "stops.death")]
    # Exits (SystemExit 1) only when the chain is broken.
    call_command("verify_decision_log")


@pytest.fixture
def widow_and_child(make_person, pensioner):
    widow = make_person(fin="1WDW001", sex="F", birth_date=dt.date(1980, 1, 1))
    child = make_person(fin="1KDD001", birth_date=dt.date(2015, 5, 5))
    make_parent(child, pensioner)
    make_parent(child, widow)
    return widow, child


def test_an_annulled_death_restores_the_pension_with_arrears_and_annuls_the_survivor_share(
    pensioner, widow_and_child,
):
    widow, child = widow_and_child
    run_rules(pensioner, on=dt.date(2026, 4, 15))
    award = old_age_of(pensioner)
    assert award.arrears == award.amount
    record_death(pensioner, dt.date(2026, 8, 10))
    stop_on_death(on=dt.date(2026, 8, 20), people=[pensioner.pk])
    run_rules(child, on=dt.date(2026, 8, 20))
    [share] = awards_of(child, "survivor_pension")

    death_annulled_apply(TODAY, {"fin": pensioner.fin})

    award.refresh_from_db()
    share.refresh_from_db()
    pensioner.refresh_from_db()
    assert pensioner.death_date is None
    assert (award.status, award.end_reason, award.period_end) == ("awarded", "", None)
    # September up to the month before the correction is processed were missed.
    today = timezone.localdate()
    missed = (today.year - 2026) * 12 + today.month - 9
    restored = BankRequest.objects.get(reference__startswith=f"award:{award.pk}:restored:")
    assert restored.amount == award.amount * missed
    # March was owed when it was awarded.
    assert award.arrears == award.amount * (1 + missed)
    assert PaymentSchedule.objects.get(reference=f"award:{award.pk}").ends_on is None
    assert (share.status, share.end_reason) == ("annulled", "annulled")
    assert set(DecisionEntry.objects.filter(kind__in=["restore", "annul"])
               .values_list("kind", "award_id")) == {("restore", award.pk), ("annul", share.pk)}


def test_annulling_a_death_that_was_never_recorded_is_refused(pensioner):
    from dost.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        death_annulled_apply(TODAY, {"fin": pensioner.fin})
    assert refusal.value.code == "not_dead"


def insured_25_years_on_little(make_person, fin: str):
    """Entitled by 25 years of insurance, on a capital far below the minimum pension."""
    person = make_person(fin=fin, sex="M", birth_date=dt.date(1960, 3, 1))
    employ(person, dt.date(2000, 6, 1), dt.date(2006, 1, 1))
    insure(person, range(2006, 2026), amount="10")
    return person


def test_a_rise_of_the_minimum_pension_lifts_a_pension_below_it_from_its_date(make_person):
    person = insured_25_years_on_little(make_person, "1MNM001")
    run_rules(person, on=dt.date(2025, 6, 1))
    before = old_age_of(person)
    assert before.amount == Decimal("320")

    run_rule(rule_for_code("pensions.minimum_lift.old_age_pension"), on=dt.date(2026, 2, 5),
             people=[person.pk])

    before.refresh_from_db()
    lifted, = [award for award in awards_of(person, "old_age_pension") if award.pk != before.pk]
    assert (lifted.amount, lifted.period_start) == (Decimal("349.76"), dt.date(2026, 1, 1))
    assert (before.period_end, before.end_reason) == (dt.date(2025, 12, 31), "new_period")
    # January is owed at the new amount.
    assert lifted.arrears == Decimal("349.76")
    assert lifted.facts["lifted_to_minimum"]["before"] == "320.00"


def test_the_minimum_pension_lift_runs_once(make_person):
    person = insured_25_years_on_little(make_person, "1MNM002")
    run_rules(person, on=dt.date(2025, 6, 1))
    rule = rule_for_code("pensions.minimum_lift.old_age_pension")

    assert run_rule(rule, on=dt.date(2026, 2, 5), people=[person.pk]).awarded == 1
    assert run_rule(rule, on=dt.date(2026, 3, 5), people=[person.pk]).awarded == 0


def test_the_database_refuses_a_second_labour_pension_in_the_same_period(pensioner):
    run_rules(pensioner)
    award = old_age_of(pensioner)

    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(person=pensioner, benefit="disability_pension", rule="manual",
                             amount=Decimal("300"), frequency="monthly",
                             period_start=award.period_start + dt.timedelta(days=40),
                             parameters={}, facts={})


def test_the_database_accepts_labour_pensions_one_after_the_other(pensioner):
    find_disabled(pensioner, determined_on=dt.date(2020, 1, 1))
    Award.objects.create(person=pensioner, benefit="disability_pension", rule="manual",
                         amount=Decimal("300"), frequency="monthly",
                         period_start=dt.date(2020, 1, 1),
                         period_end=RETIRED_ON - dt.timedelta(days=1),
                         parameters={}, facts={})

    Award.objects.create(person=pensioner, benefit="old_age_pension", rule="manual",
                         amount=Decimal("400"), frequency="monthly", period_start=RETIRED_ON,
                         parameters={}, facts={})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_rules_awarding_labour_pensions_at_once_leave_one(make_person):
    """Two workers, each in its own transaction, see no pension and award one: the
    database lets only the first commit stand."""
    person = make_person(fin="1TWW001", sex="M", birth_date=dt.date(1961, 3, 10))
    insure(person, range(2006, 2026), amount="3000")
    first_statement_done = threading.Event()
    outcomes: dict[str, object] = {}

    def award(benefit: str, wait_for_other: bool) -> None:
        try:
            if wait_for_other:
                first_statement_done.wait(5)
            with transaction.atomic():
                Award.objects.create(person=person, benefit=benefit, rule="race",
                                     amount=Decimal("300"), frequency="monthly",
                                     period_start=RETIRED_ON, parameters={}, facts={})
                if not wait_for_other:
                    first_statement_done.set()
                    # Hold the transaction open while the other worker tries.
                    threading.Event().wait(0.5)
            outcomes[benefit] = "awarded"
        except IntegrityError as refusal:
            outcomes[benefit] = refusal
        finally:
            connection.close()

    workers = [threading.Thread(target=award, args=("old_age_pension", False)),
               threading.Thread(target=award, args=("disability_pension", True))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)

    assert outcomes["old_age_pension"] == "awarded"
    assert isinstance(outcomes["disability_pension"], IntegrityError)
    assert "award_one_labour_pension" in str(outcomes["disability_pension"])
    assert Award.objects.filter(person=person).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_two_pension_rules_at_once_award_one_then_switch(make_person):
    """A mother of five on the early-pension age with a disability finding: the disability
    and early old-age rules, in two workers at once, each see no pension. The database lets
    the first stand; the second worker's retry finds it and switches only if higher."""
    mother = make_person(fin="1MMM501", sex="F", birth_date=dt.date(1966, 5, 1))
    employ(mother, dt.date(2000, 1, 1), dt.date(2006, 1, 1))
    insure(mother, range(2006, 2026), amount="2000")
    for number in range(5):
        make_parent(make_person(fin=f"1CCC{number:03d}", birth_date=dt.date(1990 + number, 1, 1)),
                    mother)
    # Disabled at 46: the disability pension rests on the capital she had then.
    find_disabled(mother, determined_on=dt.date(2012, 9, 1), percent=70)
    disability, early = (rule_for_code("pensions.disability"),
                         rule_for_code("pensions.early_old_age_mothers"))
    first_statement_done = threading.Event()
    outcomes: dict[str, object] = {}

    def work(rule, *, first: bool) -> None:
        try:
            if not first:
                first_statement_done.wait(5)
            with transaction.atomic():
                outcome = run_rule(rule, on=TODAY, people=[mother.pk])
                if first:
                    first_statement_done.set()
                    threading.Event().wait(0.5)  # commit only after the other has tried
            outcomes[rule.code] = outcome.awarded
        except IntegrityError as refusal:
            outcomes[rule.code] = refusal
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(disability,), kwargs={"first": True}),
               threading.Thread(target=work, args=(early,), kwargs={"first": False})]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)

    assert outcomes["pensions.disability"] == 1
    assert "award_one_labour_pension" in str(outcomes["pensions.early_old_age_mothers"])
    assert Award.objects.filter(person=mother).count() == 1

    # The retry sees the disability pension: the early pension, on her whole capital, is
    # higher, so it replaces it from its own day.
    assert run_rule(early, on=TODAY, people=[mother.pk]).awarded == 1
    [old_age] = awards_of(mother, "old_age_pension")
    [replaced] = awards_of(mother, "disability_pension")
    assert (replaced.status, replaced.end_reason) == ("superseded", "switch")
    assert old_age.period_start == dt.date(2025, 5, 1)
    assert replaced.period_end == dt.date(2025, 4, 30)
    assert old_age.amount > replaced.amount


def test_a_labour_pension_ends_the_social_disability_benefit_from_its_day(make_person):
    person = make_person(fin="1SCL001", sex="M", birth_date=dt.date(1961, 3, 10))
    # Found disabled at 63 without the insurance a disability pension needs; a large last
    # year of work then pays for an old-age pension at 65.
    find_disabled(person, determined_on=dt.date(2025, 1, 1), percent=70)
    insure(person, range(2025, 2026), amount="100000")
    run_rules(person, on=dt.date(2025, 6, 1))
    [benefit] = awards_of(person, "disability_benefit")

    run_rules(person)

    benefit.refresh_from_db()
    old_age = old_age_of(person)
    assert old_age.period_start == RETIRED_ON
    assert (benefit.status, benefit.end_reason) == ("superseded", "switch")
    assert benefit.period_end == RETIRED_ON - dt.timedelta(days=1)
