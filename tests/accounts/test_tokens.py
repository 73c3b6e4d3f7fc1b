from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from dost.accounts.models import Institution, InstitutionToken
from dost.audit.models import AccessRecord, Channel

COMMAND = "create_institution_token"
MINISTRY = "Ministry of Justice"


def make_token(name: str = MINISTRY, *scopes: str) -> str:
    out = StringIO()
    call_command(COMMAND, name, "--scopes", *(scopes or ("events:write", "registry:read")),
                 stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def person_url(fin: str, reason: str | None = "checking a pension claim") -> str:
    url = f"/api/v1/registry/persons/{fin}/"
    return f"{url}?reason={reason}" if reason is not None else url


def token_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


# --- the management command -------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_a_raw_key_and_stores_only_its_sha256():
    raw = make_token()

    assert raw
    assert len(raw.split()) == 1
    token = InstitutionToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8]
    assert sorted(token.scopes) == ["events:write", "registry:read"]
    assert token.institution.name == MINISTRY


@pytest.mark.django_db
def test_raw_key_is_in_no_token_column():
    raw = make_token()

    row = InstitutionToken.objects.values().get()
    for column, value in row.items():
        assert raw not in str(value), column


@pytest.mark.django_db
def test_running_the_command_twice_creates_the_institution_once():
    first = make_token()
    second = make_token()

    assert first != second
    assert Institution.objects.filter(name=MINISTRY).count() == 1
    assert InstitutionToken.objects.filter(institution__name=MINISTRY).count() == 2


@pytest.mark.django_db
def test_unknown_scope_is_refused_and_nothing_is_created():
    with pytest.raises(CommandError, match="everything:write"):
        make_token(MINISTRY, "registry:read", "everything:write")

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_no_scopes_is_refused():
    # argparse refuses ``--scopes`` with no value; the command surfaces that as CommandError.
    with pytest.raises(CommandError):
        call_command(COMMAND, MINISTRY, "--scopes", stdout=StringIO(), stderr=StringIO())

    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_empty_scope_list_is_refused():
    with pytest.raises(CommandError):
        call_command(COMMAND, MINISTRY, scopes=[], stdout=StringIO(), stderr=StringIO())

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   "])
def test_empty_institution_name_is_refused(name):
    with pytest.raises(CommandError):
        make_token(name, "registry:read")

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


# --- the API with a token ---------------------------------------------------------------


def test_token_with_registry_read_reads_a_record_and_is_logged(alice):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url(alice.person.fin, "court case 12/2024"))

    assert response.status_code == 200
    assert response.json()["fin"] == alice.person.fin
    record = AccessRecord.objects.get()
    assert record.person == alice.person
    assert record.channel == Channel.API
    assert record.institution.name == MINISTRY
    assert record.actor is None
    assert record.reason == "court case 12/2024"


def test_token_use_is_stamped(alice):
    raw = make_token(MINISTRY, "registry:read")

    token_client(raw).get(person_url(alice.person.fin))

    assert InstitutionToken.objects.get().last_used_at is not None


def test_token_without_registry_read_is_forbidden_and_not_logged(alice):
    raw = make_token(MINISTRY, "events:write", "awards:read")

    response = token_client(raw).get(person_url(alice.person.fin))

    assert response.status_code == 403
    assert "Məmmədova" not in response.content.decode()
    assert "Alica" not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_wrong_token_is_unauthorised(alice):
    make_token(MINISTRY, "registry:read")

    response = token_client("not-the-right-key").get(person_url(alice.person.fin))

    assert response.status_code == 401
    assert not AccessRecord.objects.exists()


def test_revoked_token_is_unauthorised(alice):
    raw = make_token(MINISTRY, "registry:read")
    InstitutionToken.objects.update(revoked_at=timezone.now())

    response = token_client(raw).get(person_url(alice.person.fin))

    assert response.status_code == 401
    assert not AccessRecord.objects.exists()


def test_no_credentials_is_unauthorised(alice):
    response = APIClient().get(person_url(alice.person.fin))

    assert response.status_code == 401


@pytest.mark.parametrize("reason", [None, "", "%20%20"])
def test_token_look_up_without_a_reason_is_refused_and_not_logged(alice, reason):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url(alice.person.fin, reason))

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not AccessRecord.objects.exists()


def test_token_look_up_of_unknown_fin_is_not_found_and_not_logged(alice):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url("9ZZZZZZ"))

    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_token_look_up_ignores_fin_case(alice):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url(alice.person.fin.lower()))

    assert response.status_code == 200
    assert response.json()["fin"] == alice.person.fin
