"""What every answer says to the browser: content policy, permissions policy, caching;
and whose address a request comes from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from dost.audit.models import AccessRecord
from dost.http import client_ip
from tests.applications.conftest import apply_for_recalculation, pdf

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {name: set(values) for name, *values in
            (part.split() for part in policy.split(";") if part.strip())}


# --- Content Security Policy ----------------------------------------------------------------


def test_pages_allow_scripts_and_styles_only_from_the_site_itself(client):
    policy = directives(client.get(reverse("esocial:home")))

    assert policy["script-src"] == {"'self'"}
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}


def test_a_signed_in_citizens_page_has_the_same_strict_policy(client, alice):
    client.force_login(alice)

    policy = directives(client.get(reverse("esocial:my_data")))

    assert policy["script-src"] == {"'self'"}
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.parametrize("url_name", ["api-docs", "api-redoc"])
def test_only_the_api_documentation_pages_may_run_their_inline_code(client, url_name):
    policy = directives(client.get(reverse(url_name)))

    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == {"'none'"}


def test_the_sign_in_page_runs_no_inline_code(client):
    policy = directives(client.get(reverse("account_login")))

    assert "'unsafe-inline'" not in policy["script-src"]


_INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
     "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on...= handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> block"),
]
# Rendered by WeasyPrint into PDF files, never served to a browser as HTML.
_PDF_TEMPLATES = ROOT / "templates" / "certificates"


def _page_templates() -> list[Path]:
    # The project's folder and the apps' (esocial/templates, dost/accounts/templates...).
    folders = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
    found = {template for folder in folders for template in folder.rglob("*.html")
             if ".venv" not in template.parts and _PDF_TEMPLATES not in template.parents}
    return sorted(found)


def test_templates_hold_no_inline_code_or_style():
    problems = [
        f"{template.relative_to(ROOT)}: {what}"
        for template in _page_templates()
        for pattern, what in _INLINE_CODE
        if pattern.search(template.read_text())
    ]

    assert _page_templates(), "no template found: the scan looks in the wrong place"
    assert not problems, "\n".join(problems)


def test_the_template_scan_would_catch_an_inline_script():
    page = '<button onclick="go()">Go</button><script>go()</script>'

    assert [what for pattern, what in _INLINE_CODE if pattern.search(page)] == [
        "an inline <script>", "an on...= handler attribute"]


# --- Permissions-Policy ---------------------------------------------------------------------


@pytest.mark.parametrize("feature", ["camera", "microphone", "geolocation", "payment", "usb"])
def test_every_page_denies_browser_features_it_does_not_use(client, feature):
    header = client.get(reverse("esocial:home"))["Permissions-Policy"]

    assert f"{feature}=()" in [part.strip() for part in header.split(",")]


def test_the_api_denies_them_too(client):
    assert "camera=()" in client.get("/healthz")["Permissions-Policy"]


# --- Cache-Control --------------------------------------------------------------------------


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_signed_in_citizens_page_is_not_stored(client, alice):
    client.force_login(alice)

    response = client.get(reverse("esocial:my_data"))

    assert response.status_code == 200
    assert no_store(response)
    assert "private" in response["Cache-Control"]


def test_a_citizens_own_document_download_is_not_stored(client, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    application = apply_for_recalculation(
        alice, reason="service_missing", files={"document_service_record": pdf()})
    client.force_login(alice)

    response = client.get(reverse("esocial:application_document",
                                  args=[application.pk, application.documents.get().pk]))

    assert response.status_code == 200
    assert no_store(response)


def test_a_public_page_seen_by_a_signed_in_user_is_not_stored_either(client, alice):
    # The header of every page names the signed-in citizen's own links.
    client.force_login(alice)

    assert no_store(client.get(reverse("esocial:service_list")))


def test_the_service_catalogue_stays_cacheable_for_visitors(client):
    response = client.get(reverse("esocial:service_list"))

    assert response.status_code == 200
    assert not no_store(response)


def test_open_data_stays_public_for_visitors(client):
    response = client.get(reverse("esocial:opendata_index"))

    assert response.status_code == 200
    assert not no_store(response)


def test_an_api_answer_to_a_token_is_not_stored_whatever_the_outcome(client):
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code in (401, 403)
    assert no_store(response)


def test_an_api_answer_to_a_signed_in_citizen_is_not_stored(client, alice):
    client.force_login(alice)

    response = client.get(reverse("api-me"))

    assert response.status_code == 200
    assert no_store(response)


# --- The client's address -------------------------------------------------------------------


def _request(remote_addr: str = "10.0.0.9", forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(forwarded_for="203.0.113.66")) == "10.0.0.9"


def test_behind_one_proxy_the_right_most_forwarded_address_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client may write anything on the left; our proxy appends what it saw.
    request = _request(forwarded_for="203.0.113.66, 198.51.100.7")

    assert client_ip(request) == "198.51.100.7"


def test_behind_two_proxies_the_second_from_the_right_is_the_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    request = _request(forwarded_for="203.0.113.66, 198.51.100.7, 10.0.0.2")

    assert client_ip(request) == "198.51.100.7"


def test_behind_a_proxy_a_request_without_the_header_is_from_its_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request()) == "10.0.0.9"


def test_a_forwarded_address_that_is_no_address_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded_for="<script>")) == "10.0.0.9"


def test_allauth_and_drf_count_the_same_proxies_as_the_site():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.TRUSTED_PROXY_COUNT
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT


@pytest.mark.parametrize(("proxies", "logged"), [(0, "10.0.0.9"), (1, "198.51.100.7")])
def test_the_access_log_records_the_clients_address(client, alice, charlie, settings,
                                                    proxies, logged):
    settings.TRUSTED_PROXY_COUNT = proxies
    application = apply_for_recalculation(alice)
    client.force_login(charlie)

    client.get(reverse("esocial:staff_application", args=[application.pk]),
               REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert AccessRecord.objects.get(person=alice.person).ip_address == logged
