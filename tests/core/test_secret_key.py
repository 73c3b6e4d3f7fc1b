"""Production refuses to start with a weak SECRET_KEY, or a weak old one still accepted.

Like tests/core/test_deployment.py, each case starts ``manage.py`` in a fresh process,
since the settings read the environment once.
"""

from __future__ import annotations

import secrets

import pytest

from tests.core.test_deployment import _manage, _settings_env, production_keys

HOST = "dost.example.az"


def _production(**values: str) -> dict[str, str]:
    env = _settings_env(DEBUG="0", ALLOWED_HOSTS=HOST, **{**production_keys(), **values})
    for name in ("SECRET_KEY_FALLBACKS", "SECRET_KEY_FALLBACKS_FILE", "TRUSTED_PROXY_COUNT",
                 "TRUSTED_PROXY_COUNT_FILE"):
        if name not in values:
            env.pop(name, None)
    return env


def strong_key() -> str:
    return secrets.token_urlsafe(48)


@pytest.mark.parametrize("weak", [
    pytest.param("a" * 60, id="fewer-than-5-distinct-characters"),
    pytest.param("abcd" * 20, id="four-distinct-characters"),
    pytest.param("django-insecure-" + secrets.token_urlsafe(48), id="django-insecure-prefix"),
    pytest.param(secrets.token_urlsafe(30), id="shorter-than-50"),
])
def test_production_refuses_a_weak_secret_key(weak):
    result = _manage("check", env=_production(SECRET_KEY=weak))

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_fallback_key():
    env = _production(SECRET_KEY=strong_key(), SECRET_KEY_FALLBACKS=f"{strong_key()},{'x' * 60}")

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY_FALLBACKS" in result.stderr


def test_production_starts_with_strong_keys_and_fallbacks():
    env = _production(SECRET_KEY=strong_key(),
                      SECRET_KEY_FALLBACKS=f"{strong_key()},{strong_key()}")

    result = _manage("check", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_development_mode_keeps_working_without_a_key():
    env = _settings_env(DEBUG="1")
    env.pop("SECRET_KEY_FALLBACKS", None)

    result = _manage("check", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
