from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from dost.certificates.models import Certificate
from dost.certificates.services import certificate_issue
from tests.certificates.conftest import employ, give_birth

LIST_URL = "/certificates/"
ISSUE_URL = "/certificates/issue/"


def test_pages_have_their_addresses():
    assert reverse("esocial:certificate_list") == LIST_URL
    assert reverse("esocial:certificate_issue") == ISSUE_URL
    assert reverse("esocial:certificate_download", args=[7]) == "/certificates/7/download/"
    assert reverse("esocial:certificate_verify") == "/verify/"
    assert reverse("esocial:certificate_verify_code", args=["ABCD-EFGH-JKMN"]) == \
        "/verify/ABCD-EFGH-JKMN/"


def test_citizen_issues_a_certificate_from_the_form(client, alice, alice_award):
    client.force_login(alice)

    response = client.post(ISSUE_URL, {
        "kind": "award_statement",
        "award_statement-choice": str(alice_award.pk),
        "award_statement-share": ["name", "amounts"],
    }, HTTP_ACCEPT_LANGUAGE="ru")

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert certificate.holder == alice.person
    assert certificate.options == {"award": str(alice_award.pk)}
    assert certificate.shared == ["amounts", "name"]
    assert certificate.language == "ru"
    page = client.get(LIST_URL).content.decode()
    assert certificate.grouped_code in page


def test_list_offers_the_citizens_own_awards_only(client, alice, alice_award, make_person):
    neighbour = make_person(fin="7NBR001", first_name="Günay")
    neighbours_award = give_birth(neighbour, make_person, fin="1BBY778")
    client.force_login(alice)

    page = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'value="{alice_award.pk}"' in page
    assert f'value="{neighbours_award.pk}"' not in page


def test_citizen_without_awards_is_told_there_is_nothing_to_certify(client, alice):
    client.force_login(alice)

    page = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "You have no awards yet" in page
    assert 'name="award_statement-choice"' not in page


def test_issuing_another_citizens_award_is_refused_and_stores_nothing(client, alice,
                                                                      make_person):
    neighbour = make_person(fin="7NBR001", first_name="Günay")
    neighbours_award = give_birth(neighbour, make_person, fin="1BBY778")
    client.force_login(alice)

    response = client.post(ISSUE_URL, {"kind": "award_statement",
                                       "award_statement-choice": str(neighbours_award.pk)},
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Certificate.objects.exists()


def test_issuing_without_picking_an_award_shows_the_error_by_the_field(client, alice,
                                                                       alice_award):
    client.force_login(alice)

    response = client.post(ISSUE_URL, {"kind": "award_statement"}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_award_statement-choice_error"' in page
    assert 'id="id_award_statement-choice_error"' in page
    assert not Certificate.objects.exists()


def test_unknown_kind_is_refused_with_a_message(client, alice):
    client.force_login(alice)

    response = client.post(ISSUE_URL, {"kind": "criminal_record"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "There is no such certificate." in response.content.decode()
    assert not Certificate.objects.exists()


def test_sharing_an_unknown_field_is_refused(client, alice):
    client.force_login(alice)

    response = client.post(ISSUE_URL, {"kind": "employment_record",
                                       "employment_record-share": ["amounts"]})

    assert response.status_code == 400
    assert not Certificate.objects.exists()


def test_visitors_cannot_issue(client, alice_award):
    response = client.post(ISSUE_URL, {"kind": "employment_record"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Certificate.objects.exists()


def test_staff_cannot_issue_or_list(client, charlie):
    client.force_login(charlie)

    assert client.post(ISSUE_URL, {"kind": "employment_record"}).status_code == 403
    assert client.get(LIST_URL).status_code == 403
    assert not Certificate.objects.exists()


def test_issue_accepts_only_post(client, alice):
    client.force_login(alice)

    assert client.get(ISSUE_URL).status_code == 405


def test_download_serves_the_stored_pdf_as_an_attachment(client, alice, alice_certificate):
    client.force_login(alice)

    response = client.get(reverse("esocial:certificate_download", args=[alice_certificate.pk]))

    served = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert alice_certificate.grouped_code in response["Content-Disposition"]
    assert served.startswith(b"%PDF")
    assert hashlib.sha256(served).hexdigest() == alice_certificate.pdf_sha256


def test_another_citizens_certificate_is_not_found(client, bob, alice_certificate):
    client.force_login(bob)

    download = reverse("esocial:certificate_download", args=[alice_certificate.pk])
    revoke = reverse("esocial:certificate_revoke", args=[alice_certificate.pk])

    assert client.get(download).status_code == 404
    assert client.post(revoke).status_code == 404
    alice_certificate.refresh_from_db()
    assert alice_certificate.is_valid


def test_visitors_cannot_download(client, alice_certificate):
    response = client.get(reverse("esocial:certificate_download", args=[alice_certificate.pk]))

    assert response.status_code == 302


def test_holder_revokes_their_certificate(client, alice, alice_certificate):
    client.force_login(alice)

    response = client.post(reverse("esocial:certificate_revoke", args=[alice_certificate.pk]))

    alice_certificate.refresh_from_db()
    assert response.status_code == 302
    assert alice_certificate.status == Certificate.Status.REVOKED


def test_list_shows_only_the_citizens_own_certificates(client, alice, bob, alice_certificate):
    bobs = certificate_issue(person=bob.person, kind="employment_record")
    client.force_login(alice)

    page = client.get(LIST_URL).content.decode()

    assert alice_certificate.grouped_code in page
    assert bobs.grouped_code not in page


def test_list_takes_a_fixed_number_of_queries(client, alice, alice_award,
                                              django_assert_num_queries):
    employ(alice.person, "Azərsu ASC", dt.date(2001, 5, 1))
    for kind, options in (("award_statement", {"award": alice_award.pk}),
                          ("employment_record", {}), ("pension_capital_statement", {})):
        certificate_issue(person=alice.person, kind=kind, options=options)
    client.force_login(alice)
    client.get(LIST_URL)  # the session and the user are loaded once per request

    # session, user, person, the awards and the disability determinations to pick from,
    # the certificates
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)

    assert response.status_code == 200


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_list_renders_in_every_language(client, alice, alice_certificate, language):
    client.force_login(alice)

    response = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE=language)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert page.count("<h1") == 1
    assert alice_certificate.grouped_code in page
