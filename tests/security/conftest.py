"""The world of the access matrix, built once per module inside a transaction rolled back after it.

Each test still runs in its own savepoint (pytest-django's ``db``), so what a
request changes (a revoked certificate, a withdrawn application) is undone
before the next one.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import set_eager
from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    media.enable()
    set_eager(True)
    block = transaction.atomic()
    with django_db_blocker.unblock():
        block.__enter__()
        try:
            built: World = build_world()
        except BaseException:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            media.disable()
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)
    media.disable()
