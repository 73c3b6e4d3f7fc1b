from __future__ import annotations

import pytest
from django.urls import reverse

from dost.audit.models import AccessRecord, DecisionEntry
from dost.audit.verification import decision_log_verify
from dost.errors import DomainError
from dost.registry.models import CorrectionRequest, CorrectionStatus, NameKey, Person
from dost.registry.services import correction_request_create, correction_request_resolve
from tests.applications.conftest import VALID_IBAN, pdf

MY_DATA = reverse("esocial:my_data")
NEW_PHONE = "+994557654321"


def _report_phone(user, value: str = "055 765 43 21") -> CorrectionRequest:
    return correction_request_create(person=user.person, fact="phone", proposed_value=value)


def test_a_report_changes_nothing_in_the_registry(alice):
    correction = _report_phone(alice)
    person = Person.objects.get(pk=alice.person_id)
    assert person.phone == "+994501112233"
    assert person.phone_source_id == "justice"
    assert (correction.status, correction.proposed_value, correction.current_value) == (
        CorrectionStatus.OPEN, NEW_PHONE, "+994501112233")
    assert not AccessRecord.objects.exists()


def test_verifying_a_report_corrects_the_fact(alice, charlie):
    correction = _report_phone(alice)
    correction_request_resolve(correction=correction, verified=True, actor=charlie)
    person = Person.objects.get(pk=alice.person_id)
    assert person.phone == NEW_PHONE
    assert person.phone_source_id == "dost"
    correction.refresh_from_db()
    assert (correction.status, correction.resolved_by) == (CorrectionStatus.VERIFIED, charlie)


def test_a_verified_correction_is_appended_to_the_decision_log(alice, charlie):
    correction = _report_phone(alice)
    correction_request_resolve(correction=correction, verified=True, actor=charlie)
    entry = DecisionEntry.objects.get()
    assert (entry.kind, entry.subject, entry.decided_by, entry.person_id) == (
        "correction", "phone", f"official:{charlie.pk}", alice.person_id)
    assert entry.details["status"] == CorrectionStatus.VERIFIED
    # The numbers are only hashed: the permanent log keeps no phone number.
    assert NEW_PHONE not in str(entry.details)
    assert decision_log_verify().intact


def test_a_rejected_correction_is_appended_with_its_reason(alice, charlie):
    correction = _report_phone(alice)
    correction_request_resolve(correction=correction, verified=False, actor=charlie,
                               note="The operator confirms the number on file.")
    entry = DecisionEntry.objects.get()
    assert entry.details["status"] == CorrectionStatus.REJECTED
    assert entry.details["reason"] == "The operator confirms the number on file."


def test_a_refused_settlement_appends_nothing(alice, charlie):
    correction = _report_phone(alice)
    with pytest.raises(DomainError):
        correction_request_resolve(correction=correction, verified=False, actor=charlie)
    assert not DecisionEntry.objects.exists()


def test_verifying_a_name_updates_the_lookup_keys(alice, charlie):
    correction = correction_request_create(person=alice.person, fact="first_name",
                                           proposed_value="Əlizə")
    correction_request_resolve(correction=correction, verified=True, actor=charlie)
    person = Person.objects.get(pk=alice.person_id)
    assert (person.first_name, person.first_name_key) == ("Əlizə", "aliza")
    assert NameKey.objects.filter(key="aliza").exists()


def test_rejecting_a_report_leaves_the_fact_and_tells_why(alice, charlie):
    correction = _report_phone(alice)
    correction_request_resolve(correction=correction, verified=False, actor=charlie,
                               note="The operator confirms the number on file.")
    assert Person.objects.get(pk=alice.person_id).phone == "+994501112233"
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.REJECTED


def test_a_rejection_without_a_reason_is_refused(alice, charlie):
    correction = _report_phone(alice)
    with pytest.raises(DomainError):
        correction_request_resolve(correction=correction, verified=False, actor=charlie)
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.OPEN


def test_a_settled_report_cannot_be_settled_again(alice, charlie):
    correction = _report_phone(alice)
    correction_request_resolve(correction=correction, verified=True, actor=charlie)
    with pytest.raises(DomainError):
        correction_request_resolve(correction=correction, verified=False, actor=charlie,
                                   note="Changed my mind.")


def test_a_citizen_cannot_settle_a_report(alice):
    correction = _report_phone(alice)
    with pytest.raises(DomainError):
        correction_request_resolve(correction=correction, verified=True, actor=alice)
    assert Person.objects.get(pk=alice.person_id).phone == "+994501112233"


def test_settling_a_report_is_in_the_citizens_access_log(alice, charlie):
    correction = _report_phone(alice)
    correction_request_resolve(correction=correction, verified=True, actor=charlie)
    record = AccessRecord.objects.get()
    assert (record.person_id, record.actor) == (alice.person_id, charlie)


