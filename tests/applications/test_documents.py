from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dost.applications.models import Application, ApplicationDocument
from dost.applications.services import InvalidApplication
from dost.audit.models import AccessRecord
from dost.registry.evidence import MAX_EVIDENCE_BYTES
from tests.applications.conftest import PDF, apply_for_recalculation, pdf

FIELD = "document_service_record"


def test_a_pdf_is_stored_with_the_application(alice):
    application = apply_for_recalculation(alice, reason="service_missing", files={FIELD: pdf()})
    document = ApplicationDocument.objects.get(application=application)
    assert document.requirement == "service_record"
    assert document.content_type == "application/pdf"
    assert document.original_name == "labour-book.pdf"
    assert "labour-book" not in document.file.name
    assert document.file.read() == PDF


def test_the_document_is_needed_only_for_missing_service(alice):
    application = apply_for_recalculation(alice, reason="wages_wrong")
    assert not application.documents.exists()


def test_missing_service_without_proof_is_refused(alice):
    with pytest.raises(InvalidApplication) as refused:
        apply_for_recalculation(alice, reason="service_missing")
    assert FIELD in refused.value.form.errors
    assert not Application.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_whatever_its_name(alice):
    program = SimpleUploadedFile("labour-book.pdf", b"MZ\x90\x00 not a pdf",
                                 content_type="application/pdf")
    with translation.override("en"), pytest.raises(InvalidApplication) as refused:
        apply_for_recalculation(alice, reason="service_missing", files={FIELD: program})
    with translation.override("en"):
        assert "PDF, JPEG or PNG" in refused.value.form.errors[FIELD][0]
    assert not Application.objects.exists()


def test_a_pdf_under_another_extension_is_refused(alice):
    with pytest.raises(InvalidApplication):
        apply_for_recalculation(alice, reason="service_missing",
                                files={FIELD: pdf(name="labour-book.exe")})
    assert not Application.objects.exists()


def test_a_file_over_the_size_limit_is_refused(alice, tmp_path, settings):
    huge = pdf(content=PDF + b"0" * MAX_EVIDENCE_BYTES)
    with translation.override("en"), pytest.raises(InvalidApplication) as refused:
        apply_for_recalculation(alice, reason="service_missing", files={FIELD: huge})
    assert "at most" in refused.value.form.errors[FIELD][0]
    assert not Application.objects.exists()
    assert not list((tmp_path / "media").rglob("*.pdf"))


def test_applicant_downloads_their_document(client, alice):
    application = apply_for_recalculation(alice, reason="service_missing", files={FIELD: pdf()})
    document = application.documents.get()
    client.force_login(alice)
    response = client.get(reverse("esocial:application_document",
                                  args=[application.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_another_citizen_cannot_download_the_document(client, alice, bob):
    application = apply_for_recalculation(alice, reason="service_missing", files={FIELD: pdf()})
    document = application.documents.get()
    client.force_login(bob)
    response = client.get(reverse("esocial:application_document",
                                  args=[application.pk, document.pk]))
    assert response.status_code == 404


def test_staff_opening_a_citizens_document_is_logged(client, alice, charlie):
    application = apply_for_recalculation(alice, reason="service_missing", files={FIELD: pdf()})
    document = application.documents.get()
    client.force_login(charlie)
    response = client.get(reverse("esocial:staff_application_document",
                                  args=[application.pk, document.pk]))
    assert response.status_code == 200
    record = AccessRecord.objects.get(person=alice.person)
    assert (record.actor, application.reference in record.reason) == (charlie, True)


def test_a_document_of_another_application_is_not_served_to_staff(client, alice, bob,
                                                                   charlie):
    mine = apply_for_recalculation(alice, reason="service_missing", files={FIELD: pdf()})
    other = apply_for_recalculation(bob)
    client.force_login(charlie)
    response = client.get(reverse("esocial:staff_application_document",
                                  args=[other.pk, mine.documents.get().pk]))
    assert response.status_code == 404
    assert not AccessRecord.objects.exists()
