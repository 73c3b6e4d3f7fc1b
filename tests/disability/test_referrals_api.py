"""A health facility's system sends referrals through the API, and follows them."""

from __future__ import annotations

import base64
import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from disability.models import Commission, HealthFacility, MedicalDocument, Referral
from disability.pseudonyms import facility_pseudonym
from disability.services.facilities import facility_token_create
from disability.services.referrals import referral_submit
from dost.accounts.models import InstitutionToken, Scope
from dost.accounts.services import institution_token_create
from dost.audit.models import DecisionEntry
from dost.errors import DomainError
from dost.registry.models import Person
from tests.disability.test_doctor_pages import OWNER_NAME, jpeg_with_artist, pdf_with_author
from tests.documents import pdf_bytes

URL = "/api/v1/disability/referrals/"


def encoded(content: bytes) -> dict[str, str]:
    return {"content_base64": base64.b64encode(content).decode()}


def body(patient_fin: str, **overrides) -> dict:
    fields = {
        "fin": patient_fin,
        "diagnoses": ["G35", "i10"],
        "treatment_months": 9,
        "limitations": {"mobility": 3, "work": 2},
        "doctor_name": "Samir Rzayev",
        "approved_by": ["Aynur Quliyeva", "Rəşad Əliyev"],
        "clinical_summary": "Relapsing course.",
        "documents": [encoded(pdf_bytes())],
    }
    fields.update(overrides)
    return fields


def token_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def patient(make_person) -> Person:
    return make_person(fin="5PAT1E1", first_name="Vüqar", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1980, 5, 17))


@pytest.fixture
def facility_api(facility, commissions) -> APIClient:
    """The facility's own system, with the token its operator was given."""
    _token, raw = facility_token_create(code=facility.code)
    return token_client(raw)


def nothing_saved() -> bool:
    return (not Referral.objects.exists() and not MedicalDocument.objects.exists()
            and not DecisionEntry.objects.filter(kind="assignment").exists())


def test_a_referral_is_accepted_for_the_facility(facility_api, facility, patient):
    response = facility_api.post(URL, body(patient.fin), format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    referral = Referral.objects.get()
    assert answer == {"case_number": referral.case_number, "kind": "initial",
                      "state": "assigned",
                      "submitted_at": answer["submitted_at"]}
    assert referral.facility_key == facility_pseudonym(facility.code)
    assert referral.facility_code == facility.code
    assert referral.approved_by == "Aynur Quliyeva\nRəşad Əliyev"
    assert list(referral.diagnoses.order_by("-principal").values_list("icd", flat=True)) == [
        "G35", "I10"]
    assert dict(referral.limitations.values_list("domain", "severity")) == {"mobility": 3,
                                                                             "work": 2}


def test_documents_are_stored_without_the_names_in_their_metadata(facility_api, patient):
    documents = [encoded(pdf_with_author()), encoded(jpeg_with_artist())]
    response = facility_api.post(URL, body(patient.fin, documents=documents), format="json")
    assert response.status_code == 201
    stored = MedicalDocument.objects.order_by("number")
    assert [document.content_type for document in stored] == ["application/pdf", "image/jpeg"]
    for document in stored:
        assert OWNER_NAME.encode() not in bytes(document.content)


@pytest.mark.parametrize("content", ["not base64!", "QUJD\nREVG", "QUJDRA="])
def test_a_document_not_in_base64_is_refused(facility_api, patient, content):
    documents = [encoded(pdf_bytes()), {"content_base64": content}]
    response = facility_api.post(URL, body(patient.fin, documents=documents), format="json")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_document",
                               "detail": "Document 2 is not in base64."}
    assert nothing_saved()


