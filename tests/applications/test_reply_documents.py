"""An applicant asked for information answers with a message and up to five documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dost.applications.models import Application, ApplicationDocument, ApplicationMessage
from dost.applications.services import application_message_post, application_status_change
from dost.applications.statuses import Status
from dost.audit.models import AccessRecord
from dost.errors import DomainError
from tests.applications.conftest import PDF, apply_for_recalculation, pdf
from tests.documents import image_bytes

PNG = image_bytes("PNG")


def png(name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def not_a_document(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 a program, not a pdf",
                              content_type="application/pdf")


@pytest.fixture
def asked(alice, charlie) -> Application:
    """Alice's application, on which staff asked her for her labour book."""
    application = apply_for_recalculation(alice)
    application_status_change(application=application, status=Status.NEEDS_INFORMATION,
                              actor=charlie, note="Send us your labour book.")
    return application


def reply_url(application: Application) -> str:
    return reverse("esocial:application_message", args=[application.pk])


def stored_files(settings) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_reply_form_offers_documents_only_when_information_is_asked(client, alice, asked):
    client.force_login(alice)
    detail = reverse("esocial:application_detail", args=[asked.pk])

    body = client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="documents"' in body
    assert 'enctype="multipart/form-data"' in body

    Application.objects.filter(pk=asked.pk).update(status=Status.IN_REVIEW)
    assert 'name="documents"' not in client.get(detail).content.decode()


def test_a_reply_with_documents_stores_them_with_the_message(client, alice, asked):
    client.force_login(alice)

    response = client.post(reply_url(asked), {
        "body": "Here is my labour book and the receipt.",
        "documents": [pdf("labour-book.pdf"), png()],
    })

    assert response.status_code == 302
    message = ApplicationMessage.objects.get(application=asked, from_staff=False)
    documents = list(message.documents.order_by("id"))
    assert [document.original_name for document in documents] == ["labour-book.pdf",
                                                                    "receipt.png"]
    assert [document.content_type for document in documents] == ["application/pdf",
                                                                  "image/png"]
    assert all(document.application_id == asked.pk for document in documents)
    assert documents[0].file.read() == PDF
    assert "labour-book" not in documents[0].file.name
    asked.refresh_from_db()
    assert asked.status == Status.IN_REVIEW


def test_the_documents_show_under_the_message_for_both_sides(client, alice, charlie, asked):
    application_message_post(application=asked, author=alice, body="Attached.",
                             documents=[pdf("labour-book.pdf")])
    document = ApplicationDocument.objects.get(message__isnull=False)

    client.force_login(alice)
    own = client.get(reverse("esocial:application_detail", args=[asked.pk])).content.decode()
    own_link = reverse("esocial:application_document", args=[asked.pk, document.pk])
    assert f'href="{own_link}"' in own
    assert client.get(own_link).getvalue() == PDF

    client.force_login(charlie)
    staff_page = reverse("esocial:staff_application", args=[asked.pk])
    staff = client.get(staff_page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    staff_link = reverse("esocial:staff_application_document", args=[asked.pk, document.pk])
    assert f'href="{staff_link}"' in staff
    # Sent with the message, not filed with the application.
    assert "<h3>Documents</h3>" not in staff
    logged = AccessRecord.objects.filter(person=alice.person).count()
    response = client.get(staff_link)
    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert AccessRecord.objects.filter(person=alice.person).count() == logged + 1


def test_another_citizen_cannot_fetch_a_reply_document(client, alice, bob, asked):
    application_message_post(application=asked, author=alice, body="Attached.",
                             documents=[pdf()])
    document = ApplicationDocument.objects.get()
    client.force_login(bob)

    own_route = reverse("esocial:application_document", args=[asked.pk, document.pk])
    staff_route = reverse("esocial:staff_application_document", args=[asked.pk, document.pk])
    assert client.get(own_route).status_code == 404
    assert client.get(staff_route).status_code == 403


def test_a_document_of_another_application_is_not_reachable_through_mine(client, alice, bob,
                                                                         asked):
    application_message_post(application=asked, author=alice, body="Attached.",
                             documents=[pdf()])
    document = ApplicationDocument.objects.get()
    bobs = apply_for_recalculation(bob)
    client.force_login(bob)

    response = client.get(reverse("esocial:application_document", args=[bobs.pk, document.pk]))

    assert response.status_code == 404


def test_a_bad_file_refuses_the_whole_reply(client, alice, asked, settings):
    client.force_login(alice)

    response = client.post(reply_url(asked), {
        "body": "Here it is.", "documents": [pdf(), not_a_document("book.pdf")],
    }, HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 400
    assert "“book.pdf” was not accepted" in body
    assert "Upload a PDF, JPEG or PNG file" in body
    assert not ApplicationMessage.objects.filter(from_staff=False).exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []
    asked.refresh_from_db()
    assert asked.status == Status.NEEDS_INFORMATION


def test_more_than_five_documents_are_refused(client, alice, asked, settings):
    client.force_login(alice)

    response = client.post(reply_url(asked), {
        "body": "Everything I have.", "documents": [png(f"page-{page}.png") for page in range(6)],
    }, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Attach at most 5 documents to one message." in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert not ApplicationMessage.objects.filter(from_staff=False).exists()
    assert stored_files(settings) == []


def test_documents_are_refused_when_no_information_is_asked(client, alice, settings):
    application = apply_for_recalculation(alice)
    client.force_login(alice)

    response = client.post(reply_url(application), {
        "body": "One more paper.", "documents": [pdf()],
    }, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "only in answer to a request for information" in response.content.decode()
    assert not ApplicationMessage.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(settings) == []


def test_a_reply_without_documents_still_works(client, alice, asked):
    client.force_login(alice)

    response = client.post(reply_url(asked), {"body": "I have no labour book."})

    assert response.status_code == 302
    assert ApplicationMessage.objects.filter(from_staff=False).exists()
    assert not ApplicationDocument.objects.exists()


def test_the_service_refuses_a_bad_file_and_saves_nothing(alice, asked, settings):
    with pytest.raises(DomainError) as refused:
        application_message_post(application=asked, author=alice, body="Here.",
                                 documents=[pdf(), not_a_document()])

    assert refused.value.code == "bad_document"
    assert not ApplicationMessage.objects.filter(from_staff=False).exists()
    assert stored_files(settings) == []


def test_staff_cannot_attach_documents_to_their_messages(charlie, asked):
    with pytest.raises(DomainError) as refused:
        application_message_post(application=asked, author=charlie, body="See attached.",
                                 documents=[pdf()])

    assert refused.value.code == "documents_not_requested"
    assert not ApplicationDocument.objects.exists()
