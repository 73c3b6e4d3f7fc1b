from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.entitlements.models import Award, ScanRun
from dost.entitlements.parameters import ParameterMissing, parameter_on
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.tasks import scan_launch
from dost.notifications.models import SmsMessage
from dost.payments.models import BankRequest, PaymentSchedule
from dost.registry.models import Contribution, FamilyRelation

TODAY = dt.date(2026, 11, 23)


def test_a_law_change_takes_effect_on_its_date_and_not_before():
    assert parameter_on("childbirth_allowance", dt.date(2025, 6, 30)).value == 500
    assert parameter_on("childbirth_allowance", dt.date(2025, 7, 1)).value == 600
    with pytest.raises(ParameterMissing):
        parameter_on("childbirth_allowance", dt.date(2000, 1, 1))


@pytest.fixture
def mother_and_baby(make_person):
    mother = make_person(fin="1MAM001", first_name="Günay", phone="+994501234567")
    baby = make_person(fin="1BBY001", first_name="Aylin", birth_date=TODAY - dt.timedelta(days=3))
    FamilyRelation.objects.create(person=baby, relative=mother, kind="parent",
                                  since=baby.birth_date, source_id="justice")
    return mother, baby


def test_birth_gives_the_mother_the_allowance_with_sms_and_bank_request(mother_and_baby):
    mother, baby = mother_and_baby
    assert entitlements_for_people(people=[mother.pk, baby.pk], on=TODAY) == 1
    award = Award.objects.get(benefit="childbirth_allowance")
    assert (award.person, award.basis_person, award.amount) == (mother, baby, Decimal("600"))
    assert award.facts["child_fin"] == "1BBY001"
    assert award.parameters["childbirth_allowance"][-1]["value"] == "600"
    sms = SmsMessage.objects.get(dedupe_key=f"award:{award.pk}")
    assert (sms.phone, sms.template) == ("+994501234567", "award_granted")
    kinds = set(BankRequest.objects.filter(person=mother).values_list("kind", flat=True))
    assert kinds == {"open_account", "payment"}


def test_running_the_rules_again_awards_nothing_new(mother_and_baby):
    mother, baby = mother_and_baby
    entitlements_for_people(people=[mother.pk], on=TODAY)
    assert entitlements_for_people(people=[mother.pk], on=TODAY + dt.timedelta(days=1)) == 0
    assert Award.objects.count() == SmsMessage.objects.count() == 1


def test_a_birth_before_a_law_change_gets_the_old_amount(make_person):
    mother = make_person(fin="1MAM002")
    baby = make_person(fin="1BBY002", birth_date=dt.date(2025, 6, 20))
    FamilyRelation.objects.create(person=baby, relative=mother, kind="parent",
                                  source_id="justice")
    entitlements_for_people(people=[mother.pk], on=dt.date(2025, 7, 10))
    assert Award.objects.get().amount == Decimal("500")


def scan(on, capture):
    with capture(execute=True):
        run = scan_launch(on=on)
    run.refresh_from_db()
    return run


def test_a_person_at_retirement_age_with_enough_insurance_gets_a_pension(
    make_person, django_capture_on_commit_callbacks
):
    retiree = make_person(fin="1XLD001", sex="M", birth_date=dt.date(1961, 3, 1),
                          bank_account="")
    Contribution.objects.bulk_create(
        Contribution(person=retiree, year=year, insured_months=12, wage_total=12_000,
                     amount=3_000, source_id="sssf")
        for year in range(2006, 2026)
    )
    first = scan(TODAY, django_capture_on_commit_callbacks)
    assert first.status == ScanRun.Status.DONE
    award = Award.objects.get(benefit="old_age_pension")
    assert award.person == retiree
    assert award.period_start == dt.date(2026, 3, 1)
    assert award.amount >= Decimal("349.76")
    assert PaymentSchedule.objects.filter(reference=f"award:{award.pk}").exists()
    assert first.awarded == 1
    assert scan(TODAY + dt.timedelta(days=1), django_capture_on_commit_callbacks).awarded == 0


def test_someone_below_retirement_age_gets_no_pension(make_person,
                                                     django_capture_on_commit_callbacks):
    make_person(fin="1YNG001", sex="M", birth_date=dt.date(1970, 1, 1))
    assert scan(TODAY, django_capture_on_commit_callbacks).status == ScanRun.Status.DONE
    assert not Award.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_proactive_scan_command_ends_with_a_json_summary(make_person, capsys):
    import json

    from django.core.management import call_command

    make_person(fin="1CMD001")
    call_command("proactive_scan", "--on", "2026-11-23", "--json")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"scanned", "awarded", "seconds"} <= summary.keys()
    assert summary["scanned"] == 1