@pytest.mark.parametrize(("content", "code"), [
    (b"plain words, not a document", "file_type"),
    (b"%PDF-1.4 <html><script>alert(1)</script>", "file_damaged"),
])
def test_a_document_that_is_not_what_it_claims_is_refused(facility_api, patient, content, code):
    response = facility_api.post(URL, body(patient.fin, documents=[encoded(content)]),
                                 format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert nothing_saved()


@pytest.mark.parametrize(("overrides", "code"), [
    ({"diagnoses": ["G35", "X99.9Z"]}, "unknown_icd_code"),
    ({"fin": "5N0B0DY"}, "unknown_person"),
    ({"limitations": {"flying": 2}}, "unknown_domain"),
])
def test_the_services_refusals_answer_400_with_their_code(facility_api, patient, overrides,
                                                          code):
    response = facility_api.post(URL, body(patient.fin, **overrides), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert nothing_saved()


def test_a_dead_person_is_refused(facility_api, patient):
    Person.objects.filter(pk=patient.pk).update(death_date=dt.date(2025, 1, 5))
    response = facility_api.post(URL, body(patient.fin), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "person_dead"
    assert nothing_saved()


def test_with_no_commission_taking_cases_the_referral_waits_for_a_resend(facility_api,
                                                                          patient):
    Commission.objects.update(active=False)
    response = facility_api.post(URL, body(patient.fin), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_commission"
    assert nothing_saved()


def test_a_second_open_referral_is_refused(facility_api, patient):
    facility_api.post(URL, body(patient.fin), format="json")
    response = facility_api.post(URL, body(patient.fin), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "referral_open"
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("missing", ["fin", "diagnoses", "treatment_months", "limitations",
                                     "doctor_name", "approved_by", "documents"])
def test_a_missing_field_is_named(facility_api, patient, missing):
    fields = body(patient.fin)
    del fields[missing]
    response = facility_api.post(URL, fields, format="json")
    assert response.status_code == 400
    assert response.json()[missing] == ["This field is required."]
    assert nothing_saved()


@pytest.mark.parametrize(("field", "value"), [
    ("fin", "5pat1o1"), ("diagnoses", []), ("treatment_months", 601),
    ("limitations", {"mobility": 5}), ("limitations", {}), ("approved_by", []),
    ("documents", []), ("documents", [encoded(pdf_bytes())] * 11),
])
def test_a_field_out_of_its_bounds_is_named(facility_api, patient, field, value):
    response = facility_api.post(URL, body(patient.fin, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert nothing_saved()


def test_without_a_token_the_request_is_refused(patient, facility, commissions):
    response = APIClient().post(URL, body(patient.fin), format="json")
    assert response.status_code == 401
    assert nothing_saved()


def test_a_token_without_the_scope_is_refused(facility, patient, commissions):
    token, raw = institution_token_create(name="Baku Polyclinic No. 1",
                                          scopes=[Scope.EVENTS_WRITE, Scope.AWARDS_READ])
    facility.institution = token.institution
    facility.save(update_fields=["institution"])
    response = token_client(raw).post(URL, body(patient.fin), format="json")
    assert response.status_code == 403
    assert nothing_saved()


def test_an_institution_that_is_no_facility_is_refused(patient, commissions):
    _token, raw = institution_token_create(name="Tax Service", scopes=[Scope.REFERRALS_WRITE])
    response = token_client(raw).post(URL, body(patient.fin), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_health_facility"
    assert nothing_saved()


# --- following a referral ---------------------------------------------------------------------


@pytest.fixture
def other_facility(db) -> HealthFacility:
    return HealthFacility.objects.create(
        code="ganja-hospital", name_az="Gəncə xəstəxanası", name_en="Ganja Hospital",
        name_ru="Гянджинская больница", region_id="nasimi")


def test_the_facility_reads_back_its_referral(facility_api, patient):
    case_number = facility_api.post(URL, body(patient.fin), format="json").json()["case_number"]
    response = facility_api.get(f"{URL}{case_number}/")
    assert response.status_code == 200
    assert response.json()["case_number"] == case_number
    assert response.json()["state"] == "assigned"
    assert response.json()["kind"] == "initial"


def test_another_facilitys_referral_is_not_found(facility_api, other_facility, make_person,
                                                 make_submission):
    stranger = make_person(fin="5STR4N9")
    foreign = referral_submit(facility=other_facility,
                              submission=make_submission(fin=stranger.fin))
    assert facility_api.get(f"{URL}{foreign.case_number}/").status_code == 404
    assert facility_api.get(f"{URL}M26-0000-0000/").status_code == 404


def test_an_institution_that_is_no_facility_reads_nothing(db):
    _token, raw = institution_token_create(name="Tax Service", scopes=[Scope.REFERRALS_WRITE])
    response = token_client(raw).get(f"{URL}M26-0000-0000/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_health_facility"


# --- the facility's token ---------------------------------------------------------------------


def test_the_command_links_the_facility_and_prints_a_token_for_referrals(facility):
    out = StringIO()
    call_command("create_facility_token", facility.code, stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    facility.refresh_from_db()
    token = InstitutionToken.objects.get(institution=facility.institution)
    assert token.scopes == [Scope.REFERRALS_WRITE]
    assert token.prefix == raw[:8]
    assert facility.institution.event_types == []


def test_a_second_token_goes_to_the_same_institution(facility):
    first, _raw = facility_token_create(code=facility.code)
    second, _raw = facility_token_create(code=facility.code)
    assert first.institution == second.institution
    assert first.pk != second.pk


def test_an_unknown_facility_gets_no_token(db):
    with pytest.raises(CommandError, match="No health facility"):
        call_command("create_facility_token", "nowhere", stdout=StringIO(), stderr=StringIO())
    assert not InstitutionToken.objects.exists()


def test_a_name_taken_by_another_facilitys_institution_is_refused(facility, other_facility):
    facility_token_create(code=facility.code)
    other_facility.name_az = facility.name_az
    other_facility.save(update_fields=["name_az"])
    with pytest.raises(DomainError, match="already another health facility"):
        facility_token_create(code=other_facility.code)
    other_facility.refresh_from_db()
    assert other_facility.institution is None
    assert InstitutionToken.objects.count() == 1

