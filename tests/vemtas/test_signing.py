"""Social workers' signing keys: issued and revoked by administrators only, one in force
per worker, the private key encrypted at rest; and the manifest a worker signs."""

# ruff: noqa: F811 (the fixtures imported from tests.vemtas.visits are arguments here)

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import reverse
from django.utils import translation

from dost.accounts.models import Role
from dost.errors import DomainError
from tests.vemtas.visits import (  # noqa: F401 (fixtures)
    administrator,
    after_visit,
    household_case,
    jpeg,
    media_root,
    official,
    other_worker,
    ready_to_sign,
    scheduled,
    signing_key,
    unassigned,
    worker,
)
from vemtas.assessments import assessment_media_add
from vemtas.models import SigningKey
from vemtas.signing import (
    _private_key,
    key_issue,
    key_revoke,
    manifest_for,
    signing_keys_reencrypt,
)

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_a_key_whose_private_half_is_stored_encrypted(
        worker, administrator):
    key = key_issue(worker=worker, issued_by=administrator)
    stored = SigningKey.objects.get(pk=key.pk)
    public = bytes(stored.public_key)
    assert len(public) == 32
    assert stored.fingerprint == hashlib.sha256(public).hexdigest()
    assert (stored.worker, stored.issued_by, stored.revoked_at) == (worker, administrator, None)
    private = _private_key(stored)
    raw_private = private.private_bytes(serialization.Encoding.Raw,
                                        serialization.PrivateFormat.Raw,
                                        serialization.NoEncryption())
    assert raw_private not in bytes(stored.private_key_encrypted)
    assert private.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw) == public


def test_a_second_key_is_refused_while_one_is_in_force(worker, administrator, signing_key):
    with translation.override("en"), pytest.raises(DomainError, match="revoke it first"):
        key_issue(worker=worker, issued_by=administrator)
    assert SigningKey.objects.filter(worker=worker).count() == 1


def test_a_revoked_key_is_replaced_by_a_new_one(worker, administrator, signing_key):
    key_revoke(key=signing_key, revoked_by=administrator)
    new = key_issue(worker=worker, issued_by=administrator)
    assert new.fingerprint != signing_key.fingerprint
    assert SigningKey.objects.filter(worker=worker, revoked_at__isnull=True).get() == new


def test_centre_staff_can_neither_issue_nor_revoke_keys(worker, other_worker, signing_key):
    with translation.override("en"), pytest.raises(DomainError, match="Only an administrator"):
        key_issue(worker=other_worker, issued_by=worker)
    with translation.override("en"), pytest.raises(DomainError, match="Only an administrator"):
        key_revoke(key=signing_key, revoked_by=other_worker)
    signing_key.refresh_from_db()
    assert signing_key.revoked_at is None
    assert not SigningKey.objects.filter(worker=other_worker).exists()


def test_keys_are_issued_only_to_active_centre_staff(administrator, db):
    agent = official("agent7", Role.AGENT)
    gone = official("left", is_active=False)
    for user in (agent, gone, administrator):
        with translation.override("en"), pytest.raises(DomainError, match="social workers"):
            key_issue(worker=user, issued_by=administrator)
    assert not SigningKey.objects.exists()


def test_a_key_is_revoked_only_once(administrator, signing_key):
    key_revoke(key=signing_key, revoked_by=administrator)
    with translation.override("en"), pytest.raises(DomainError, match="already revoked"):
        key_revoke(key=signing_key, revoked_by=administrator)


def test_keys_are_encrypted_again_under_a_new_first_secret(settings, signing_key):
    before = bytes(SigningKey.objects.get(pk=signing_key.pk).private_key_encrypted)
    settings.SALT_KEY = ["a-new-secret-of-more-than-thirty-two-characters", *settings.SALT_KEY]
    assert signing_keys_reencrypt() == 1
    settings.SALT_KEY = settings.SALT_KEY[:1]  # the old secret dropped
    stored = SigningKey.objects.get(pk=signing_key.pk)
    assert bytes(stored.private_key_encrypted) != before
    assert _private_key(stored).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw) == bytes(stored.public_key)


def test_the_manifest_is_canonical_json_of_the_findings_and_the_files(scheduled, worker):
    ready_to_sign(scheduled, worker)
    assessment_media_add(assessment=scheduled, worker=worker, kind="photo",
                         upload=jpeg("yard.jpg"))
    scheduled.refresh_from_db()
    manifest = manifest_for(scheduled)
    data = json.loads(manifest)
    assert manifest == json.dumps(data, sort_keys=True, separators=(",", ":"),
                                  ensure_ascii=False)
    assert (data["case"], data["applicant"], data["worker"]) == (
        scheduled.case_id, scheduled.case.applicant_id, worker.pk)
    assert data["visit_at"] == scheduled.visit_at.astimezone(dt.UTC).isoformat()
    assert (data["members_present"], data["matches_declaration"]) == (2, True)
    assert [(entry["kind"], entry["name"]) for entry in data["media"]] == [
        ("photo", "kitchen.jpg"), ("audio", "talk.mp3"), ("photo", "yard.jpg")]
    assert all(set(entry) == {"id", "kind", "name", "size", "sha256"}
               for entry in data["media"])
    # The same facts give the same bytes.
    assert manifest_for(type(scheduled).objects.get(pk=scheduled.pk)) == manifest


# --- the admin: the add page issues, the list's action revokes --------------------------


def test_the_admin_add_page_issues_a_key_for_the_chosen_worker(client, administrator, worker):
    client.force_login(administrator)
    response = client.post(reverse("admin:vemtas_signingkey_add"), {"worker": worker.pk})
    assert response.status_code == 302
    key = SigningKey.objects.get(worker=worker)
    assert key.issued_by == administrator
    assert response["Location"].startswith(reverse("admin:vemtas_signingkey_changelist"))


def test_the_admin_add_page_refuses_a_second_key_in_force(client, administrator, worker,
                                                          signing_key):
    client.force_login(administrator)
    response = client.post(reverse("admin:vemtas_signingkey_add"), {"worker": worker.pk},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "revoke it first" in response.content.decode()
    assert SigningKey.objects.filter(worker=worker).count() == 1


def test_the_admin_revoke_action_revokes_the_selected_keys(client, administrator, worker,
                                                           signing_key):
    client.force_login(administrator)
    response = client.post(reverse("admin:vemtas_signingkey_changelist"),
                           {"action": "revoke", "_selected_action": [signing_key.pk]})
    assert response.status_code == 302
    signing_key.refresh_from_db()
    assert signing_key.revoked_at is not None
    assert signing_key.revoked_by == administrator


def test_the_admin_shows_a_key_without_its_private_half(client, administrator, signing_key):
    client.force_login(administrator)
    response = client.get(reverse("admin:vemtas_signingkey_change", args=[signing_key.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert signing_key.fingerprint in body
    assert "private" not in body.lower()
    assert reverse("admin:vemtas_signingkey_delete", args=[signing_key.pk]) not in body


def test_centre_staff_are_kept_out_of_the_keys_admin(client, worker):
    client.force_login(worker)
    response = client.post(reverse("admin:vemtas_signingkey_add"), {"worker": worker.pk})
    assert response.status_code in {302, 403}
    assert not SigningKey.objects.exists()
