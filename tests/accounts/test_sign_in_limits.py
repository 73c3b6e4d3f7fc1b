"""Wrong passwords slow guessing down without letting a stranger keep a citizen out.

See ACCOUNT_RATE_LIMITS in the settings: failures count per address, per account from
one address, and (four times higher) per account from everywhere.
"""

from __future__ import annotations

import time as real_time

import pytest
from allauth.core.internal import ratelimit
from django.core.cache import cache

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed login attempts"
CITIZEN_HOME = "198.51.100.7"
STRANGER = "203.0.113.5"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


class Clock:
    """The rate limits' clock, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = real_time.time()

    def time(self) -> float:
        return self.now

    # The cache lock waits in real time.
    monotonic = staticmethod(real_time.monotonic)
    sleep = staticmethod(real_time.sleep)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


def sign_in(client, password: str, *, address: str, login: str = "5ALC7E1", **headers):
    return client.post(LOGIN, {"login": login, "password": password}, REMOTE_ADDR=address,
                       HTTP_ACCEPT_LANGUAGE="en", **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times: int, *, address: str, login: str = "5ALC7E1", **headers) -> None:
    for _attempt in range(times):
        sign_in(client, "wrong", address=address, login=login, **headers)


def test_repeated_failures_from_one_address_stop_its_tries_even_with_the_right_password(
        client, alice, settings):
    fail(client, settings.LOGIN_FAILURES_ALLOWED, address=STRANGER)

    response = sign_in(client, PASSWORD, address=STRANGER)

    assert not signed_in(client)
    assert TOO_MANY in response.content.decode()


def test_a_strangers_failures_do_not_keep_the_citizen_out(client, alice, settings):
    fail(client, settings.LOGIN_FAILURES_ALLOWED * 3, address=STRANGER)

    sign_in(client, PASSWORD, address=CITIZEN_HOME)

    assert signed_in(client)


def test_failures_on_one_account_leave_other_accounts_alone(client, alice, bob, settings):
    fail(client, settings.LOGIN_FAILURES_ALLOWED, address=STRANGER)

    sign_in(client, PASSWORD, address=STRANGER, login="6B0B2X9")

    assert int(client.session["_auth_user_id"]) == bob.pk


def test_right_passwords_are_not_counted_as_failures(client, alice, settings):
    for _visit in range(settings.LOGIN_FAILURES_ALLOWED + 1):
        sign_in(client, PASSWORD, address=CITIZEN_HOME)
        assert signed_in(client)
        client.logout()


def test_the_slowdown_of_one_address_passes_with_its_window(client, alice, settings, clock):
    fail(client, settings.LOGIN_FAILURES_ALLOWED, address=STRANGER)

    clock.now += settings.LOGIN_FAILURE_WINDOW_MINUTES * 60 + 1
    sign_in(client, PASSWORD, address=STRANGER)

    assert signed_in(client)


def test_guessing_from_many_addresses_slows_the_whole_account_down(client, alice, settings,
                                                                   clock):
    for number in range(4):
        fail(client, settings.LOGIN_FAILURES_ALLOWED, address=f"203.0.113.{10 + number}")

    response = sign_in(client, PASSWORD, address=CITIZEN_HOME)

    assert not signed_in(client)
    assert TOO_MANY in response.content.decode()


def test_the_account_wide_slowdown_expires_without_anyone_unlocking_it(client, alice, settings,
                                                                       clock):
    for number in range(4):
        fail(client, settings.LOGIN_FAILURES_ALLOWED, address=f"203.0.113.{10 + number}")

    clock.now += settings.LOGIN_FAILURE_WINDOW_MINUTES * 60 + 1
    sign_in(client, PASSWORD, address=CITIZEN_HOME)

    assert signed_in(client)


def test_a_forged_forwarded_for_gives_a_stranger_no_fresh_addresses(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(settings.LOGIN_FAILURES_ALLOWED):
        fail(client, 1, address=STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    sign_in(client, PASSWORD, address=STRANGER, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert not signed_in(client)


def test_behind_a_proxy_the_citizen_and_the_stranger_are_told_apart(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    fail(client, settings.LOGIN_FAILURES_ALLOWED, address=proxy, HTTP_X_FORWARDED_FOR=STRANGER)

    sign_in(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=CITIZEN_HOME)

    assert signed_in(client)
