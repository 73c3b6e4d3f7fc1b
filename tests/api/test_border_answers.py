"""Every refusal at the API's border is an answer the schema documents, with its body.

The fuzz may or may not happen on these requests; here each one is made on
purpose, for every operation it applies to: no credentials, a token without the
scope, a NUL character in the query, an overlong path segment, a body the
operation cannot take, too many requests. Each answer must conform to the
schema (status, content type, body) and its status must be documented with a
JSON body, not a bare status.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.schemas import APIOperation
from werkzeug.test import Client as WsgiClient
from werkzeug.test import TestResponse

from dost.accounts.models import Scope
from dost.registry.api import EXAMPLE_FIN
from tests.api.openapi import (
    CONFORMANCE,
    OPERATIONS,
    Callers,
    callers_of,
    documented_response,
    schema,
)


def operations(border_case: str, applies: Any = lambda operation: True) -> list[Any]:
    """The operations ``border_case`` applies to."""
    params = []
    for operation in OPERATIONS:
        if not applies(operation):
            continue
        params.append(pytest.param(operation, id=operation.label))
    return params


def has_token_callers(operation: APIOperation) -> bool:
    return callers_of(operation)[0] is not None


def needs_credentials(operation: APIOperation) -> bool:
    return callers_of(operation) != (None, False)


def takes_json(operation: APIOperation) -> bool:
    body = schema.raw_schema["paths"][operation.path][operation.method].get("requestBody", {})
    return "application/json" in body.get("content", {})


def has_path_parameters(operation: APIOperation) -> bool:
    return bool(path_parameters(operation))


def takes_a_body(operation: APIOperation) -> bool:
    return operation.method in ("post", "put", "patch")


def path_parameters(operation: APIOperation, value: str = EXAMPLE_FIN) -> dict[str, str]:
    """Every parameter in the operation's path, set to ``value``."""
    return {name: value for name in re.findall(r"{(\w+)}", operation.path)}


def path_of(operation: APIOperation, value: str = EXAMPLE_FIN) -> str:
    return operation.path.format(**path_parameters(operation, value))


def send(operation: APIOperation, *, credentials: dict[str, dict[str, str]] | None = None,
         path: str | None = None, query: str = "", data: bytes | None = None,
         content_type: str | None = None) -> TestResponse:
    client = WsgiClient(WSGIHandler())
    for name, value in (credentials or {}).get("cookies", {}).items():
        client.set_cookie(name, value)
    headers = (credentials or {}).get("headers", {})
    return client.open(f"{path or path_of(operation)}?{query}", method=operation.method.upper(),
                       headers=headers, data=data, content_type=content_type)


def assert_documented(operation: APIOperation, response: TestResponse) -> None:
    """The answer conforms to the schema, and its status is documented with a JSON body."""
    case = operation.Case(path_parameters=path_parameters(operation))
    case.validate_response(response, checks=CONFORMANCE)
    documented = documented_response(operation, response.status_code)
    assert "application/json" in documented.get("content", {}), (
        f"{response.status_code} is documented without its body: {response.get_data()[:200]!r}"
    )


def some_credentials(callers: Callers, operation: APIOperation) -> dict[str, dict[str, str]]:
    return callers.for_operation(operation)[0]


# Enough of a body for an operation that takes one to get past "no body".
SOME_JSON = json.dumps({"event_id": "border-1"}).encode()


def json_body(operation: APIOperation) -> dict[str, Any]:
    if not takes_a_body(operation):
        return {}
    return {"data": SOME_JSON, "content_type": "application/json"}


@pytest.mark.parametrize("operation", operations("no_credentials", needs_credentials))
def test_a_request_without_credentials_is_refused_as_documented(callers, operation):
    response = send(operation, **json_body(operation))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("token_without_scope", has_token_callers))
def test_a_token_without_the_operations_scope_is_refused_as_documented(callers, operation):
    needed = callers_of(operation)[0]
    other = next(scope for scope in Scope.values if scope != needed)

    response = send(operation, credentials={"headers": callers.token_header(other)},
                    query="reason=checking", **json_body(operation))

    assert response.status_code == 403
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("null_in_query"))
def test_a_null_character_in_the_query_is_refused_as_documented(callers, operation):
    response = send(operation, credentials=some_credentials(callers, operation),
                    query="reason=a%00b")

    assert response.status_code == 400
    assert response.get_json()["code"] == "null_character"
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("overlong_path_segment", has_path_parameters))
def test_an_overlong_path_segment_is_refused_as_documented(callers, operation):
    overlong = "7" * (django_settings.MAX_PATH_SEGMENT_CHARS + 1)

    response = send(operation, credentials=some_credentials(callers, operation),
                    path=path_of(operation, overlong), query="reason=checking")

    assert response.status_code == 400
    assert response.get_json()["code"] == "segment_too_long"
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("unsupported_media_type", takes_json))
def test_a_body_of_an_unsupported_media_type_is_refused_as_documented(callers, operation):
    response = send(operation, credentials=some_credentials(callers, operation),
                    data=b"event_id: border-1", content_type="text/plain")

    assert response.status_code == 415
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("body_too_large", takes_json))
def test_a_body_over_the_limit_is_refused_as_documented(callers, operation):
    padding = "x" * django_settings.MAX_BODY_BYTES
    response = send(operation, credentials=some_credentials(callers, operation),
                    data=json.dumps({"event_id": padding}).encode(),
                    content_type="application/json")

    assert response.status_code == 413
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("malformed_json", takes_json))
def test_a_body_that_is_not_json_is_refused_as_documented(callers, operation):
    response = send(operation, credentials=some_credentials(callers, operation),
                    data=b'{"event_id": ', content_type="application/json")

    assert response.status_code == 400
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("multipart_without_boundary", takes_a_body))
def test_a_multipart_body_without_its_boundary_is_refused_as_documented(callers, operation):
    response = send(operation, credentials=some_credentials(callers, operation),
                    data=b"event_id=border-1", content_type="multipart/form-data")

    assert response.status_code == 400
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("throttled", has_token_callers))
def test_too_many_requests_with_one_token_are_refused_as_documented(callers, operation,
                                                                     settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**rates, "institution": "1/hour"}}
    credentials = {"headers": callers.token_header(callers_of(operation)[0])}
    send(operation, credentials=credentials, query="reason=checking")

    response = send(operation, credentials=credentials, query="reason=checking")

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("unsigned_report",
                                                 lambda op: not needs_credentials(op)))
def test_an_open_operation_refuses_an_unsigned_request_as_documented(callers, operation):
    response = send(operation, data=b"MessageSid=SM1&MessageStatus=delivered",
                    content_type="application/x-www-form-urlencoded")

    assert response.status_code == 403
    assert_documented(operation, response)


@pytest.mark.parametrize("operation", operations("form_body_too_large",
                                                 lambda op: not needs_credentials(op)))
def test_an_open_operation_refuses_a_body_over_the_limit_as_documented(callers, operation):
    padding = "x" * django_settings.MAX_BODY_BYTES
    response = send(operation, data=f"MessageSid={padding}".encode(),
                    content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert_documented(operation, response)
