from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.db import connection

from dost.accounts.models import Role, User
from dost.accounts.services import citizen_account_create
from dost.celery import app as celery_app
from dost.registry.services import person_register

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let the flush after a transactional test empty the append-only decision log.

    Its tables refuse TRUNCATE unless the session allows it (migration
    audit 0003): allowed here for the test database, this session and new ones.
    """
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"ALTER DATABASE {name} SET dost.audit_truncate = 'allowed'")
        cursor.execute("SET dost.audit_truncate = 'allowed'")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Pages and aggregates are cached; every test starts from its own data.
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery():
    # Tests run tasks in-process unless they start a worker themselves.
    set_eager(True)
    yield


def set_eager(eager: bool) -> None:
    # Celery reads its settings with the CELERY_ namespace (from Django's
    # settings): the namespaced key is the one that takes effect.
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager


@pytest.fixture
def make_person(db):
    counter = iter(range(1, 10_000))

    def make(**overrides):
        number = next(counter)
        fields = {
            "fin": f"T{number:05d}A",
            "first_name": "Leyla",
            "last_name": "Məmmədova",
            "sex": "F",
            "birth_date": dt.date(1990, 1, 1),
            "source": "justice",
            "region": "nasimi",
        }
        fields.update(overrides)
        return person_register(**fields)

    return make


@pytest.fixture
def alice(make_person) -> User:
    """The owner: a citizen with an account."""
    person = make_person(fin="5ALC7E1", first_name="Alica", last_name="Həsənova",
                         phone="+994501112233")
    return citizen_account_create(person=person, password=PASSWORD)


@pytest.fixture
def bob(make_person) -> User:
    """An outsider: another citizen."""
    person = make_person(fin="6B0B2X9", first_name="Bəhram", last_name="Quliyev", sex="M")
    return citizen_account_create(person=person, password=PASSWORD)


def _staff(username: str, role: str) -> tuple[User, str]:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


@pytest.fixture
def charlie(db) -> User:
    """A DOST centre officer with two-factor set up."""
    user, _secret = _staff("charlie", Role.STAFF)
    return user


@pytest.fixture
def agent(db) -> User:
    user, _secret = _staff("agent142", Role.AGENT)
    return user


@pytest.fixture
def expert(db) -> User:
    user, _secret = _staff("expert1", Role.EXPERT)
    return user
