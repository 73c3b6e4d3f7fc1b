"""Cross-checks and the system's decision: award with the right amount, or refusal on
each ground the law gives, with its source, the declared value and the value found."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.applications.models import Application
from dost.audit.models import DecisionEntry
from dost.bridge.registers import (
    Absence,
    Business,
    JobSeeker,
    LargeTransaction,
    RealEstate,
    UtilityBill,
    Vehicle,
)
from dost.entitlements.models import Award
from dost.notifications.models import SmsMessage
from dost.payments.models import BankRequest, PaymentSchedule
from dost.registry.models import DisabilityStatus, EmploymentSpell, Study
from tests.vemtas.households import apply, household
from vemtas.checks import cases_cross_check
from vemtas.models import CaseState, Ground

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def _decide(case):
    cases_cross_check(case_ids=[case.pk], on=TODAY)
    case.refresh_from_db()
    return case


def _grounds(case) -> set[str]:
    return set(case.discrepancies.values_list("ground", flat=True))


def _no_visit(case):
    type(case).objects.filter(pk=case.pk).update(visit_required=False)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("applied_on", "criterion", "amount"), [
    (dt.date(2025, 12, 31), Decimal(285), Decimal(285 * 3 - 150)),
    (dt.date(2026, 1, 1), Decimal(300), Decimal(300 * 3 - 150)),
])
def test_an_eligible_household_is_awarded_with_the_criterion_in_force_on_the_application_day(
        applied_on, criterion, amount):
    _home, (mother, daughter, son) = household(dt.date(1990, 5, 1), dt.date(2016, 2, 2),
                                               dt.date(2019, 3, 3))
    case = _decide(_no_visit(apply(mother, on=applied_on, income="150")))

    assert case.state == CaseState.AWARDED
    assert case.criterion == criterion and case.members_counted == 3
    award = Award.objects.get(pk=case.award_id)
    assert award.benefit == "tssa" and award.amount == amount
    assert award.period_start == applied_on.replace(day=1)
    assert award.period_end == applied_on.replace(day=1).replace(
        year=applied_on.year + 1) - dt.timedelta(days=1)
    assert Application.objects.get(pk=case.application_id).status == "approved"
    assert PaymentSchedule.objects.filter(reference=f"award:{award.pk}",
                                          monthly_amount=amount).exists()
    # No account on file: the bank is asked to issue a card.
    assert BankRequest.objects.filter(reference=f"award:{award.pk}:account",
                                      kind="open_account").exists()
    assert SmsMessage.objects.filter(person=mother, template="award_granted").exists()
    assert DecisionEntry.objects.filter(award_id=award.pk, kind="award").exists()


def test_a_clean_case_that_needs_a_visit_waits_for_it_undecided():
    _home, (mother,) = household(dt.date(1990, 5, 1))
    case = _decide(apply(mother, on=TODAY, income="50"))
    assert case.state == CaseState.VISIT
    assert case.assessment.state == "unassigned"
    assert not Award.objects.filter(person=mother).exists()


def test_a_refusal_lists_each_ground_with_its_source_and_tells_the_citizen():
    _home, (mother, son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-123", make="Toyota Prius",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    EmploymentSpell.objects.create(person=mother, employer_name="Azersu", employer_tin="1234567890",
                                   occupation_code="1234", started_on=dt.date(2024, 1, 1),
                                   monthly_wage=Decimal(900), source_id="tax")
    case = _decide(apply(mother, on=TODAY, income="100"))

    assert case.state == CaseState.REFUSED and case.false_declaration
    rows = {(d.ground, d.source): d for d in case.discrepancies.all()}
    assert rows[(Ground.VEHICLE, "vehicles")].found == "10-AB-123 Toyota Prius"
    undeclared = rows[(Ground.INCOME_UNDECLARED, "income")]
    assert (undeclared.declared, undeclared.found) == ("100.00", "900.00")
    assert (Ground.INCOME_ABOVE_CRITERION, "income") in rows
    assert Application.objects.get(pk=case.application_id).status == "rejected"
    sms = SmsMessage.objects.get(person=mother, template="tssa_refused")
    assert sms.context["grounds"] == 3
    entry = DecisionEntry.objects.get(subject=f"tssa-case:{case.pk}", kind="refusal")
    assert {g["ground"] for g in entry.details["grounds"]} == {
        "vehicle", "income_undeclared", "income_above_criterion"}
    assert not Award.objects.filter(person=mother).exists()


# Each ground on a household that has it and on one that does not.

def test_income_ground_counts_wages_benefits_and_unemployment_insurance_of_12_months():
    _home, (mother, son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1), idle=(0,))
    JobSeeker.objects.create(person=mother, registered_on=dt.date(2025, 3, 1),
                             insurance_monthly=Decimal(300), insurance_until=dt.date(2025, 9, 1),
                             source_id="employment_service")
    Award.objects.create(person=mother, benefit="loss_of_breadwinner", rule="x",
                         amount=Decimal(120), frequency="monthly",
                         period_start=dt.date(2025, 3, 1), parameters={}, facts={})
    declared_all = _decide(_no_visit(apply(mother, on=TODAY, income="275")))
    assert Ground.INCOME_UNDECLARED not in _grounds(declared_all)
    # Nearly 6 months of 300 and 12 of 120, over 12 months: about 144 + 120 a month.
    assert Decimal(260) < declared_all.found_income < Decimal(270)


def test_income_found_above_the_declared_is_a_ground_and_below_is_not():
    _home, (mother,) = household(dt.date(1980, 5, 1))
    EmploymentSpell.objects.create(person=mother, employer_name="Azersu", employer_tin="1",
                                   occupation_code="1", started_on=dt.date(2020, 1, 1),
                                   monthly_wage=Decimal(120), source_id="tax")
    refused = _decide(apply(mother, on=TODAY, income="50"))
    assert Ground.INCOME_UNDECLARED in _grounds(refused)

    _home, (other,) = household(dt.date(1981, 5, 1))
    EmploymentSpell.objects.create(person=other, employer_name="Azersu", employer_tin="1",
                                   occupation_code="1", started_on=dt.date(2020, 1, 1),
                                   monthly_wage=Decimal(120), source_id="tax")
    clean = _decide(_no_visit(apply(other, on=TODAY, income="120")))
    assert _grounds(clean) == set() and clean.state == CaseState.AWARDED
    assert clean.amount == Decimal(300 - 120)


def test_income_not_below_the_criterion_for_the_household_is_a_ground():
    _home, (mother, son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    assert Ground.INCOME_ABOVE_CRITERION in _grounds(_decide(apply(mother, on=TODAY,
                                                                   income="600")))
    _home, (other, child) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    assert Ground.INCOME_ABOVE_CRITERION not in _grounds(_decide(apply(other, on=TODAY,
                                                                       income="599")))


def test_an_undeclared_business_is_a_ground_and_a_declared_one_only_income():
    _home, (mother,) = household(dt.date(1980, 5, 1))
    Business.objects.create(person=mother, tin="1700000001", name="Bakery", monthly_income=50,
                            registered_on=dt.date(2022, 1, 1), source_id="tax")
    assert Ground.BUSINESS_UNDECLARED in _grounds(_decide(apply(mother, on=TODAY,
                                                                income="50")))
    _home, (other,) = household(dt.date(1980, 5, 1))
    Business.objects.create(person=other, tin="1700000002", name="Bakery", monthly_income=50,
                            registered_on=dt.date(2022, 1, 1), source_id="tax")
    clean = _decide(apply(other, on=TODAY, income="50", business=True))
    assert _grounds(clean) == set()


def test_a_registry_member_left_out_or_a_dead_member_kept_is_a_household_mismatch():
    _home, (mother, son) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    left_out = _decide(apply(mother, on=TODAY, confirmed=[mother]))
    mismatch = left_out.discrepancies.get(ground=Ground.HOUSEHOLD_MISMATCH)
    assert (mismatch.person_id, mismatch.source) == (son.pk, "civil_registry")

    _home, (other, child) = household(dt.date(1980, 5, 1), dt.date(2010, 1, 1))
    assert Ground.HOUSEHOLD_MISMATCH not in _grounds(_decide(apply(other, on=TODAY)))


def test_large_purchases_above_12_living_minimums_are_a_ground():
    _home, (mother,) = household(dt.date(1980, 5, 1))
    LargeTransaction.objects.create(person=mother, kind="purchase", item="flat",
                                    amount=Decimal(3601), on=dt.date(2025, 6, 1),
                                    source_id="notary")
    assert Ground.LARGE_TRANSACTIONS in _grounds(_decide(apply(mother, on=TODAY)))
    _home, (other,) = household(dt.date(1980, 5, 1))
    LargeTransaction.objects.create(person=other, kind="sale", item="car",
                                    amount=Decimal(3600), on=dt.date(2025, 6, 1),
                                    source_id="notary")
    # Older than 12 months: not counted.
    LargeTransaction.objects.create(person=other, kind="sale", item="flat",
                                    amount=Decimal(50000), on=dt.date(2024, 6, 1),
                                    source_id="notary")
    assert Ground.LARGE_TRANSACTIONS not in _grounds(_decide(apply(other, on=TODAY)))


def test_a_vehicle_is_a_ground_but_a_rehabilitation_vehicle_from_the_state_is_not():
    _home, (mother,) = household(dt.date(1980, 5, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-123", make="Lada",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    assert Ground.VEHICLE in _grounds(_decide(apply(mother, on=TODAY)))
    _home, (other,) = household(dt.date(1980, 5, 1))
    Vehicle.objects.create(person=other, plate="10-AB-124", make="Lada",
                           registered_on=dt.date(2020, 1, 1), given_by_state=True,
                           source_id="vehicles")
    assert Ground.VEHICLE not in _grounds(_decide(apply(other, on=TODAY)))


def test_two_properties_of_one_purpose_at_different_addresses_are_a_ground():
    _home, (mother,) = household(dt.date(1980, 5, 1))
    for address in ("Nizami 1", "Füzuli 7"):
        RealEstate.objects.create(person=mother, purpose="residential", address=address,
                                  region_id="nasimi", registered_on=dt.date(2015, 1, 1),
                                  source_id="property")
    assert Ground.REAL_ESTATE in _grounds(_decide(apply(mother, on=TODAY)))
    _home, (other,) = household(dt.date(1980, 5, 1))
    RealEstate.objects.create(person=other, purpose="residential", address="Nizami 1",
                              region_id="nasimi", registered_on=dt.date(2015, 1, 1),
                              source_id="property")
    RealEstate.objects.create(person=other, purpose="garage", address="Füzuli 7",
                              region_id="nasimi", registered_on=dt.date(2015, 1, 1),
                              source_id="property")
    assert Ground.REAL_ESTATE not in _grounds(_decide(apply(other, on=TODAY)))


def _bills(home, monthly: str) -> None:
    for month in [*(dt.date(2025, m, 1) for m in range(3, 13)), dt.date(2026, 1, 1),
                  dt.date(2026, 2, 1)]:
        UtilityBill.objects.create(household=home, service="electricity", month=month,
                                   amount=Decimal(monthly), source_id="utilities")


def test_utility_costs_per_member_from_15_percent_of_the_living_minimum_are_a_ground():
    home, (mother,) = household(dt.date(1980, 5, 1))
    _bills(home, "45")  # 15 % of 300
    assert Ground.UTILITIES in _grounds(_decide(apply(mother, on=TODAY)))
    home, (other,) = household(dt.date(1980, 5, 1))
    _bills(home, "44.90")
    assert Ground.UTILITIES not in _grounds(_decide(apply(other, on=TODAY)))


def test_refusing_two_suitable_jobs_is_a_ground_and_one_is_not():
    _home, (mother,) = household(dt.date(1980, 5, 1), idle=(0,))
    JobSeeker.objects.create(person=mother, registered_on=dt.date(2025, 1, 1),
                             suitable_offers_refused=2, last_refusal_on=dt.date(2026, 1, 5),
                             source_id="employment_service")
    assert Ground.REFUSED_JOBS in _grounds(_decide(apply(mother, on=TODAY)))
    _home, (other,) = household(dt.date(1980, 5, 1), idle=(0,))
    JobSeeker.objects.create(person=other, registered_on=dt.date(2025, 1, 1),
                             suitable_offers_refused=1, last_refusal_on=dt.date(2026, 1, 5),
                             source_id="employment_service")
    assert _grounds(_decide(apply(other, on=TODAY))) == set()


def test_an_able_bodied_member_neither_working_nor_seeking_work_is_a_ground():
    _home, (mother, husband) = household(dt.date(1980, 5, 1), dt.date(1978, 1, 1), idle=(1,))
    idle = _decide(apply(mother, on=TODAY))
    assert idle.discrepancies.get(ground=Ground.IDLE_MEMBER).person_id == husband.pk


# Each valid reason for low income clears an able-bodied member who does not work.

def _idle_husband_case(reason) -> set[str]:
    home, (mother, husband) = household(dt.date(1980, 5, 1), dt.date(1978, 1, 1), idle=(1,))
    reason(home, husband)
    return _grounds(_decide(apply(mother, on=TODAY)))


def _unable_to_work(home, member):
    DisabilityStatus.objects.create(person=member, percent=65, determined_on=dt.date(2020, 1, 1),
                                    source_id="msec")


def _cares_for_a_person_with_81_percent(home, member):
    from tests.vemtas.households import person
    grandmother = person(home, birth=dt.date(1940, 1, 1))
    DisabilityStatus.objects.create(person=grandmother, percent=85,
                                    determined_on=dt.date(2020, 1, 1), source_id="msec")


def _cares_for_a_child_with_disability(home, member):
    from tests.vemtas.households import person
    child = person(home, birth=dt.date(2012, 1, 1))
    DisabilityStatus.objects.create(person=child, percent=45, determined_on=dt.date(2020, 1, 1),
                                    source_id="msec")


def _cares_for_a_child_under_8(home, member):
    from tests.vemtas.households import person
    person(home, birth=dt.date(2019, 1, 1))


def _full_time_student_under_23(home, member):
    type(member).objects.filter(pk=member.pk).update(birth_date=dt.date(2004, 1, 1))
    Study.objects.create(person=member, institution="BDU", full_time=True,
                         started_on=dt.date(2022, 9, 1), source_id="education")


def _on_unemployment_insurance(home, member):
    JobSeeker.objects.create(person=member, registered_on=dt.date(2026, 1, 1),
                             insurance_monthly=Decimal(1), insurance_until=dt.date(2026, 7, 1),
                             source_id="employment_service")


def _imprisoned(home, member):
    Absence.objects.create(person=member, kind="imprisoned", since=dt.date(2024, 1, 1),
                           source_id="justice")


def _missing(home, member):
    Absence.objects.create(person=member, kind="missing", since=dt.date(2024, 1, 1),
                           source_id="justice")


@pytest.mark.parametrize("reason", [
    _unable_to_work, _cares_for_a_person_with_81_percent, _cares_for_a_child_with_disability,
    _cares_for_a_child_under_8, _full_time_student_under_23, _on_unemployment_insurance,
    _imprisoned, _missing,
])
def test_each_valid_reason_for_low_income_clears_a_member_who_does_not_work(reason):
    assert Ground.IDLE_MEMBER not in _idle_husband_case(reason)


def test_a_student_of_23_or_a_child_of_8_is_no_longer_a_valid_reason():
    def old_student(home, member):
        type(member).objects.filter(pk=member.pk).update(birth_date=dt.date(2003, 3, 10))
        Study.objects.create(person=member, institution="BDU", full_time=True,
                             started_on=dt.date(2022, 9, 1), source_id="education")

    def child_of_8(home, member):
        from tests.vemtas.households import person
        person(home, birth=dt.date(2018, 3, 10))

    assert Ground.IDLE_MEMBER in _idle_husband_case(old_student)
    assert Ground.IDLE_MEMBER in _idle_husband_case(child_of_8)


def test_a_dead_member_kept_on_the_declaration_is_a_mismatch_not_an_idle_member():
    _home, (mother, husband) = household(dt.date(1980, 5, 1), dt.date(1978, 1, 1), idle=(1,))
    case = apply(mother, on=TODAY)
    type(husband).objects.filter(pk=husband.pk).update(death_date=dt.date(2026, 3, 1))
    grounds = _grounds(_decide(case))
    assert Ground.HOUSEHOLD_MISMATCH in grounds and Ground.IDLE_MEMBER not in grounds
