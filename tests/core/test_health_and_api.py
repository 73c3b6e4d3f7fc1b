from __future__ import annotations

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def html_lang(body: str) -> str | None:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', body)
    return match.group(1) if match else None


# --- health ------------------------------------------------------------------------------


def test_healthz_answers_ok_as_json(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_database_ok(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_health_endpoints_are_not_cached(client):
    for path in ("/healthz", "/readyz"):
        assert "no-cache" in client.get(path)["Cache-Control"]


# --- API schema and docs --------------------------------------------------------------------


def test_schema_is_an_openapi_document_with_the_person_path(client):
    response = client.get("/api/v1/schema/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "openapi" in body
    assert "/api/v1/registry/persons/{fin}/" in body


def test_schema_documents_the_reason_parameter(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    operation = response.json()["paths"]["/api/v1/registry/persons/{fin}/"]["get"]
    assert "reason" in {parameter["name"] for parameter in operation["parameters"]}


def test_api_docs_load_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/static/drf_spectacular_sidecar/" in body
    assert "swagger-ui-bundle.js" in body
    lowered = body.lower()
    for outside in ("cdn", "jsdelivr", "unpkg"):
        assert outside not in lowered
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not url.startswith(("http:", "https:", "//")), url


# --- the page layout and languages ----------------------------------------------------------


def test_home_page_is_in_azerbaijani_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert html_lang(response.content.decode()) == "az"


def test_home_page_has_a_skip_link_to_the_main_content(client):
    body = client.get("/").content.decode()

    assert 'href="#main"' in body
    assert '<main id="main"' in body
    assert body.index('href="#main"') < body.index("<nav")


def test_home_page_has_header_nav_and_footer_landmarks(client):
    body = client.get("/").content.decode()

    assert "<header" in body
    assert "<nav" in body
    assert "<footer" in body


@pytest.mark.parametrize("language", ["en", "ru"])
def test_language_cookie_sets_the_page_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get("/")

    assert html_lang(response.content.decode()) == language


def test_language_cookie_name_is_dost_language():
    assert settings.LANGUAGE_COOKIE_NAME == "dost_language"


def test_choosing_a_language_sets_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert html_lang(client.get("/").content.decode()) == "ru"


def test_choosing_an_unknown_language_keeps_azerbaijani(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert html_lang(client.get("/").content.decode()) == "az"


def test_login_page_labels_its_fields(client):
    response = client.get("/accounts/login/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_login">' in body
    assert '<label for="id_password">' in body
    assert 'id="id_login"' in body
    assert 'id="id_password"' in body


def test_an_unknown_address_under_the_api_answers_json(client):
    response = client.get("/api/v1/registry/persons/a/b/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_page_of_the_site_answers_the_site_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
