from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dost.certificates.services import certificate_issue, certificate_revoke
from dost.formatting import format_money
from esocial.certificates import views

VERIFY_URL = "/verify/"


def _verify_url(certificate) -> str:
    return reverse("esocial:certificate_verify_code", args=[certificate.grouped_code])


def _upload(pdf: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("certificate.pdf", pdf, content_type="application/pdf")


def test_genuine_certificate_is_reported_valid_without_signing_in(client, alice_certificate):
    response = client.get(_verify_url(alice_certificate), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Genuine and valid" in page
    assert "Award statement" in page
    assert alice_certificate.grouped_code in page


def test_the_issued_pdf_matches(client, alice_certificate):
    response = client.post(VERIFY_URL, {"code": alice_certificate.grouped_code,
                                        "pdf": _upload(bytes(alice_certificate.pdf))},
                           HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Genuine and valid" in page
    assert "exactly the one that was issued" in page


def test_a_pdf_with_one_byte_changed_does_not_match(client, alice_certificate):
    edited = bytearray(alice_certificate.pdf)
    edited[len(edited) // 2] ^= 0x01

    response = client.post(VERIFY_URL, {"code": alice_certificate.grouped_code,
                                        "pdf": _upload(bytes(edited))},
                           HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "The file does not match" in page
    assert "Genuine and valid" not in page


def test_another_certificates_pdf_does_not_match_this_code(client, alice, alice_certificate):
    other = certificate_issue(person=alice.person, kind="employment_record")

    response = client.post(VERIFY_URL, {"code": alice_certificate.grouped_code,
                                        "pdf": _upload(bytes(other.pdf))},
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "The file does not match" in response.content.decode()


def test_unknown_code_is_no_such_certificate(client, alice_certificate):
    forged = "ZZZZ-ZZZZ-ZZZZ" if alice_certificate.code != "Z" * 12 else "YYYY-YYYY-YYYY"

    by_link = client.get(f"/verify/{forged}/", HTTP_ACCEPT_LANGUAGE="en")
    by_form = client.post(VERIFY_URL, {"code": forged,
                                       "pdf": _upload(bytes(alice_certificate.pdf))},
                          HTTP_ACCEPT_LANGUAGE="en")

    assert by_link.status_code == 404
    for response in (by_link, by_form):
        page = response.content.decode()
        assert "No such certificate" in page
        assert "does not match" not in page
        assert "A*** H***" not in page


def test_malformed_code_in_the_link_is_no_such_certificate(client, db):
    response = client.get("/verify/not-a-code/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "No such certificate" in response.content.decode()


def test_malformed_code_in_the_form_gets_an_error_by_the_field(client, db):
    response = client.post(VERIFY_URL, {"code": "12345"}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_code_helptext id_code_error"' in page
    assert "12 letters and digits" in page


def test_code_typed_in_lowercase_without_dashes_is_found(client, alice_certificate):
    response = client.post(VERIFY_URL, {"code": alice_certificate.code.lower()},
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "Genuine and valid" in response.content.decode()


def test_revoked_certificate_is_reported_revoked(client, alice_certificate):
    certificate_revoke(certificate=alice_certificate)

    response = client.get(_verify_url(alice_certificate), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Revoked" in page
    assert "no longer valid" in page
    assert "Genuine and valid" not in page


def test_by_default_only_kind_date_and_initials_are_shown(client, alice_certificate,
                                                          alice_award):
    response = client.get(_verify_url(alice_certificate), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "A*** H***" in page
    assert "Həsənova" not in page
    assert "Alica" not in page
    assert str(alice_award.amount) not in page
    assert "childbirth" not in page.lower()
    assert "5ALC7E1" not in page


def test_what_the_holder_shared_is_shown(client, alice, alice_award):
    certificate = certificate_issue(person=alice.person, kind="award_statement",
                                    options={"award": alice_award.pk},
                                    shared=["name", "amounts"], language="en")

    response = client.get(_verify_url(certificate), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "Həsənova Alica" in page
    amount = format_money(alice_award.amount, language="en")
    assert f'<dd lang="en">{amount}, paid once</dd>' in page
    assert "childbirth" not in page.lower()  # the benefit itself was not shared
    assert "5ALC7E1" not in page


def test_verification_is_rate_limited_per_address(client, alice_certificate, monkeypatch):
    monkeypatch.setattr(views, "VERIFICATIONS_PER_WINDOW", 2)
    url = _verify_url(alice_certificate)

    statuses = [client.get(url).status_code for _ in range(3)]
    from_elsewhere = client.get(url, REMOTE_ADDR="10.1.2.3")

    assert statuses == [200, 200, 429]
    assert "Too many checks" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert from_elsewhere.status_code == 200


def test_the_empty_form_is_not_counted_against_the_limit(client, db, monkeypatch):
    monkeypatch.setattr(views, "VERIFICATIONS_PER_WINDOW", 1)

    statuses = [client.get(VERIFY_URL).status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


def test_verification_page_renders_in_every_language(client, alice_certificate):
    for language in ("az", "en", "ru"):
        response = client.get(_verify_url(alice_certificate), HTTP_ACCEPT_LANGUAGE=language)

        page = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{language}">' in page
        assert page.count("<h1") == 1
