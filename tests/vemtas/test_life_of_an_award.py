"""An award over the life that follows: a birth raises it from its month, a death lowers
it, a new job or a vehicle stops it, the household is invited to renew; and who may
apply at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from dost.accounts.models import KNOWN_EVENT_TYPES, Scope
from dost.accounts.services import institution_token_create
from dost.applications.models import Application
from dost.audit.models import DecisionEntry
from dost.bridge.registers import Vehicle
from dost.bridge.services import event_receive
from dost.entitlements.models import Award
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.registry.models import FamilyRelation, Person
from tests.vemtas.households import apply, household
from vemtas.changes import awards_recheck, renewals_invite
from vemtas.checks import cases_cross_check
from vemtas.decisions import case_overturn
from vemtas.models import CaseState, Change, ChangeState

pytestmark = pytest.mark.django_db


@pytest.fixture
def justice(db):
    token, _raw = institution_token_create(name="Ministry of Justice",
                                           scopes=[Scope.EVENTS_WRITE],
                                           event_types=list(KNOWN_EVENT_TYPES))
    return token.institution


def _awarded(applicant, *, on: dt.date, income: str = "100"):
    case = apply(applicant, on=on, income=income)
    type(case).objects.filter(pk=case.pk).update(visit_required=False)
    cases_cross_check(case_ids=[case.pk], on=timezone.localdate())
    case.refresh_from_db()
    assert case.state == CaseState.AWARDED
    return case


def _tssa(person):
    return list(Award.objects.filter(person=person, benefit="tssa").order_by("period_start"))


def test_a_birth_raises_the_award_from_its_month_and_brings_the_child_benefit(justice):
    today = timezone.localdate()
    applied = (today.replace(day=1) - dt.timedelta(days=150)).replace(day=15)
    born = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=20)
    _home, (mother, son) = household(dt.date(1990, 5, 1), dt.date(2016, 2, 2))
    case = _awarded(mother, on=applied)
    criterion = case.criterion
    assert _tssa(mother)[0].amount == criterion * 2 - 100

    event_receive(institution=justice, event_id="birth-1", type="birth", occurred_on=born,
                  data={"child": {"fin": "7KXD001", "first_name": "Nuray",
                                  "last_name": "Quliyeva", "sex": "F", "birth_date": born},
                        "mother_fin": mother.fin, "father_fin": None})

    first, raised = _tssa(mother)
    assert raised.period_start == born.replace(day=1)
    assert raised.amount == criterion * 3 - 100 and raised.period_end == case.period_end
    assert first.period_end == born.replace(day=1) - dt.timedelta(days=1)
    change = Change.objects.get(case=case)
    assert (change.kind, change.state, change.award_id) == ("birth", ChangeState.CHANGED,
                                                            raised.pk)
    child = Person.objects.get(fin="7KXD001")
    benefit = Award.objects.get(person=mother, benefit="tssa_child_under_one")
    assert benefit.basis_person_id == child.pk and benefit.amount == Decimal(140)
    assert benefit.period_start == born.replace(day=1)
    assert DecisionEntry.objects.filter(award_id=raised.pk, kind="award").exists()


def test_a_death_in_the_household_lowers_the_award_from_the_next_month(justice):
    today = timezone.localdate()
    applied = (today.replace(day=1) - dt.timedelta(days=150)).replace(day=15)
    died = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=20)
    _home, (mother, grandmother) = household(dt.date(1990, 5, 1), dt.date(1950, 2, 2))
    case = _awarded(mother, on=applied)
    event_receive(institution=justice, event_id="death-1", type="death", occurred_on=died,
                  data={"fin": grandmother.fin})

    first, lowered = _tssa(mother)
    assert lowered.period_start == (died.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert lowered.amount == case.criterion * 1 - 100


def test_a_new_job_that_lifts_income_to_the_criterion_stops_the_award(justice):
    today = timezone.localdate()
    applied = (today.replace(day=1) - dt.timedelta(days=150)).replace(day=15)
    started = (today.replace(day=1) - dt.timedelta(days=40)).replace(day=3)
    _home, (mother, son) = household(dt.date(1990, 5, 1), dt.date(2016, 2, 2))
    _awarded(mother, on=applied)
    event_receive(institution=justice, event_id="job-1", type="employment_start",
                  occurred_on=started,
                  data={"fin": mother.fin, "employer_name": "Azersu",
                        "employer_tin": "1700000001", "occupation_code": "4110",
                        "monthly_wage": "900.00"})

    (award,) = _tssa(mother)
    assert award.status == "stopped"
    assert award.period_end == (started.replace(day=1) + dt.timedelta(days=32)).replace(
        day=1) - dt.timedelta(days=1)
    assert Change.objects.get(kind="job").state == ChangeState.STOPPED
    assert SmsMessage.objects.filter(person=mother, template="tssa_stopped").exists()


def test_a_vehicle_registered_after_the_award_stops_it_on_the_daily_recheck():
    today = timezone.localdate()
    applied = (today.replace(day=1) - dt.timedelta(days=150)).replace(day=15)
    _home, (mother,) = household(dt.date(1990, 5, 1))
    case = _awarded(mother, on=applied)
    assert awards_recheck(on=today) == 0
    bought = today - dt.timedelta(days=10)
    Vehicle.objects.create(person=mother, plate="90-XY-001", make="Kia Rio", registered_on=bought,
                           source_id="vehicles")

    assert awards_recheck(on=today) == 1
    assert awards_recheck(on=today) == 0
    (award,) = _tssa(mother)
    assert award.status == "stopped"
    assert case.discrepancies.get().found == "90-XY-001 Kia Rio"


def test_the_household_is_invited_to_renew_once_before_the_period_ends():
    today = timezone.localdate()
    _home, (mother,) = household(dt.date(1990, 5, 1))
    case = _awarded(mother, on=today)
    assert renewals_invite(on=case.period_end - dt.timedelta(days=31)) == 0
    assert renewals_invite(on=case.period_end - dt.timedelta(days=30)) == 1
    assert renewals_invite(on=case.period_end - dt.timedelta(days=10)) == 0
    assert SmsMessage.objects.filter(person=mother, template="tssa_renewal").count() == 1


def test_the_renewal_form_starts_from_the_last_declaration():
    from vemtas.applications import TargetedAssistanceForm

    _home, (mother,) = household(dt.date(1990, 5, 1))
    _awarded(mother, on=timezone.localdate(), income="123.45")
    form = TargetedAssistanceForm(person=mother)
    assert form.fields["monthly_income"].initial == Decimal("123.45")


def test_a_renewal_skips_the_home_visit_and_continues_the_award():
    today = timezone.localdate()
    _home, (mother,) = household(dt.date(1990, 5, 1))
    first = _awarded(mother, on=today - dt.timedelta(days=340))
    renewal = apply(mother, on=first.period_end - dt.timedelta(days=5))
    assert renewal.renewal_of == first and not renewal.visit_required


def test_a_third_party_cannot_apply_for_another_household():
    _home, (mother,) = household(dt.date(1990, 5, 1))
    _other, (stranger,) = household(dt.date(1985, 5, 1))
    with translation.override("en"), pytest.raises(DomainError, match="legal representative"):
        apply(mother, on=timezone.localdate(), submitted_by=stranger)
    assert not mother.tssa_cases.exists()


def test_a_registered_legal_representative_may_apply_for_the_person_represented():
    _home, (ward,) = household(dt.date(1950, 5, 1))
    _other, (guardian,) = household(dt.date(1980, 5, 1))
    FamilyRelation.objects.create(person=ward, relative=guardian, kind="guardian",
                                  source_id="justice")
    case = apply(ward, on=timezone.localdate(), submitted_by=guardian)
    assert case.applicant == ward and case.submitted_by == guardian


def test_a_second_application_while_one_is_open_is_refused():
    _home, (mother, son) = household(dt.date(1990, 5, 1), dt.date(2016, 2, 2))
    apply(mother, on=timezone.localdate())
    with translation.override("en"), pytest.raises(DomainError, match="still being decided"):
        apply(son, on=timezone.localdate())


def test_a_false_declaration_bars_the_household_for_a_year():
    today = timezone.localdate()
    _home, (mother,) = household(dt.date(1990, 5, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-777", make="Lada",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    # A vehicle is a ground, not a false declaration: she may apply again at once.
    cases_cross_check(case_ids=[apply(mother, on=today).pk])
    second = apply(mother, on=today, business=False)
    type(second).objects.filter(pk=second.pk).update(false_declaration=True,
                                                     state=CaseState.REFUSED,
                                                     decided_at=timezone.now())
    Application.objects.filter(pk=second.application_id).update(status="rejected")
    with translation.override("en"), pytest.raises(DomainError, match="for a year"):
        apply(mother, on=today)
    type(second).objects.filter(pk=second.pk).update(
        decided_at=timezone.now() - dt.timedelta(days=367))
    assert apply(mother, on=today).state == CaseState.CHECKING


def test_staff_overturn_a_refusal_only_with_a_reason_and_it_is_logged(charlie):
    today = timezone.localdate()
    _home, (mother,) = household(dt.date(1990, 5, 1))
    Vehicle.objects.create(person=mother, plate="10-AB-778", make="Lada",
                           registered_on=dt.date(2020, 1, 1), source_id="vehicles")
    case = apply(mother, on=today, income="50")
    cases_cross_check(case_ids=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED
    with translation.override("en"), pytest.raises(DomainError, match="reason"):
        case_overturn(case=case, actor=charlie, reason="  ")
    case.refresh_from_db()
    assert case.state == CaseState.REFUSED

    case = case_overturn(case=case, actor=charlie,
                         reason="The car was sold in 2021; the register was not updated.")
    assert case.state == CaseState.AWARDED and case.award.amount == case.criterion - 50
    entry = DecisionEntry.objects.get(subject=f"tssa-case:{case.pk}", kind="application")
    assert entry.decided_by == f"official:{charlie.pk}" and "sold" in entry.details["reason"]

    with translation.override("en"), pytest.raises(DomainError, match="already overturned"):
        case_overturn(case=case, actor=charlie, reason="The car was found in use after all.")


def test_staff_overturn_an_award_which_stops_it(charlie):
    _home, (mother,) = household(dt.date(1990, 5, 1))
    case = _awarded(mother, on=timezone.localdate())
    case = case_overturn(case=case, actor=charlie, reason="The household lives abroad.")
    assert case.state == CaseState.REFUSED
    assert Award.objects.get(pk=case.award_id).status == "stopped"


def test_a_representative_living_with_the_ward_counts_as_a_member_without_ticking():
    _home, (ward, guardian) = household(dt.date(1950, 5, 1), dt.date(1980, 5, 1))
    FamilyRelation.objects.create(person=ward, relative=guardian, kind="guardian",
                                  source_id="justice")
    case = apply(ward, on=timezone.localdate(), submitted_by=guardian, confirmed=[])
    assert set(case.members.filter(confirmed=True).values_list("person_id", flat=True)) == {
        ward.pk, guardian.pk}
