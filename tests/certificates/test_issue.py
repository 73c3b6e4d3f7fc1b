from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test.signals import template_rendered
from django.urls import resolve

from dost.certificates.codes import CODE_ALPHABET, normalize_code
from dost.certificates.kinds import merged_days
from dost.certificates.models import Certificate
from dost.certificates.registry import (
    CertificateKind,
    certificate_kind,
    register_certificate_kind,
)
from dost.certificates.services import certificate_issue, certificate_revoke
from dost.errors import DomainError
from tests.certificates.conftest import employ, give_birth, insure, pdf_font_names


def _issue_each_kind(alice, make_person):
    person = alice.person
    award = give_birth(person, make_person)
    employ(person, "Azərsu ASC", dt.date(2001, 5, 1), dt.date(2010, 1, 31))
    employ(person, "Bakı Metropoliteni", dt.date(2010, 3, 1))
    insure(person, range(2015, 2025))
    return {
        "award_statement": {"award": award.pk},
        "employment_record": {},
        "pension_capital_statement": {},
    }


@pytest.mark.parametrize("kind", ["award_statement", "employment_record",
                                  "pension_capital_statement"])
def test_each_kind_is_rendered_to_a_stored_pdf_with_its_hash(alice, make_person, kind):
    options = _issue_each_kind(alice, make_person)[kind]

    certificate = certificate_issue(person=alice.person, kind=kind, options=options,
                                    language="az")

    stored = Certificate.objects.get(pk=certificate.pk)
    pdf = bytes(stored.pdf)
    assert pdf.startswith(b"%PDF-")
    assert any("DejaVu" in font for font in pdf_font_names(pdf))
    assert stored.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert stored.holder == alice.person
    assert stored.status == Certificate.Status.VALID


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_pdf_embeds_dejavu_for_azerbaijani_and_cyrillic_letters(alice, make_person, language):
    employ(alice.person, "Şəki İpək Kombinatı", dt.date(2012, 1, 1))

    certificate = certificate_issue(person=alice.person, kind="employment_record",
                                    language=language)

    fonts = pdf_font_names(bytes(certificate.pdf))
    assert fonts
    assert all("DejaVu" in font for font in fonts)
    assert certificate.language == language


def test_qr_code_and_printed_address_lead_to_the_public_verification_page(
        alice, alice_award, settings):
    settings.PUBLIC_BASE_URL = "https://e-social.example.az"
    contexts = []

    def capture(sender, template, context, **kwargs):
        if template.name == "certificates/award_statement.html":
            contexts.append(context)

    template_rendered.connect(capture)
    try:
        certificate = certificate_issue(person=alice.person, kind="award_statement",
                                        options={"award": alice_award.pk},
                                        base_url="http://internal:8000/")
    finally:
        template_rendered.disconnect(capture)

    [context] = contexts
    url = context["verify_url"]
    assert url == f"https://e-social.example.az/verify/{certificate.grouped_code}/"
    assert resolve(url.removeprefix("https://e-social.example.az")).url_name == \
        "certificate_verify_code"
    assert context["code"] == certificate.grouped_code
    assert context["qr_code"].startswith("data:image/svg+xml")


def test_without_a_public_address_the_qr_code_uses_the_requests_host(alice, alice_award,
                                                                     settings):
    settings.PUBLIC_BASE_URL = ""
    contexts = []

    def capture(sender, template, context, **kwargs):
        contexts.append(context)

    template_rendered.connect(capture)
    try:
        certificate = certificate_issue(person=alice.person, kind="award_statement",
                                        options={"award": alice_award.pk},
                                        base_url="http://testserver/")
    finally:
        template_rendered.disconnect(capture)

    assert contexts[0]["verify_url"] == f"http://testserver/verify/{certificate.grouped_code}/"


def test_verification_code_is_random_and_unambiguous(alice, alice_award):
    codes = {
        certificate_issue(person=alice.person, kind="award_statement",
                          options={"award": alice_award.pk}).code
        for _ in range(3)
    }

    assert len(codes) == 3
    for code in codes:
        assert len(code) == 12
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("ILOU")


def test_another_citizens_award_cannot_be_certified(alice, make_person):
    neighbour = make_person(fin="7NBR001", first_name="Günay", last_name="Əliyeva")
    neighbours_award = give_birth(neighbour, make_person, fin="1BBY778")

    with pytest.raises(DomainError):
        certificate_issue(person=alice.person, kind="award_statement",
                          options={"award": neighbours_award.pk})

    assert not Certificate.objects.exists()


@pytest.mark.parametrize("options", [{}, {"award": ""}, {"award": "abc"}, {"award": 999_999}])
def test_award_statement_needs_an_award_of_ones_own(alice, alice_award, options):
    with pytest.raises(DomainError):
        certificate_issue(person=alice.person, kind="award_statement", options=options)

    assert not Certificate.objects.exists()


def test_unknown_kind_is_refused(alice):
    with pytest.raises(DomainError):
        certificate_issue(person=alice.person, kind="criminal_record")


def test_sharing_a_field_the_kind_does_not_offer_is_refused(alice):
    with pytest.raises(DomainError):
        certificate_issue(person=alice.person, kind="employment_record", shared=["amounts"])

    assert not Certificate.objects.exists()


def test_only_the_shared_facts_are_kept_for_verification(alice, alice_award):
    certificate = certificate_issue(person=alice.person, kind="award_statement",
                                    options={"award": alice_award.pk}, shared=["amounts"],
                                    language="en")

    assert set(certificate.facts) == {"amount"}
    assert certificate.masked_name == "A*** H***"
    assert str(alice_award.amount) in certificate.facts["amount"]


def test_revoking_marks_the_certificate_and_keeps_the_first_date(alice_certificate):
    certificate_revoke(certificate=alice_certificate)
    revoked_at = alice_certificate.revoked_at

    certificate_revoke(certificate=alice_certificate)

    alice_certificate.refresh_from_db()
    assert alice_certificate.status == Certificate.Status.REVOKED
    assert alice_certificate.revoked_at == revoked_at


def test_a_taken_kind_code_cannot_be_registered_again():
    award_statement = certificate_kind("award_statement")
    other = CertificateKind(code="award_statement", title="Other", template="x.html",
                            build=lambda person: {})

    register_certificate_kind(award_statement)  # the same kind again is harmless
    with pytest.raises(ValueError, match="registered twice"):
        register_certificate_kind(other)


def test_pension_capital_statement_is_registered_by_the_pensions_app():
    kind = certificate_kind("pension_capital_statement")

    assert kind is not None
    assert kind.build.__module__ == "pensions.certificates"


def test_typed_codes_forgive_case_dashes_and_lookalike_letters():
    assert normalize_code(" abcd-efgh-jk1o ") == "ABCDEFGHJK10"
    assert normalize_code("ABCD EFGH JKIL") == "ABCDEFGHJK11"
    assert normalize_code("ABCD-EFGH") is None
    assert normalize_code("ABCD-EFGH-JKU1") is None


def test_two_jobs_at_once_count_once_in_the_length_of_service():
    spells = [(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
              (dt.date(2020, 6, 1), None),
              (dt.date(2020, 7, 1), dt.date(2020, 8, 1))]

    assert merged_days(spells, on=dt.date(2021, 1, 1)) == 366
