"""Malformed and oversized requests get a clear 4xx, on public pages, staff pages and the API.

None of them may reach a view that would fail on them (a NUL in a database query, a
RecursionError in the JSON parser) or read a body larger than the site accepts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse
from django.test import Client
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.middleware import RequestBoundsMiddleware
from dost.parsers import check_json
from tests.documents import pdf_bytes

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
EVENTS_URL = "/api/v1/bridge/events/"
SERVICES = "/services/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def awards_url(fin: str) -> str:
    return f"/api/v1/bridge/citizens/{fin}/awards/?reason=checking+a+claim"


@pytest.fixture
def anonymous() -> Client:
    # A 500 is answered, not raised, so a test sees what a client would see.
    return Client(raise_request_exception=False, **ENGLISH)


@pytest.fixture
def staff(charlie) -> Client:
    client = Client(raise_request_exception=False, **ENGLISH)
    client.force_login(charlie)
    return client


@pytest.fixture
def institution(db) -> APIClient:
    """The civil registry: sends life events and reads awards."""
    _token, raw = institution_token_create(name="Ministry of Justice",
                                           scopes=[Scope.EVENTS_WRITE, Scope.AWARDS_READ],
                                           event_types=["death"])
    client = APIClient(raise_request_exception=False, **ENGLISH)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def death_event(fin: str, **extra_data: object) -> dict[str, object]:
    died = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    return {"event_id": f"death-{fin}", "type": "death", "occurred_on": died,
            "data": {"fin": fin, **extra_data}}


def assert_refused_page(response, status: int, words: str) -> None:
    assert response.status_code == status
    assert [template.name for template in response.templates][0] == "400.html"
    page = response.content.decode()
    assert words in page
    assert "site-header" in page  # in the site's layout
    assert response["X-Content-Type-Options"] == "nosniff"  # with the security headers


def assert_refused_json(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code
    assert response.json()["detail"]


class CountingStream(io.RawIOBase):
    """An endless body that counts what is read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"0" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


# --- the path and the query string ---------------------------------------------------------


def test_normal_pages_are_still_served(anonymous):
    assert anonymous.get(SERVICES).status_code == 200
    assert anonymous.get(f"{SERVICES}?category=").status_code == 200
    # Non-ASCII text, correctly encoded, is welcome.
    assert anonymous.get("/?q=M%C9%99mm%C9%99dova+%D0%9C").status_code == 200


@pytest.mark.parametrize("query", ["category=%00", "category=a%00b", "%00=1"])
def test_a_nul_in_the_query_string_is_refused_with_a_page(anonymous, query):
    response = anonymous.get(f"{SERVICES}?{query}")
    assert_refused_page(response, 400, "null character")


def test_a_nul_in_the_path_is_refused(anonymous):
    response = anonymous.get("/services/pension%00/")
    assert_refused_page(response, 400, "null character")


@pytest.mark.parametrize("query", [
    "category=%FF",  # not UTF-8 at all
    "category=%C3%28",  # a broken two-byte sequence
    "q=%ED%A0%80",  # a lone surrogate, as CESU-8 would write it
    "q=%C0%AF",  # an overlong "/"
])
def test_bytes_that_are_not_utf8_in_the_query_string_are_refused(anonymous, query):
    response = anonymous.get(f"{SERVICES}?{query}")
    assert_refused_page(response, 400, "not UTF-8")


@pytest.mark.parametrize("path", ["/services/%FF/", "/services/%ED%A0%80/"])
def test_bytes_that_are_not_utf8_in_the_path_are_refused(anonymous, path):
    assert_refused_page(anonymous.get(path), 400, "not UTF-8")


def test_an_overlong_path_segment_is_refused(anonymous, settings):
    response = anonymous.get(f"/services/{'a' * (settings.MAX_PATH_SEGMENT_CHARS + 1)}/")
    assert_refused_page(response, 400, f"longer than {settings.MAX_PATH_SEGMENT_CHARS}")


