"""A new key encrypts what is written next; rotation rewrites the rest; then the old goes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from disability.encryption import encryption_keys_reload
from disability.models import Referral

OLD = "old-salt-" + "o" * 32
NEW = "new-salt-" + "n" * 32


@pytest.fixture
def keys(settings):
    def use(*salts: str) -> None:
        settings.SALT_KEY = list(salts)
        encryption_keys_reload()

    yield use
    encryption_keys_reload()


def _stored_fin(referral: Referral) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_fin FROM disability_referral WHERE id = %s", [referral.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def referral(make_person, refer, keys):
    keys(OLD)
    return refer(make_person(fin="5R2T8E1").fin)


def test_without_its_key_the_identity_stays_unreadable(referral, keys):
    keys(NEW)
    assert Referral.objects.get(pk=referral.pk).person_fin != "5R2T8E1"


def test_rotation_rewrites_under_the_new_key_and_the_old_can_go(referral, keys):
    before = _stored_fin(referral)
    keys(NEW, OLD)
    assert Referral.objects.get(pk=referral.pk).person_fin == "5R2T8E1"

    call_command("rotate_field_encryption")

    assert _stored_fin(referral) != before
    keys(NEW)
    assert Referral.objects.get(pk=referral.pk).person_fin == "5R2T8E1"