def test_a_malformed_value_is_refused(alice):
    with pytest.raises(DomainError):
        correction_request_create(person=alice.person, fact="bank_account",
                                  proposed_value="AZ00NABZ00000000137010001944")
    assert not CorrectionRequest.objects.exists()


def test_a_valid_iban_is_stored_normalised(alice):
    correction = correction_request_create(person=alice.person, fact="bank_account",
                                           proposed_value=VALID_IBAN.lower())
    assert correction.proposed_value == VALID_IBAN


def test_a_second_open_report_of_the_same_fact_is_refused(alice):
    _report_phone(alice)
    with pytest.raises(DomainError):
        _report_phone(alice, "050 000 00 00")
    assert CorrectionRequest.objects.count() == 1


def test_an_unknown_fact_is_refused(alice):
    with pytest.raises(DomainError):
        correction_request_create(person=alice.person, fact="fin", proposed_value="1234567")


def test_a_report_of_a_job_is_verified_without_touching_the_registry(alice, charlie):
    correction = correction_request_create(person=alice.person, fact="employment",
                                           proposed_value="Bakı Metro 2001–2005 is missing",
                                           document=pdf())
    before = Person.objects.get(pk=alice.person_id).updated_at
    correction_request_resolve(correction=correction, verified=True, actor=charlie,
                               note="Sent to the employer's archive.")
    assert Person.objects.get(pk=alice.person_id).updated_at == before
    assert correction.document.name.endswith(".pdf")


def test_my_data_offers_a_report_form_under_each_group(client, alice):
    client.force_login(alice)
    body = client.get(MY_DATA, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count("Report a mistake") >= 3
    assert 'name="identity-fact"' in body
    assert 'name="contact-fact"' in body


def test_reporting_from_my_data_creates_only_the_request(client, alice):
    client.force_login(alice)
    response = client.post(MY_DATA, {"group": "contact", "contact-fact": "phone",
                                     "contact-proposed_value": "055 765 43 21"})
    assert response.status_code == 302
    assert CorrectionRequest.objects.get().proposed_value == NEW_PHONE
    assert Person.objects.get(pk=alice.person_id).phone == "+994501112233"


def test_my_data_shows_my_open_reports(client, alice, bob):
    _report_phone(alice)
    correction_request_create(person=bob.person, fact="last_name", proposed_value="Quliyeva")
    client.force_login(alice)
    body = client.get(MY_DATA, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert NEW_PHONE in body
    assert "being checked" in body
    assert "Quliyeva" not in body


def test_a_bad_report_shows_the_error_next_to_the_field(client, alice):
    client.force_login(alice)
    response = client.post(MY_DATA, {"group": "contact", "contact-fact": "phone",
                                     "contact-proposed_value": "12"},
                           HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter an Azerbaijani mobile number" in body
    assert 'id="id_contact-proposed_value_error"' in body
    assert not CorrectionRequest.objects.exists()


def test_a_fact_of_another_group_is_refused_by_the_form(client, alice):
    client.force_login(alice)
    response = client.post(MY_DATA, {"group": "contact", "contact-fact": "last_name",
                                     "contact-proposed_value": "Smith"})
    assert response.status_code == 400
    assert not CorrectionRequest.objects.exists()


def test_staff_settle_a_report_from_their_page(client, alice, charlie):
    correction = _report_phone(alice)
    client.force_login(charlie)
    page = client.get(reverse("esocial:staff_correction", args=[correction.pk]))
    assert NEW_PHONE in page.content.decode()
    response = client.post(reverse("esocial:staff_correction", args=[correction.pk]),
                           {"decision": "verify", "note": ""})
    assert response.status_code == 302
    assert Person.objects.get(pk=alice.person_id).phone == NEW_PHONE
    # Opening the report and deciding on it: both in the citizen's access log.
    assert AccessRecord.objects.filter(person_id=alice.person_id, actor=charlie).count() == 2


def test_citizens_cannot_reach_the_staff_correction_pages(client, alice):
    correction = _report_phone(alice)
    client.force_login(alice)
    assert client.get(reverse("esocial:staff_corrections")).status_code == 403
    response = client.post(reverse("esocial:staff_correction", args=[correction.pk]),
                           {"decision": "verify"})
    assert response.status_code == 403
    assert Person.objects.get(pk=alice.person_id).phone == "+994501112233"


def test_staff_opening_a_reports_document_is_logged(client, alice, charlie):
    correction = correction_request_create(person=alice.person, fact="employment",
                                           proposed_value="Bakı Metro 2001–2005 is missing",
                                           document=pdf())
    client.force_login(charlie)
    response = client.get(reverse("esocial:staff_correction_document", args=[correction.pk]))
    assert response.status_code == 200
    assert AccessRecord.objects.filter(person=alice.person, actor=charlie).count() == 1
