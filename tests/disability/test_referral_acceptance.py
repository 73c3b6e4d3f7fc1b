"""A referral is accepted whole, anonymised at rest and drawn to one commission, or refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from disability.models import Diagnosis, MedicalDocument, Referral
from disability.services.referrals import draw, normalise_icd_code
from dost.audit.models import DecisionEntry
from dost.errors import DomainError
from dost.registry.models import Person
from tests.documents import pdf_bytes


@pytest.fixture
def patient(make_person):
    return make_person(fin="5PAT1E1", first_name="Vüqar", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1980, 5, 17), phone="+994501234567")


def test_accepted_referral_is_assigned_with_its_draw_in_the_decision_log(patient, refer):
    referral = refer(patient.fin, diagnoses=["g35", "I10"])
    entry = DecisionEntry.objects.get(kind="assignment", subject=referral.case_number)
    assert entry.person_id is None
    assert entry.details["commission"] == referral.commission.code
    candidates = [(c["commission"], c["open_cases"]) for c in entry.details["candidates"]]
    assert {code for code, _open in candidates} == {"msec-1", "msec-2"}
    assert draw(candidates, entry.details["seed"]) == referral.commission.code
    assert list(referral.diagnoses.order_by("-principal", "icd").values_list("icd", "principal")) \
        == [("G35", True), ("I10", False)]
    referral.commission.refresh_from_db()
    assert referral.commission.open_cases == 1


def test_identity_is_ciphertext_in_the_row(patient, refer):
    referral = refer(patient.fin)
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_fin, facility_code, doctor_name, approved_by, person_key "
                       "FROM disability_referral WHERE id = %s", [referral.pk])
        row = cursor.fetchone()
    for stored, plain in zip(row[:4], (patient.fin, "baku-clinic-1", "Samir Rzayev", "Aynur"),
                             strict=True):
        assert plain not in stored
        assert stored.startswith("gAAAA")  # a Fernet token
    assert patient.fin not in row[4]
    assert Referral.objects.get(pk=referral.pk).person_fin == patient.fin


def test_child_goes_to_the_childrens_commission(make_person, refer):
    child = make_person(fin="5CHLD01", birth_date=dt.date(2015, 3, 1))
    assert refer(child.fin).commission.code == "msec-children"


def test_mental_disorder_goes_to_the_mental_health_commission(patient, refer):
    assert refer(patient.fin, diagnoses=["F20.0"]).commission.code == "msec-mental"


@pytest.mark.parametrize(("overrides", "code"), [
    ({"diagnoses": ["X99.9Z"]}, "unknown_icd_code"),
    ({"diagnoses": ["G35", "Q99.99"]}, "unknown_icd_code"),
    ({"diagnoses": []}, "missing_field"),
    ({"treatment_months": None}, "missing_field"),
    ({"limitations": {}}, "missing_field"),
    ({"limitations": {"flying": 2}}, "unknown_domain"),
    ({"limitations": {"mobility": 7}}, "severity"),
    ({"documents": []}, "missing_field"),
    ({"doctor_name": " "}, "missing_field"),
    ({"approved_by": [" "]}, "missing_field"),
    ({"documents": [SimpleUploadedFile("scan.pdf", b"%PDF-1.4 <html><script>")]}, "file_damaged"),
])
def test_bad_referral_is_refused_and_nothing_is_saved(patient, refer, overrides, code):
    with pytest.raises(DomainError) as refused:
        refer(patient.fin, **overrides)
    assert refused.value.code == code
    assert not Referral.objects.exists()
    assert not Diagnosis.objects.exists() and not MedicalDocument.objects.exists()
    assert not DecisionEntry.objects.filter(kind="assignment").exists()


def test_unknown_person_is_refused(refer):
    with pytest.raises(DomainError) as refused:
        refer("5NOB0DY")
    assert refused.value.code == "unknown_person"


def test_dead_person_is_refused(make_person, refer):
    dead = make_person(fin="5DEAD01")
    Person.objects.filter(pk=dead.pk).update(death_date=dt.date(2026, 1, 5))
    with pytest.raises(DomainError) as refused:
        refer(dead.fin, on=dt.date(2026, 2, 1))
    assert refused.value.code == "person_dead"
    assert not Referral.objects.exists()


def test_second_open_referral_for_a_person_is_refused(patient, refer):
    refer(patient.fin)
    with pytest.raises(DomainError) as refused:
        refer(patient.fin, documents=[SimpleUploadedFile("b.pdf", pdf_bytes())])
    assert refused.value.code == "referral_open"
    assert Referral.objects.count() == 1


def test_icd_codes_are_written_with_their_dot():
    assert normalise_icd_code(" f200 ") == "F20.0"
    assert normalise_icd_code("G35") == "G35"


def test_draw_favours_the_less_loaded_commission():
    drawn = [draw([("busy", 9), ("idle", 0)], seed) for seed in range(2000)]
    assert 0.85 < drawn.count("idle") / len(drawn) < 0.95  # weights 1/10 against 1
