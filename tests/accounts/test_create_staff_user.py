from __future__ import annotations

import getpass
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command, execute_from_command_line
from django.utils import translation

from dost.accounts.models import Role, User

STRONG = "quiet-lantern-harbour-71"


@pytest.fixture(autouse=True)
def _english():
    # The services' refusals are in the default language (az) unless told otherwise.
    with translation.override("en"):
        yield


@pytest.fixture
def password_file(tmp_path):
    def write(text: str):
        path = tmp_path / "password"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def _create(*args: str) -> str:
    out = StringIO()
    call_command("create_staff_user", *args, stdout=out)
    return out.getvalue()


def test_staff_account_with_its_second_factor(db, password_file):
    out = _create("aynur.q", "--role", "staff", "--first-name", "Aynur", "--last-name",
                  "Quliyeva", "--email", "aynur@dost.gov.az",
                  "--password-file", password_file(STRONG + "\n"))
    user = User.objects.get(username="aynur.q")
    assert (user.role, user.first_name, user.last_name, user.email) == (
        Role.STAFF, "Aynur", "Quliyeva", "aynur@dost.gov.az")
    assert user.check_password(STRONG)
    assert not user.is_staff and not user.is_superuser
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    lines = out.splitlines()
    uri = next(line for line in lines if line.startswith("URI:")).removeprefix("URI:").strip()
    secret = next(line for line in lines if line.startswith("Secret:")).removeprefix(
        "Secret:").strip()
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    # The secret printed is the one stored: a code from it is accepted.
    assert decrypt(totp.data["secret"]) == secret
    assert TOTP(totp).validate_code(format_hotp_value(hotp_value(secret, _now_counter())))
    codes = RecoveryCodes(Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    assert codes and all(code in out for code in codes)
    assert "█" in out  # the QR code


def _now_counter() -> int:
    counters = list(yield_hotp_counters_from_time())
    return counters[len(counters) // 2]


def test_an_administrator_is_a_superuser_with_the_admin(db, password_file):
    _create("root", "--role", "admin", "--password-file", password_file(STRONG))
    user = User.objects.get(username="root")
    assert user.is_superuser and user.is_staff and user.is_administrator
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_a_doctor_needs_no_second_factor(db, password_file):
    out = _create("dr.samir", "--role", "doctor", "--password-file", password_file(STRONG))
    assert not Authenticator.objects.filter(user__username="dr.samir").exists()
    assert "Secret:" not in out


def test_the_password_is_asked_twice_on_the_terminal(db, monkeypatch):
    answers = iter([STRONG, STRONG])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    _create("agent.tural", "--role", "agent")
    assert User.objects.get(username="agent.tural").check_password(STRONG)


def test_two_different_passwords_create_nothing(db, monkeypatch):
    answers = iter([STRONG, STRONG + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        _create("agent.tural", "--role", "agent")
    assert not User.objects.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["newbie", "--role", "citizen"], "Unknown role citizen"),
    (["newbie", "--role", "wizard"], "Unknown role wizard"),
    (["charlie", "--role", "staff"], "There is already an account named charlie"),
    (["CHARLIE", "--role", "staff"], "There is already an account named CHARLIE"),
    (["5ZK2M7T", "--role", "staff"], "could be a citizen's FIN"),
    (["bad name!", "--role", "staff"], "Enter a valid username"),
    (["newbie", "--role", "staff", "--email", "not-an-address"], "is not an e-mail address"),
])
def test_bad_requests_are_refused_before_the_password_and_create_nothing(
        charlie, password_file, monkeypatch, args, message):
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pytest.fail("password asked"))
    before = set(User.objects.values_list("pk", flat=True))
    with pytest.raises(CommandError, match=message):
        _create(*args)
    assert set(User.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize(("password", "message"), [
    ("short1", "too short"),
    ("password123", "too common"),
    ("48291736502", "entirely numeric"),
    ("newbie.staff", "too similar"),
])
def test_a_weak_password_creates_nothing(db, password_file, password, message):
    with pytest.raises(CommandError, match=message):
        _create("newbie.staff", "--role", "staff", "--password-file", password_file(password))
    assert not User.objects.exists()
    assert not Authenticator.objects.exists()


def test_an_empty_or_missing_password_file_creates_nothing(db, password_file, tmp_path):
    with pytest.raises(CommandError, match="is empty"):
        _create("newbie", "--role", "staff", "--password-file", password_file(""))
    with pytest.raises(CommandError, match="Cannot read"):
        _create("newbie", "--role", "staff", "--password-file", str(tmp_path / "absent"))
    assert not User.objects.exists()


def test_a_refusal_exits_with_status_1(charlie, capsys):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "create_staff_user", "charlie", "--role", "staff"])
    assert exit_.value.code == 1
    assert "There is already an account named charlie" in capsys.readouterr().err
