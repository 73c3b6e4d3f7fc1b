"""The production stack (docker-compose.yml) and production mode of the settings.

The settings tests run ``manage.py`` in a fresh process, because settings are read
once at start-up from the environment. None of them needs the database.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"

# Nothing listens here: settings only need *a* DATABASE_URL so that they do not
# start the embedded PostgreSQL, and `check` never connects.
UNREACHABLE_DATABASE_URL = "postgres://nobody@127.0.0.1:1/none"

# Environment variables the settings read (each also as NAME_FILE). They are
# cleared so that the caller's environment cannot change the outcome.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "REDIS_URL",
    "MEDIA_ROOT",
    "SMS_BACKEND",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM_NUMBER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_AGE",
    "LOGIN_FAILURES_ALLOWED",
    "LOGIN_FAILURE_WINDOW_MINUTES",
    "TRUSTED_PROXY_COUNT",
    "SECRET_KEY_FALLBACKS",
    "MAX_BODY_BYTES",
    "MAX_UPLOAD_BODY_BYTES",
    "MAX_PATH_SEGMENT_CHARS",
    "MAX_JSON_DEPTH",
    "INSTITUTION_TOKEN_DAYS",
    "INSTITUTION_THROTTLE_RATE",
    "LOG_LEVEL",
    "FIELD_ENCRYPTION_KEYS",
    "PSEUDONYM_KEY",
}


def production_keys() -> dict[str, str]:
    """The encryption keys production requires besides SECRET_KEY, freshly made."""
    return {"FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
            "PSEUDONYM_KEY": secrets.token_urlsafe(32)}


def _settings_env(**values: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and name.removesuffix("_FILE") not in SETTINGS_VARIABLES
    }
    env["DJANGO_SETTINGS_MODULE"] = "dost.settings"
    env["DATABASE_URL"] = UNREACHABLE_DATABASE_URL
    env.update(values)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _load_compose() -> dict:
    with COMPOSE_FILE.open() as handle:
        return yaml.safe_load(handle)


def _volume_source(entry: str | dict) -> tuple[str, str]:
    """(source, target) of a service volume in short or long syntax."""
    if isinstance(entry, dict):
        return entry.get("source", ""), entry.get("target", "")
    parts = entry.split(":")
    return parts[0], parts[1] if len(parts) > 1 else ""


def test_compose_file_defines_the_production_stack():
    compose = _load_compose()
    services = compose["services"]

    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} has its healthcheck switched off"
        assert healthcheck.get("test"), f"{name} healthcheck has no test"

    data_volumes = [
        source
        for source, target in map(_volume_source, services["postgres"].get("volumes", []))
        if target == "/var/lib/postgresql/data"
    ]
    assert len(data_volumes) == 1, "postgres data directory is not on a volume"
    assert data_volumes[0] in (compose.get("volumes") or {}), (
        f"postgres data volume {data_volumes[0]!r} is not a named volume"
    )

    depends_on = services["web"]["depends_on"]
    for dependency in ("postgres", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    docker_compose = shutil.which("docker-compose")
    if docker_compose:
        return [docker_compose]
    return None


def test_compose_config_is_accepted():
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` (plugin) nor `docker-compose` is installed")
    env = {**os.environ, "SECRET_KEY": secrets.token_urlsafe(48), **production_keys()}
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_production_mode_passes_deploy_checks():
    env = _settings_env(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="dost.example.az",
        **production_keys(),
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_default_secret():
    env = _settings_env(DEBUG="0", ALLOWED_HOSTS="dost.example.az")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_twilio_without_credentials():
    env = _settings_env(DEBUG="1", SMS_BACKEND="twilio")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "TWILIO" in result.stderr


@pytest.mark.parametrize("missing", ["FIELD_ENCRYPTION_KEYS", "PSEUDONYM_KEY"])
def test_production_refuses_to_start_without_an_encryption_key(missing):
    keys = production_keys()
    del keys[missing]
    env = _settings_env(DEBUG="0", ALLOWED_HOSTS="dost.example.az",
                        SECRET_KEY=secrets.token_urlsafe(48), **keys)
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_field_encryption_key():
    env = _settings_env(DEBUG="0", ALLOWED_HOSTS="dost.example.az",
                        SECRET_KEY=secrets.token_urlsafe(48),
                        **{**production_keys(), "FIELD_ENCRYPTION_KEYS": "short,"
                           + secrets.token_urlsafe(32)})
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