def test_a_segment_at_the_limit_reaches_the_site(anonymous, settings):
    response = anonymous.get(f"/services/{'a' * settings.MAX_PATH_SEGMENT_CHARS}/")
    assert response.status_code == 404  # no such service, and no refusal


def test_the_refusal_is_in_the_clients_language(anonymous):
    response = anonymous.get(f"{SERVICES}?category=%00", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()


def test_a_staff_page_refuses_a_nul_in_the_path(staff, alice):
    assert staff.get("/backoffice/citizens/5ALC7E1/").status_code == 200
    assert_refused_page(staff.get("/backoffice/citizens/5ALC7E1%00/"), 400, "null character")


def test_a_staff_search_refuses_a_nul_and_still_searches_otherwise(staff, alice):
    assert staff.get("/backoffice/citizens/?q=H%C9%99s%C9%99nova").status_code == 200
    assert_refused_page(staff.get("/backoffice/citizens/?q=5ALC%007E1"), 400, "null character")


def test_the_api_refuses_a_nul_in_the_path_as_json(institution, alice):
    assert institution.get(awards_url("5ALC7E1")).status_code == 200
    response = institution.get(awards_url("5ALC%007E1"))
    assert_refused_json(response, 400, "null_character")


def test_the_api_refuses_bytes_that_are_not_utf8_as_json(institution):
    response = institution.get("/api/v1/bridge/citizens/5ALC7E1/awards/?reason=%FF")
    assert_refused_json(response, 400, "not_utf8")


# --- form fields ---------------------------------------------------------------------------


def test_a_staff_form_is_still_accepted(staff, alice):
    response = staff.post("/backoffice/citizens/5ALC7E1/", {"reason": "complaint 142-77"})
    assert response.status_code == 200


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_nul_in_a_form_field_is_refused(staff, alice, encoding):
    if encoding == "multipart":
        response = staff.post("/backoffice/citizens/5ALC7E1/", {"reason": "complaint\x00"})
    else:
        response = staff.post("/backoffice/citizens/5ALC7E1/", "reason=complaint%00",
                              content_type="application/x-www-form-urlencoded")
    assert_refused_page(response, 400, "null character")


def test_a_urlencoded_form_that_is_not_utf8_is_refused(staff, alice):
    response = staff.post("/backoffice/citizens/5ALC7E1/", "reason=%FF%FE",
                          content_type="application/x-www-form-urlencoded")
    assert_refused_page(response, 400, "not UTF-8")


# --- JSON ----------------------------------------------------------------------------------


def test_a_normal_event_is_still_accepted(institution, make_person):
    make_person(fin="7DTH001")
    response = institution.post(EVENTS_URL, death_event("7DTH001"), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_too_deep_is_refused(institution, depth):
    response = institution.post(EVENTS_URL, nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_at_the_depth_limit_reaches_the_serializer(institution):
    response = institution.post(EVENTS_URL, nested(32), content_type="application/json")
    assert response.status_code == 400
    assert "nested" not in json.dumps(response.json())


@pytest.mark.parametrize("text", ["\u0000", "\ud800", "a\udfffb"])
def test_unstorable_text_anywhere_in_json_is_refused(institution, make_person, text):
    make_person(fin="7DTH001")
    body = json.dumps(death_event("7DTH001", note={f"key{text}": "value"}))
    response = institution.post(EVENTS_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "null character or a lone surrogate" in response.json()["detail"]


def test_the_depth_check_counts_objects_and_lists_but_not_values():
    check_json({"a": [{"b": "text"}]}, max_depth=3)
    with pytest.raises(ParseError):
        check_json({"a": [{"b": []}]}, max_depth=3)


# --- body size -----------------------------------------------------------------------------


def test_a_50_mb_body_is_refused_without_being_read(institution):
    body = CountingStream()
    response = institution.post(EVENTS_URL, b"{}", content_type="application/json",
                                CONTENT_LENGTH=str(50 * MB), **{"wsgi.input": body})
    assert_refused_json(response, 413, "body_too_large")
    assert body.read_bytes == 0


def test_a_5_mb_json_body_is_refused(institution):
    body = json.dumps({"event_id": "x" * (5 * MB)})
    response = institution.post(EVENTS_URL, body, content_type="application/json")
    assert_refused_json(response, 413, "body_too_large")


def test_a_json_body_under_the_limit_is_read(institution, settings):
    body = json.dumps({"event_id": "x" * (settings.MAX_BODY_BYTES - 100)})
    response = institution.post(EVENTS_URL, body, content_type="application/json")
    assert response.status_code == 400  # the serializer's answer: too long an event id
    assert "event_id" in response.json()


def test_an_oversized_page_form_gets_a_413_page(anonymous):
    body = CountingStream()
    response = anonymous.post(SERVICES, b"a=1", content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(50 * MB), **{"wsgi.input": body})
    assert_refused_page(response, 413, "larger than this address accepts")
    assert body.read_bytes == 0


def test_an_upload_at_the_document_limit_is_accepted(anonymous):
    # The evidence limit is 5 MB; the form around the file needs room too.
    document = io.BytesIO(pdf_bytes() + b"\n%" + b"0" * (5 * MB - 1000))
    document.name = "certificate.pdf"
    response = anonymous.post("/verify/", {"code": "7K2M-Q9XD-4HBR", "pdf": document})
    assert response.status_code == 200


def test_an_upload_over_the_upload_limit_is_refused(anonymous, settings):
    document = io.BytesIO(b"%PDF-" + b"0" * settings.MAX_UPLOAD_BODY_BYTES)
    document.name = "certificate.pdf"
    response = anonymous.post("/verify/", {"code": "7K2M-Q9XD-4HBR", "pdf": document})
    assert_refused_page(response, 413, "larger than this address accepts")


def test_form_fields_over_the_limit_in_an_upload_form_are_refused(anonymous, settings):
    # Under the upload limit in all, but Django keeps fields other than files in memory.
    response = anonymous.post("/verify/", {"code": "x" * (settings.MAX_BODY_BYTES + 1)})
    assert_refused_page(response, 413, "larger than this address accepts")


@pytest.mark.parametrize("declared", ["ten", "-1", "\u0661\u0660", "1e3"])
def test_a_content_length_that_is_not_a_number_is_refused(institution, declared):
    response = institution.post(EVENTS_URL, b"{}", content_type="application/json",
                                CONTENT_LENGTH=declared)
    assert_refused_json(response, 400, "bad_content_length")


def chunked_request(body: bytes) -> ASGIRequest:
    """A POST as an ASGI server passes on a chunked body: no Content-Length at all."""
    scope = {
        "type": "http", "method": "POST", "path": EVENTS_URL, "raw_path": EVENTS_URL.encode(),
        "query_string": b"", "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
        "headers": [(b"content-type", b"application/json"),
                    (b"transfer-encoding", b"chunked")],
    }
    body_file = tempfile.SpooledTemporaryFile()  # noqa: SIM115 - the request closes it
    body_file.write(body)
    body_file.seek(0)
    return ASGIRequest(scope, body_file)


def reached(request) -> HttpResponse:
    return HttpResponse(f"read {len(request.body)}")


def test_a_chunked_body_over_the_limit_is_a_413(settings):
    request = chunked_request(b"[" * (settings.MAX_BODY_BYTES + 1))
    response = RequestBoundsMiddleware(reached)(request)
    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "body_too_large"


def test_a_small_chunked_body_is_read():
    response = RequestBoundsMiddleware(reached)(chunked_request(b"{}"))
    assert response.status_code == 200
    assert response.content == b"read 2"


def test_a_multipart_body_without_its_boundary_is_refused_as_json(institution):
    response = institution.generic("POST", EVENTS_URL, b"--x\r\n\r\n",
                                   content_type="multipart/form-data")
    assert_refused_json(response, 400, "malformed_form")


def test_a_form_with_too_many_fields_is_refused_with_a_page(staff, alice, settings):
    many = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1
    fields = "&".join(f"f{number}=1" for number in range(many))
    response = staff.post("/backoffice/citizens/5ALC7E1/", fields,
                          content_type="application/x-www-form-urlencoded")
    assert_refused_page(response, 400, "too many fields")
